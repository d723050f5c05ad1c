import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks, renderInTestApp } from '@backstage/test-utils';
import { EntitySlaContent } from '../EntitySlaContent';
import { makeAgreement } from '../../__testUtils__/agreementFixtures';
import {
  EntityPageWrapper,
  SLA_BASE_URL,
  entityPageRoutes,
  installFakeSlaBackend,
} from '../../__testUtils__/slaTestBackend';

jest.setTimeout(90_000);

const server = setupServer();
registerMswTestHooks(server);

const render = () =>
  renderInTestApp(
    <EntityPageWrapper>
      <EntitySlaContent />
    </EntityPageWrapper>,
    { mountedRoutes: entityPageRoutes },
  );

const customerView = (overrides: object = {}) => ({
  status: 'negotiation',
  termsVersion: 2,
  open: true,
  parties: [
    {
      party: 'provider',
      entityRef: 'group:default/payments-team',
      mustSign: true,
      signers: ['user:default/alice'],
      callerMaySign: false,
      signature: {
        party: 'provider',
        version: 2,
        signedBy: 'user:default/alice',
        signedAt: '2026-03-01T10:00:00Z',
      },
    },
    {
      party: 'customer',
      entityRef: 'group:default/checkout',
      mustSign: true,
      signers: ['user:default/mallory', 'user:default/carol'],
      callerMaySign: true,
    },
  ],
  awaiting: ['customer'],
  openComments: [
    {
      id: 'c1',
      agreementId: 'a',
      kind: 'comment',
      text: 'Can P1 be 30 minutes?',
      party: 'customer',
      author: 'user:default/mallory',
      createdAt: '2026-03-01T11:00:00Z',
      termsVersion: 2,
      open: true,
    },
  ],
  ...overrides,
});

describe('AgreementNegotiationPanel', () => {
  it("shows the awaited customer's signature, who can sign and the open comments, and signs", async () => {
    const agreement = makeAgreement({ status: 'negotiation' });
    installFakeSlaBackend(server, { agreements: [agreement] });
    const signed: any[] = [];
    server.use(
      http.get(`${SLA_BASE_URL}/agreements/:id/negotiation`, () =>
        HttpResponse.json({ agreementId: agreement.id, ...customerView() }),
      ),
      http.post(
        `${SLA_BASE_URL}/agreements/:id/signatures`,
        async ({ request }) => {
          signed.push(await request.json());
          return HttpResponse.json({ ...agreement, status: 'agreed' });
        },
      ),
    );
    await render();
    const panel = await screen.findByRole('region', { name: 'Negotiation' });
    expect(
      within(panel).getByText("Awaiting the customer's signature"),
    ).toBeInTheDocument();
    expect(
      within(panel).getByText(/Who can sign: user:default\/mallory, user:default\/carol/),
    ).toBeInTheDocument();
    expect(
      within(panel).getByText(/signed by user:default\/alice/),
    ).toBeInTheDocument();
    expect(
      within(panel).getByText(/Can P1 be 30 minutes\?/),
    ).toBeInTheDocument();
    expect(
      within(panel).queryByRole('button', { name: 'Sign for the provider' }),
    ).not.toBeInTheDocument();
    await userEvent.click(
      within(panel).getByRole('button', { name: 'Sign for the customer' }),
    );
    await waitFor(() =>
      expect(signed).toEqual([
        { party: 'customer', version: agreement.version },
      ]),
    );
    expect(
      within(panel).getByRole('button', { name: 'Request changes' }),
    ).toBeInTheDocument();
  });

  it('offers no actions to a reader who signs for neither party', async () => {
    const agreement = makeAgreement({ status: 'negotiation' });
    installFakeSlaBackend(server, { agreements: [agreement] });
    await render();
    const panel = await screen.findByRole('region', { name: 'Negotiation' });
    expect(
      within(panel).getByText("Awaiting the provider's signature"),
    ).toBeInTheDocument();
    expect(within(panel).queryByRole('button')).not.toBeInTheDocument();
  });

  it('shows the signatures that agreed an agreed agreement', async () => {
    const agreement = makeAgreement({
      status: 'agreed',
      termsVersion: 3,
      signatures: [
        {
          party: 'provider',
          version: 3,
          signedBy: 'user:default/alice',
          signedAt: '2026-01-05T10:00:00Z',
        },
        {
          party: 'customer',
          version: 3,
          signedBy: 'group:default/checkout',
          signedAt: '2026-01-05T10:00:00Z',
          migrated: true,
        },
      ],
    });
    installFakeSlaBackend(server, { agreements: [agreement] });
    await render();
    const card = await screen.findByRole('region', { name: agreement.title });
    expect(
      within(card).getByText(/Provider: signed by user:default\/alice/),
    ).toBeInTheDocument();
    expect(
      within(card).getByText(/Customer: signed by group:default\/checkout/),
    ).toBeInTheDocument();
  });
  it('offers owners "Sign" instead of the lifecycle "Agree" when the customer signs too', async () => {
    const agreement = makeAgreement({ status: 'negotiation' });
    installFakeSlaBackend(server, {
      agreements: [agreement],
      access: { create: true, update: true },
    });
    server.use(
      http.get(`${SLA_BASE_URL}/agreements/:id/negotiation`, () =>
        HttpResponse.json({
          agreementId: agreement.id,
          ...customerView({
            parties: [
              {
                party: 'provider',
                entityRef: 'group:default/payments-team',
                mustSign: true,
                signers: ['user:default/alice'],
                callerMaySign: true,
              },
              {
                party: 'customer',
                entityRef: 'group:default/checkout',
                mustSign: true,
                signers: ['user:default/carol'],
                callerMaySign: false,
              },
            ],
            awaiting: ['provider', 'customer'],
            openComments: [],
          }),
        }),
      ),
    );
    await render();
    const card = await screen.findByRole('region', { name: agreement.title });
    const panel = await within(card).findByRole('region', {
      name: 'Negotiation',
    });
    expect(
      within(panel).getByRole('button', { name: 'Sign for the provider' }),
    ).toBeInTheDocument();
    expect(
      await within(card).findByText(
        /agreed when both parties have signed: use the Sign buttons/,
      ),
    ).toBeInTheDocument();
    expect(
      within(card).queryByRole('button', { name: 'Agree' }),
    ).not.toBeInTheDocument();
    expect(
      within(card).getByRole('button', { name: 'Withdraw' }),
    ).toBeInTheDocument();
  });

  it('shows the round a review opened to prolong the agreement: both signatures awaited, no "Prolong"', async () => {
    const agreement = makeAgreement({
      status: 'under-review',
      signaturesRequestedAt: '2026-12-02T10:00:00Z',
    });
    installFakeSlaBackend(server, {
      agreements: [agreement],
      access: { create: true, update: true },
    });
    const signed: any[] = [];
    server.use(
      http.get(`${SLA_BASE_URL}/agreements/:id/negotiation`, () =>
        HttpResponse.json({
          agreementId: agreement.id,
          ...customerView({
            status: 'under-review',
            parties: [
              {
                party: 'provider',
                entityRef: 'group:default/payments-team',
                mustSign: true,
                signers: ['user:default/alice'],
                callerMaySign: true,
              },
              {
                party: 'customer',
                entityRef: 'group:default/checkout',
                mustSign: true,
                signers: ['user:default/carol'],
                callerMaySign: false,
              },
            ],
            awaiting: ['provider', 'customer'],
            openComments: [],
          }),
        }),
      ),
      http.post(
        `${SLA_BASE_URL}/agreements/:id/signatures`,
        async ({ request }) => {
          signed.push(await request.json());
          return HttpResponse.json(agreement);
        },
      ),
    );
    await render();
    const card = await screen.findByRole('region', { name: agreement.title });
    const panel = await within(card).findByRole('region', {
      name: 'Negotiation',
    });
    expect(
      within(panel).getByText(
        "Awaiting the provider's and the customer's signatures",
      ),
    ).toBeInTheDocument();
    expect(
      within(panel).getByText(/Who can sign: user:default\/carol/),
    ).toBeInTheDocument();
    // re-agreed by the signatures, not by the lifecycle's "Prolong"
    expect(
      within(card).queryByRole('button', { name: /^Prolong/ }),
    ).not.toBeInTheDocument();
    await userEvent.click(
      within(panel).getByRole('button', { name: 'Sign for the provider' }),
    );
    await waitFor(() =>
      expect(signed).toEqual([
        { party: 'provider', version: agreement.version },
      ]),
    );
  });

  it('keeps the lifecycle "Agree" for owners when only the provider signs', async () => {
    const agreement = makeAgreement({ status: 'negotiation' });
    installFakeSlaBackend(server, {
      agreements: [agreement],
      access: { create: true, update: true },
    });
    await render();
    const card = await screen.findByRole('region', { name: agreement.title });
    await within(card).findByRole('region', { name: 'Negotiation' });
    expect(
      await within(card).findByRole('button', { name: 'Agree' }),
    ).toBeInTheDocument();
    expect(
      within(card).queryByText(/agreed when both parties have signed/),
    ).not.toBeInTheDocument();
  });
});
