import type { Agreement } from '../types';
import {
  awaitedParties,
  customerMustSign,
  customerPartyRef,
  isAwaitingSignature,
  signaturesOnTerms,
  startsNewRound,
  withNewTerms,
} from './negotiation';

const base: Agreement = {
  id: 'a',
  kind: 'SLA',
  entityRef: 'component:default/checkout',
  title: 'Checkout',
  status: 'negotiation',
  targets: [],
  version: 4,
  termsVersion: 3,
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'user:default/a',
  updatedAt: '2026-01-01T00:00:00.000Z',
  updatedBy: 'user:default/a',
};

describe('negotiation rules', () => {
  it('reads the customer party from group and user refs only', () => {
    expect(customerPartyRef('group:default/Digital-Commerce')).toBe(
      'group:default/digital-commerce',
    );
    expect(customerPartyRef('group:team-a')).toBe('group:default/team-a');
    expect(customerPartyRef('user:ops/jane')).toBe('user:ops/jane');
    expect(customerPartyRef('component:default/x')).toBeUndefined();
    expect(customerPartyRef('All web shop customers')).toBeUndefined();
    expect(customerPartyRef(undefined)).toBeUndefined();
  });

  it('needs no customer signature when the customer is an owner', () => {
    const a = { customer: 'group:default/team-checkout' };
    expect(customerMustSign(a, ['group:default/team-checkout'])).toBe(false);
    expect(customerMustSign(a, ['group:default/team-platform'])).toBe(true);
    expect(customerMustSign({ customer: 'anyone' }, [])).toBe(false);
  });

  it('awaits the parties that have not signed the current terms', () => {
    const signed: Agreement = {
      ...base,
      signatures: [
        {
          party: 'provider',
          version: 3,
          signedBy: 'user:default/a',
          signedAt: '2026-01-02T00:00:00.000Z',
        },
        {
          party: 'customer',
          version: 2,
          signedBy: 'user:default/b',
          signedAt: '2026-01-01T00:00:00.000Z',
        },
      ],
    };
    expect(signaturesOnTerms(signed).map(s => s.party)).toEqual(['provider']);
    expect(awaitedParties(signed, true)).toEqual(['customer']);
    expect(awaitedParties(signed, false)).toEqual([]);
    expect(awaitedParties({ ...signed, status: 'draft' }, true)).toEqual([]);
    expect(isAwaitingSignature(signed)).toBe(true);
    expect(isAwaitingSignature({ ...signed, status: 'under-review' })).toBe(
      true,
    );
    expect(
      isAwaitingSignature({
        ...signed,
        status: 'under-review',
        signatures: [],
      }),
    ).toBe(false);
    // a review's prolongation asked both parties to sign the same terms
    expect(
      isAwaitingSignature({
        ...signed,
        status: 'under-review',
        signatures: [],
        signaturesRequestedAt: '2026-12-02T10:00:00.000Z',
      }),
    ).toBe(true);
    expect(
      isAwaitingSignature({
        ...signed,
        status: 'agreed',
        signaturesRequestedAt: '2026-12-02T10:00:00.000Z',
      }),
    ).toBe(false);
  });

  it('voids the signatures of the previous terms on a change', () => {
    const previous: Agreement = {
      ...base,
      signatures: [
        {
          party: 'provider',
          version: 3,
          signedBy: 'user:default/a',
          signedAt: '2026-01-02T00:00:00.000Z',
        },
      ],
    };
    const { agreement, voided } = withNewTerms(
      { ...previous, version: 5 },
      previous,
    );
    expect(agreement.termsVersion).toBe(5);
    expect(agreement.signatures).toBeUndefined();
    expect(voided).toHaveLength(1);
  });

  it('opens a new round when an agreed agreement is reviewed', () => {
    expect(startsNewRound('agreed', 'under-review')).toBe(true);
    expect(startsNewRound('expired', 'negotiation')).toBe(true);
    expect(startsNewRound('draft', 'negotiation')).toBe(false);
    expect(startsNewRound('under-review', 'negotiation')).toBe(false);
  });
});
