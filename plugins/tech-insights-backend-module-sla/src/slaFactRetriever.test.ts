import type { ServiceSummary } from '@opensla/backstage-plugin-sla-common';
import { DateTime } from 'luxon';
import { factsOf } from './slaFactRetriever';

const now = DateTime.fromISO('2026-12-01T12:00:00Z');

const summary = (overrides: Partial<ServiceSummary> = {}): ServiceSummary =>
  ({
    entityRef: 'component:default/checkout',
    owners: ['group:default/team-checkout'],
    kinds: ['SLA'],
    agreements: 1,
    agreementsInForce: 1,
    worstStatus: 'met',
    targets: 2,
    targetsWithData: 2,
    targetsMet: 2,
    targetsMetPercent: 100,
    breaches: {},
    csat: 90,
    csatResponses: 10,
    watermelon: false,
    slaAgreedInDate: true,
    reviewOverdue: false,
    nextReviewDue: '2027-01-01T00:00:00Z',
    nextServiceReviewDue: '2027-01-01T00:00:00Z',
    nextAgreementReviewDue: '2027-06-01T00:00:00Z',
    ...overrides,
  } as ServiceSummary);

describe('factsOf', () => {
  it('a healthy service passes every fact', () => {
    expect(factsOf(summary(), true, now)).toEqual({
      hasAgreedSla: true,
      allTargetsMet: true,
      allTargetsViable: true,
      serviceReviewOverdue: false,
      agreementReviewOverdue: false,
      csat: 90,
      watermelon: false,
    });
  });

  it('a target without data or breached is not met; at risk counts as met', () => {
    // targetsMet counts targets with data that are not breached
    expect(
      factsOf(summary({ targetsWithData: 1, targetsMet: 1 }), true, now)
        .allTargetsMet,
    ).toBe(false);
    expect(
      factsOf(summary({ targetsMet: 1, worstStatus: 'breached' }), true, now)
        .allTargetsMet,
    ).toBe(false);
    expect(
      factsOf(summary({ worstStatus: 'at-risk' }), true, now).allTargetsMet,
    ).toBe(true);
  });

  it('each review is overdue once its due instant has come', () => {
    const facts = factsOf(
      summary({
        nextServiceReviewDue: '2026-12-01T12:00:00Z',
        nextAgreementReviewDue: '2026-12-01T12:00:01Z',
      }),
      true,
      now,
    );
    expect(facts.serviceReviewOverdue).toBe(true);
    expect(facts.agreementReviewOverdue).toBe(false);
    expect(
      factsOf(
        summary({ nextAgreementReviewDue: '2026-11-30T00:00:00Z' }),
        true,
        now,
      ).agreementReviewOverdue,
    ).toBe(true);
  });

  it('only an SLA in force makes hasAgreedSla; an OLA alone does not', () => {
    expect(
      factsOf(summary({ kinds: ['OLA'], slaAgreedInDate: false }), true, now)
        .hasAgreedSla,
    ).toBe(false);
  });

  it('passes the watermelon verdict and CSAT through; CSAT is null without answers', () => {
    const facts = factsOf(
      summary({ watermelon: true, csat: 40, csatResponses: 5 }),
      true,
      now,
    );
    expect(facts.watermelon).toBe(true);
    expect(facts.csat).toBe(40);
    expect(
      factsOf(summary({ csat: null, csatResponses: 0 }), true, now).csat,
    ).toBeNull();
  });

  it('an unviable or unknown viability fails allTargetsViable', () => {
    expect(factsOf(summary(), false, now).allTargetsViable).toBe(false);
    expect(factsOf(summary(), undefined, now).allTargetsViable).toBe(false);
  });

  it('an entity without agreements in force fails the checks that need one and has nothing overdue', () => {
    expect(factsOf(undefined, undefined, now)).toEqual({
      hasAgreedSla: false,
      allTargetsMet: false,
      allTargetsViable: false,
      serviceReviewOverdue: false,
      agreementReviewOverdue: false,
      csat: null,
      watermelon: false,
    });
    expect(
      factsOf(
        summary({
          agreementsInForce: 0,
          slaAgreedInDate: false,
          nextServiceReviewDue: '2026-01-01T00:00:00Z',
        }),
        true,
        now,
      ),
    ).toMatchObject({
      allTargetsMet: false,
      allTargetsViable: false,
      serviceReviewOverdue: false,
    });
  });
});
