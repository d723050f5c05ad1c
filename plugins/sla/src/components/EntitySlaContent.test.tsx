import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks, renderInTestApp } from '@backstage/test-utils';
import type { Agreement } from '@opensla/backstage-plugin-sla-common';
import { EntitySlaContent } from './EntitySlaContent';
import {
  makeAgreement,
  testEntityRef,
  testHistory,
} from '../__testUtils__/agreementFixtures';
import {
  EntityPageWrapper,
  SLA_BASE_URL,
  entityPageRoutes,
  errorResponse,
  installFakeSlaBackend,
} from '../__testUtils__/slaTestBackend';

// The editor tests type a whole agreement; a loaded 2-core machine needs time.
jest.setTimeout(90_000);

const server = setupServer();
registerMswTestHooks(server);

async function renderContent() {
  await renderInTestApp(
    <EntityPageWrapper>
      <EntitySlaContent />
    </EntityPageWrapper>,
    { mountedRoutes: entityPageRoutes },
  );
}

const owner = { create: true, update: true };

describe('EntitySlaContent', () => {
  it("lists the entity's agreements with targets in plain words and their history", async () => {
    const backend = installFakeSlaBackend(server, {
      agreements: [makeAgreement()],
      history: testHistory,
    });
    await renderContent();

    const card = await screen.findByRole('region', {
      name: 'Payments API SLA',
    });
    // the entity's agreements, every page of them (the largest page)
    const query = new URLSearchParams(backend.reads('/agreements')[0].search);
    expect(query.get('entityRef')).toBe(testEntityRef);
    expect(query.get('limit')).toBe('500');
    expect(
      within(card).getByText(/^SLA: Service level agreement/),
    ).toBeInTheDocument();
    expect(within(card).getByText('Agreed')).toBeInTheDocument();
    expect(
      within(card).getByText('1 Jan 2026 – 31 Dec 2026'),
    ).toBeInTheDocument();
    // Agreed on 5 Jan 2026 with a yearly review interval.
    expect(within(card).getByText(/5 Jan 2027/)).toBeInTheDocument();
    expect(
      within(card).getByText('group:default/checkout'),
    ).toBeInTheDocument();
    expect(
      within(card).getByText('group:default/payments-team'),
    ).toBeInTheDocument();

    expect(
      within(card).getByText(
        '99.9 % of requests succeed over a rolling 28 days',
      ),
    ).toBeInTheDocument();
    expect(
      within(card).getByText(
        'p95_latency ≤ 300 ms in 95 % of 1 minute intervals per month',
      ),
    ).toBeInTheDocument();
    expect(
      within(card).getByText(
        'P1 incidents resolved within 1 hour, 90 % per month',
      ),
    ).toBeInTheDocument();
    expect(within(card).getByText('performance')).toBeInTheDocument();
    expect(within(card).getByText('99.9 %')).toBeInTheDocument();

    await userEvent.click(within(card).getByText(/^Version history/));
    expect(
      await within(card).findByText('Signed off with checkout', {
        exact: false,
      }),
    ).toBeInTheDocument();
    expect(within(card).getByText('user:default/bob')).toBeInTheDocument();
    expect(within(card).getByText('Proposed')).toBeInTheDocument();
    expect(within(card).getByText('Created')).toBeInTheDocument();
  });

  it('shows everything read-only to someone who does not own the entity', async () => {
    installFakeSlaBackend(server, {
      agreements: [
        makeAgreement({ id: 'a', title: 'Draft SLA', status: 'draft' }),
        makeAgreement({ id: 'b', title: 'Agreed SLA' }),
      ],
      access: { create: false, update: false },
    });
    await renderContent();

    await screen.findByRole('region', { name: 'Draft SLA' });
    expect(
      screen.getByRole('region', { name: 'Agreed SLA' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Create agreement' }),
    ).toBeNull();
    expect(screen.queryByRole('button', { name: 'Edit' })).toBeNull();
    for (const label of ['Propose', 'Withdraw', 'Start review']) {
      expect(screen.queryByRole('button', { name: label })).toBeNull();
    }
  });

  it('explains what an SLA is when there is none, and offers owners to create one', async () => {
    installFakeSlaBackend(server, { agreements: [], access: owner });
    await renderContent();

    expect(
      await screen.findByText('No service level agreements yet'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/A service level agreement \(SLA\) states/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Create agreement' }),
    ).toBeInTheDocument();
  });

  it('tells non-owners that the owners can create one', async () => {
    installFakeSlaBackend(server, { agreements: [] });
    await renderContent();

    expect(
      await screen.findByText(/The owners of this entity can create one/),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Create agreement' }),
    ).toBeNull();
  });

  it('shows a load failure', async () => {
    installFakeSlaBackend(server, { agreements: [] });
    server.use(
      http.get(`${SLA_BASE_URL}/agreements`, () =>
        errorResponse(500, 'Error', 'database is down'),
      ),
    );
    await renderContent();

    expect(
      (await screen.findAllByText(/database is down/)).length,
    ).toBeGreaterThan(0);
  });

  it('lets an owner create an agreement with two targets', async () => {
    const backend = installFakeSlaBackend(server, {
      agreements: [],
      access: owner,
    });
    let created: any;
    server.use(
      http.post(`${SLA_BASE_URL}/agreements`, async ({ request }) => {
        created = await request.json();
        const agreement = makeAgreement({
          ...created,
          id: 'new',
          status: 'requirements',
          version: 1,
          targets: created.targets.map((t: any) => ({ ...t, id: t.name })),
        });
        backend.state.agreements = [agreement];
        return HttpResponse.json(agreement, { status: 201 });
      }),
    );
    await renderContent();

    await userEvent.click(
      await screen.findByRole('button', { name: 'Create agreement' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Create agreement',
    });
    await userEvent.selectOptions(within(dialog).getByLabelText('Kind'), 'OLA');
    await userEvent.type(
      within(dialog).getByLabelText(/^Title/),
      'Checkout OLA',
    );
    await userEvent.type(
      within(dialog).getByLabelText('Provider'),
      'group:default/payments-team',
    );
    await userEvent.type(
      within(dialog).getByLabelText('Valid from'),
      '2026-02-01',
    );

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Add target' }),
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Add target' }),
    );
    const first = within(dialog).getByRole('group', { name: 'Target 1' });
    await userEvent.type(
      within(first).getByLabelText(/^Target name/),
      'Availability',
    );
    await userEvent.type(
      within(first).getByLabelText(/^Metric/),
      'http_requests',
    );
    await userEvent.type(
      within(first).getByLabelText(/^Objective \(%\)/),
      '99.9',
    );
    expect(
      within(first).getByText(
        'Reads as: 99.9 % of requests succeed over a rolling 28 days',
      ),
    ).toBeInTheDocument();

    const second = within(dialog).getByRole('group', { name: 'Target 2' });
    await userEvent.type(
      within(second).getByLabelText(/^Target name/),
      'Latency',
    );
    await userEvent.selectOptions(
      within(second).getByLabelText('Aspect'),
      'performance',
    );
    await userEvent.type(
      within(second).getByLabelText(/^Metric/),
      'p95_latency',
    );
    await userEvent.selectOptions(
      within(second).getByLabelText('SLI kind'),
      'threshold',
    );
    await userEvent.type(within(second).getByLabelText(/^Threshold/), '300');
    await userEvent.type(
      within(second).getByLabelText(/^Objective \(%\)/),
      '95',
    );
    await userEvent.selectOptions(
      within(second).getByLabelText('Window'),
      'calendar:month',
    );
    const timeZone = within(second).getByLabelText(/^Time zone/);
    await userEvent.clear(timeZone);
    await userEvent.type(timeZone, 'Europe/Berlin');

    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(created).toBeDefined());
    expect(created).toEqual({
      kind: 'OLA',
      scope: 'service',
      entityRef: testEntityRef,
      title: 'Checkout OLA',
      provider: 'group:default/payments-team',
      status: 'requirements',
      validFrom: '2026-02-01T00:00:00.000Z',
      targets: [
        {
          name: 'Availability',
          aspect: 'availability',
          metric: 'http_requests',
          sli: { kind: 'ratio' },
          objective: 99.9,
          window: { type: 'rolling', duration: 'P28D' },
        },
        {
          name: 'Latency',
          aspect: 'performance',
          metric: 'p95_latency',
          sli: {
            kind: 'threshold',
            operator: 'lte',
            threshold: 300,
            unit: 'ms',
          },
          objective: 95,
          window: {
            type: 'calendar',
            unit: 'month',
            timeZone: 'Europe/Berlin',
          },
        },
      ],
    });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(
      await screen.findByRole('region', { name: 'Checkout OLA' }),
    ).toBeInTheDocument();
  });

  it('shows a client-side validation message at its field and sends nothing', async () => {
    const backend = installFakeSlaBackend(server, {
      agreements: [],
      access: owner,
    });
    await renderContent();

    await userEvent.click(
      await screen.findByRole('button', { name: 'Create agreement' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Create agreement',
    });
    await userEvent.type(
      within(dialog).getByLabelText(/^Title/),
      'Payments SLA',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Add target' }),
    );
    await userEvent.type(
      within(dialog).getByLabelText(/^Target name/),
      'Availability',
    );
    await userEvent.type(
      within(dialog).getByLabelText(/^Metric/),
      'http_requests',
    );
    const objective = within(dialog).getByLabelText(/^Objective \(%\)/);
    await userEvent.type(objective, '150');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(objective).toHaveAccessibleDescription(
      'must be a number greater than 0 and at most 100',
    );
    expect(objective).toHaveAttribute('aria-invalid', 'true');
    expect(within(dialog).getByLabelText(/^Title/)).toHaveAttribute(
      'aria-invalid',
      'false',
    );
    expect(backend.writes()).toEqual([]);
  });

  it("shows the backend's 400 message at its field", async () => {
    installFakeSlaBackend(server, { agreements: [], access: owner });
    server.use(
      http.post(`${SLA_BASE_URL}/agreements`, () =>
        errorResponse(
          400,
          'InputError',
          'targets[0].metric is not a series this entity reports; maintenanceWindows must be a list',
        ),
      ),
    );
    await renderContent();

    await userEvent.click(
      await screen.findByRole('button', { name: 'Create agreement' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Create agreement',
    });
    await userEvent.type(
      within(dialog).getByLabelText(/^Title/),
      'Payments SLA',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Add target' }),
    );
    await userEvent.type(
      within(dialog).getByLabelText(/^Target name/),
      'Availability',
    );
    await userEvent.type(
      within(dialog).getByLabelText(/^Metric/),
      'http_requests',
    );
    await userEvent.type(
      within(dialog).getByLabelText(/^Objective \(%\)/),
      '99.9',
    );
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));

    await waitFor(() =>
      expect(
        within(dialog).getByLabelText(/^Metric/),
      ).toHaveAccessibleDescription('is not a series this entity reports'),
    );
    // A field without an input is listed above the form.
    expect(
      within(dialog).getByText('maintenanceWindows must be a list'),
    ).toBeInTheDocument();
    expect(screen.getByRole('dialog')).toBeInTheDocument();
  });

  it('explains a stale-version conflict and reloads the latest version into the form', async () => {
    const opened = makeAgreement({ status: 'draft', version: 4 });
    const latest = makeAgreement({
      status: 'draft',
      version: 5,
      title: 'Payments API SLA (renamed)',
      updatedBy: 'user:default/bob',
    });
    installFakeSlaBackend(server, { agreements: [opened], access: owner });
    const sentVersions: number[] = [];
    server.use(
      http.put(`${SLA_BASE_URL}/agreements/:id`, async ({ request }) => {
        const body = (await request.json()) as Agreement;
        sentVersions.push(body.version);
        if (body.version !== 5) {
          return errorResponse(
            409,
            'ConflictError',
            'payments-sla is at version 5, not 4',
          );
        }
        return HttpResponse.json({ ...latest, ...body, version: 6 });
      }),
      http.get(`${SLA_BASE_URL}/agreements/:id`, () =>
        HttpResponse.json(latest),
      ),
    );
    await renderContent();

    const card = await screen.findByRole('region', {
      name: 'Payments API SLA',
    });
    await userEvent.click(within(card).getByRole('button', { name: 'Edit' }));
    const dialog = await screen.findByRole('dialog', {
      name: 'Edit agreement',
    });
    const title = within(dialog).getByLabelText(/^Title/);
    expect(title).toHaveValue('Payments API SLA');
    // Editing shows the stored targets, and no "Start as" choice.
    expect(within(dialog).getAllByRole('group')).toHaveLength(3);
    expect(within(dialog).queryByLabelText('Start as')).toBeNull();
    await userEvent.type(title, ' v2');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(
      await within(dialog).findByText(
        /Someone else changed this agreement since you opened it \(now version 5, by user:default\/bob\)/,
      ),
    ).toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Reload' }),
    );
    expect(within(dialog).getByLabelText(/^Title/)).toHaveValue(
      'Payments API SLA (renamed)',
    );
    expect(within(dialog).queryByText(/Someone else changed/)).toBeNull();

    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(sentVersions).toEqual([4, 5]);
  });

  it('offers Edit only while the agreement is editable', async () => {
    installFakeSlaBackend(server, {
      agreements: [makeAgreement({ status: 'agreed' })],
      access: owner,
    });
    await renderContent();

    const card = await screen.findByRole('region', {
      name: 'Payments API SLA',
    });
    expect(within(card).queryByRole('button', { name: 'Edit' })).toBeNull();
    expect(
      within(card).getByRole('button', { name: 'Start review' }),
    ).toBeInTheDocument();
    expect(
      within(card).getByRole('button', { name: 'Withdraw' }),
    ).toBeInTheDocument();
  });

  it('moves an agreement through its lifecycle with the buttons its status allows', async () => {
    const backend = installFakeSlaBackend(server, {
      agreements: [makeAgreement({ status: 'draft', version: 2 })],
      access: owner,
    });
    server.use(
      http.post(
        `${SLA_BASE_URL}/agreements/:id/transitions`,
        async ({ request }) => {
          const body = (await request.json()) as { to: Agreement['status'] };
          const moved = makeAgreement({ status: body.to, version: 3 });
          backend.state.agreements = [moved];
          return HttpResponse.json(moved);
        },
      ),
    );
    await renderContent();

    const card = await screen.findByRole('region', {
      name: 'Payments API SLA',
    });
    expect(
      within(card).getByRole('button', { name: 'Edit' }),
    ).toBeInTheDocument();
    await userEvent.click(
      within(card).getByRole('button', { name: 'Propose' }),
    );

    expect(
      await within(card).findByRole('button', { name: 'Agree' }),
    ).toBeInTheDocument();
    expect(within(card).getByText('In negotiation')).toBeInTheDocument();
    expect(
      within(card).getByRole('button', { name: 'Back to draft' }),
    ).toBeInTheDocument();
    await userEvent.click(within(card).getByRole('button', { name: 'Agree' }));

    expect(
      await within(card).findByRole('button', { name: 'Start review' }),
    ).toBeInTheDocument();
    expect(backend.writes()).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/agreements/payments-sla/transitions',
        body: { to: 'negotiation' },
      }),
      expect.objectContaining({
        method: 'POST',
        path: '/agreements/payments-sla/transitions',
        body: { to: 'agreed' },
      }),
    ]);
  });

  it('asks before withdrawing', async () => {
    const backend = installFakeSlaBackend(server, {
      agreements: [makeAgreement()],
      access: owner,
    });
    server.use(
      http.post(`${SLA_BASE_URL}/agreements/:id/transitions`, () => {
        const withdrawn = makeAgreement({ status: 'withdrawn', version: 5 });
        backend.state.agreements = [withdrawn];
        return HttpResponse.json(withdrawn);
      }),
    );
    await renderContent();

    const card = await screen.findByRole('region', {
      name: 'Payments API SLA',
    });
    await userEvent.click(
      within(card).getByRole('button', { name: 'Withdraw' }),
    );
    let dialog = await screen.findByRole('dialog', {
      name: 'Withdraw “Payments API SLA”?',
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel' }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(backend.writes()).toEqual([]);

    await userEvent.click(
      within(card).getByRole('button', { name: 'Withdraw' }),
    );
    dialog = await screen.findByRole('dialog', {
      name: 'Withdraw “Payments API SLA”?',
    });
    await userEvent.type(
      within(dialog).getByLabelText(/^Comment/),
      'Service retired',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Withdraw' }),
    );

    expect(await within(card).findByText('Withdrawn')).toBeInTheDocument();
    expect(backend.writes()).toEqual([
      expect.objectContaining({
        body: { to: 'withdrawn', comment: 'Service retired' },
      }),
    ]);
    expect(within(card).queryByRole('button', { name: 'Withdraw' })).toBeNull();
  });

  it('prolongs a reviewed agreement with a new end date', async () => {
    const backend = installFakeSlaBackend(server, {
      agreements: [makeAgreement({ status: 'under-review' })],
      access: owner,
    });
    server.use(
      http.post(`${SLA_BASE_URL}/agreements/:id/transitions`, () =>
        HttpResponse.json(makeAgreement({ version: 6 })),
      ),
    );
    await renderContent();

    const card = await screen.findByRole('region', {
      name: 'Payments API SLA',
    });
    await userEvent.click(
      within(card).getByRole('button', { name: 'Prolong' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Prolong “Payments API SLA”?',
    });
    const validUntil = within(dialog).getByLabelText('Valid until');
    expect(validUntil).toHaveValue('2026-12-31');
    await userEvent.clear(validUntil);
    await userEvent.type(validUntil, '2027-12-31');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Prolong' }),
    );

    await waitFor(() =>
      expect(backend.writes()).toEqual([
        expect.objectContaining({
          body: { to: 'agreed', validUntil: '2027-12-31T23:59:59.999Z' },
        }),
      ]),
    );
  });

  it("shows the backend's message when a move is refused", async () => {
    installFakeSlaBackend(server, {
      agreements: [makeAgreement({ status: 'negotiation' })],
      access: owner,
    });
    server.use(
      http.post(`${SLA_BASE_URL}/agreements/:id/transitions`, () =>
        errorResponse(
          409,
          'ConflictError',
          'Cannot move from withdrawn to agreed; allowed: none',
        ),
      ),
    );
    await renderContent();

    const card = await screen.findByRole('region', {
      name: 'Payments API SLA',
    });
    await userEvent.click(within(card).getByRole('button', { name: 'Agree' }));

    expect(
      await within(card).findByText(
        'Could not agree: Cannot move from withdrawn to agreed; allowed: none',
      ),
    ).toBeInTheDocument();
  });
});
