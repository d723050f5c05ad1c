import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks, renderInTestApp } from '@backstage/test-utils';
import type { Improvement, Review } from '@opensla/backstage-plugin-sla-common';
import { EntitySlaReviewsContent } from './EntitySlaReviewsContent';
import {
  EntityPageWrapper,
  SLA_BASE_URL,
  entityPageRoutes,
  errorResponse,
  installFakeSlaBackend,
} from '../../__testUtils__/slaTestBackend';
import {
  makeAgreement,
  testEntityRef,
} from '../../__testUtils__/agreementFixtures';

jest.setTimeout(90_000);

const server = setupServer();
registerMswTestHooks(server);

const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString();
const agreement = makeAgreement();

const initiative = (overrides: Partial<Improvement> = {}): Improvement => ({
  id: 'i1',
  entityRef: testEntityRef,
  title: 'Retry card authorisations',
  source: 'breach',
  owner: 'user:default/alice',
  status: 'proposed',
  progress: 40,
  due: iso(Date.now() + 20 * DAY),
  targets: [],
  version: 1,
  createdAt: iso(Date.now() - 10 * DAY),
  createdBy: 'user:default/alice',
  updatedAt: iso(Date.now() - 10 * DAY),
  updatedBy: 'user:default/alice',
  ...overrides,
});

/**
 * GET/POST /improvements and PUT /improvements/{id} over an in-memory list,
 * with the backend's version check and plan; `reject` answers the next write
 * with an error instead.
 */
function installImprovements(
  items: Improvement[] = [],
  reviews: Review[] = [],
) {
  const state = {
    items: [...items],
    posted: [] as any[],
    put: [] as any[],
    reject: undefined as undefined | (() => Response),
  };
  const plan = () => {
    const open = state.items.filter(
      i => i.status === 'proposed' || i.status === 'in-progress',
    );
    const counted = state.items.filter(i => i.status !== 'cancelled');
    return {
      total: state.items.length,
      open: open.length,
      done: state.items.filter(i => i.status === 'done').length,
      cancelled: state.items.filter(i => i.status === 'cancelled').length,
      overdue: open.filter(i => i.due && Date.parse(i.due) <= Date.now())
        .length,
      progress: counted.length
        ? counted.reduce(
            (s, i) => s + (i.status === 'done' ? 100 : i.progress ?? 0),
            0,
          ) / counted.length
        : null,
    };
  };
  const takeRejection = () => {
    const reject = state.reject;
    state.reject = undefined;
    return reject?.();
  };
  server.use(
    http.get(`${SLA_BASE_URL}/reviews`, () =>
      HttpResponse.json({ items: reviews, schedules: [] }),
    ),
    http.get(`${SLA_BASE_URL}/improvements`, () =>
      HttpResponse.json({ items: state.items, plan: plan() }),
    ),
    http.post(`${SLA_BASE_URL}/improvements`, async ({ request }) => {
      const body = (await request.json()) as any;
      state.posted.push(body);
      const rejected = takeRejection();
      if (rejected) return rejected;
      const created = initiative({
        ...body,
        id: `i${state.items.length + 1}`,
        status: body.status ?? 'proposed',
        progress: body.progress,
        due: body.due,
        version: 1,
      });
      state.items.push(created);
      return HttpResponse.json(created, { status: 201 });
    }),
    http.put(
      `${SLA_BASE_URL}/improvements/:id`,
      async ({ request, params }) => {
        const body = (await request.json()) as any;
        state.put.push(body);
        const rejected = takeRejection();
        if (rejected) return rejected;
        const index = state.items.findIndex(i => i.id === params.id);
        const current = state.items[index];
        if (body.version !== current.version) {
          return errorResponse(
            409,
            'ConflictError',
            `version ${body.version} is stale: the initiative was changed by user:default/bob and is now at version ${current.version}; reload it and apply your change again`,
          );
        }
        const { version, ...rest } = body;
        const next: Improvement = {
          ...rest,
          id: current.id,
          entityRef: current.entityRef,
          version: current.version + 1,
          createdAt: current.createdAt,
          createdBy: current.createdBy,
          updatedAt: iso(Date.now()),
          updatedBy: 'user:default/alice',
        };
        state.items[index] = next;
        return HttpResponse.json(next);
      },
    ),
  );
  return state;
}

async function renderTab(owner = true) {
  installFakeSlaBackend(server, {
    agreements: [agreement],
    access: owner ? { create: true, update: true } : undefined,
  });
  await renderInTestApp(
    <EntityPageWrapper>
      <EntitySlaReviewsContent />
    </EntityPageWrapper>,
    { mountedRoutes: entityPageRoutes },
  );
  await screen.findByText('Service improvement plan');
}

const progressBar = (title: string) =>
  screen.findByRole('progressbar', { name: `${title} progress` });

describe('EntitySlaReviewsContent: improvement initiatives', () => {
  it('lets an owner start an initiative that then shows in the plan with its progress', async () => {
    const state = installImprovements();
    await renderTab();
    expect(
      screen.getByText('No improvement initiatives yet.'),
    ).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'New initiative' }),
    );
    const dialog = await screen.findByRole('dialog');
    // The service's owner is the default owner.
    expect(within(dialog).getByLabelText(/^Owner/)).toHaveValue(
      'group:default/payments-team',
    );
    await userEvent.type(
      within(dialog).getByLabelText(/^Title/),
      'Cache exchange rates',
    );
    await userEvent.selectOptions(
      within(dialog).getByLabelText(/^Source$/),
      'complaint',
    );
    await userEvent.type(within(dialog).getByLabelText(/^Source id/), 'f-17');
    await userEvent.type(within(dialog).getByLabelText(/^Progress/), '30');
    await userEvent.type(within(dialog).getByLabelText(/^Due/), '2027-03-31');
    await userEvent.click(
      within(dialog).getByLabelText('Payments API SLA: Latency'),
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Create initiative' }),
    );

    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(await progressBar('Cache exchange rates')).toHaveAttribute(
      'aria-valuenow',
      '30',
    );
    expect(screen.getByText(/1 open, 0 done/)).toBeInTheDocument();
    // The plan names the linked target (one agreement: without its title).
    expect(
      within(
        screen.getByRole('row', { name: /Cache exchange rates/ }),
      ).getByText('Latency'),
    ).toBeInTheDocument();
    expect(state.posted).toEqual([
      {
        entityRef: testEntityRef,
        title: 'Cache exchange rates',
        source: 'complaint',
        sourceId: 'f-17',
        owner: 'group:default/payments-team',
        status: 'proposed',
        progress: 30,
        due: '2027-03-31T23:59:59.999Z',
        targets: [{ agreementId: 'payments-sla', targetId: 'latency' }],
      },
    ]);
  });

  it('shows a 400 at its fields and keeps the dialog open with the input', async () => {
    const state = installImprovements();
    state.reject = () =>
      errorResponse(
        400,
        'InputError',
        'title must be a non-empty string; progress must be a whole percentage from 0 to 100; targets[0].targetId is not a target of agreement payments-sla',
      );
    await renderTab();
    await userEvent.click(
      screen.getByRole('button', { name: 'New initiative' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText(/^Title/), '   ');
    await userEvent.type(within(dialog).getByLabelText(/^Progress/), '150');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Create initiative' }),
    );

    expect(
      await within(dialog).findByText('must be a non-empty string'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText('must be a whole percentage from 0 to 100'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText('is not a target of agreement payments-sla'),
    ).toBeInTheDocument();
    expect(within(dialog).getByLabelText(/^Title/)).toHaveAttribute(
      'aria-invalid',
      'true',
    );
    expect(within(dialog).getByLabelText(/^Progress/)).toHaveValue(150);
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    expect(
      screen.getByText('No improvement initiatives yet.'),
    ).toBeInTheDocument();
  });

  it('shows a conflict on a stale edit, reloads, and saves with the version read', async () => {
    const state = installImprovements([initiative()]);
    await renderTab();
    await progressBar('Retry card authorisations');

    await userEvent.click(
      screen.getByRole('button', { name: 'Edit Retry card authorisations' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByLabelText(/^Title/)).toHaveValue(
      'Retry card authorisations',
    );
    // Someone else moves it meanwhile.
    state.items[0] = { ...state.items[0], progress: 50, version: 2 };
    const progress = within(dialog).getByLabelText(/^Progress/);
    await userEvent.clear(progress);
    await userEvent.type(progress, '60');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Save initiative' }),
    );

    const alert = await within(dialog).findByText(/version 1 is stale/);
    expect(alert).toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Reload' }),
    );
    await waitFor(() =>
      expect(within(dialog).queryByText(/is stale/)).not.toBeInTheDocument(),
    );
    // The input stays; the save now carries the version just read.
    expect(within(dialog).getByLabelText(/^Progress/)).toHaveValue(60);
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Save initiative' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(state.put.map(b => b.version)).toEqual([1, 2]);
    expect(await progressBar('Retry card authorisations')).toHaveAttribute(
      'aria-valuenow',
      '60',
    );
  });

  it('starts an initiative and marks it done after a confirmation', async () => {
    const state = installImprovements([initiative()]);
    await renderTab();
    await progressBar('Retry card authorisations');

    await userEvent.click(
      screen.getByRole('button', { name: 'Start Retry card authorisations' }),
    );
    await waitFor(() =>
      expect(screen.getByText('In progress')).toBeInTheDocument(),
    );
    // In progress: no more "Start".
    expect(
      screen.queryByRole('button', { name: 'Start Retry card authorisations' }),
    ).not.toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Done Retry card authorisations' }),
    );
    const confirm = await screen.findByRole('dialog');
    await userEvent.click(
      within(confirm).getByRole('button', { name: 'Mark done' }),
    );
    await waitFor(() =>
      expect(screen.getByText(/0 open, 1 done/)).toBeInTheDocument(),
    );
    expect(await progressBar('Retry card authorisations')).toHaveAttribute(
      'aria-valuenow',
      '100',
    );
    expect(
      screen.queryByRole('button', { name: 'Edit Retry card authorisations' }),
    ).not.toBeInTheDocument();
    expect(state.put).toEqual([
      expect.objectContaining({ status: 'in-progress', version: 1 }),
      expect.objectContaining({ status: 'done', progress: 100, version: 2 }),
    ]);
  });

  it('marks open initiatives past their due day as overdue', async () => {
    installImprovements([
      initiative({ due: iso(Date.now() - 3 * DAY) }),
      initiative({
        id: 'i2',
        title: 'Old fix',
        status: 'done',
        due: iso(Date.now() - 30 * DAY),
      }),
    ]);
    await renderTab(false);
    expect(
      await screen.findByRole('group', {
        name: 'Retry card authorisations is overdue',
      }),
    ).toHaveTextContent(/Overdue, 3 days ago/);
    expect(
      screen.queryByRole('group', { name: 'Old fix is overdue' }),
    ).not.toBeInTheDocument();
    expect(screen.getByText(/1 overdue/)).toBeInTheDocument();
  });

  it('shows the plan to a reader without any edit controls', async () => {
    installImprovements([initiative()]);
    await renderTab(false);
    expect(await progressBar('Retry card authorisations')).toHaveAttribute(
      'aria-valuenow',
      '40',
    );
    for (const name of [
      'New initiative',
      'Edit Retry card authorisations',
      'Start Retry card authorisations',
      'Done Retry card authorisations',
      'Cancel Retry card authorisations',
    ]) {
      expect(screen.queryByRole('button', { name })).not.toBeInTheDocument();
    }
  });

  it("offers a held review's action as a new initiative, linked to the review", async () => {
    const review: Review = {
      id: 'r-7',
      agreementId: agreement.id,
      entityRef: testEntityRef,
      kind: 'service',
      status: 'held',
      period: { start: iso(Date.now() - 30 * DAY), end: iso(Date.now()) },
      heldAt: iso(Date.now()),
      participants: ['user:default/alice'],
      actions: [
        { title: 'Add a second card processor', owner: 'user:default/bob' },
      ],
      version: 1,
      createdAt: iso(Date.now()),
      createdBy: 'user:default/alice',
      updatedAt: iso(Date.now()),
      updatedBy: 'user:default/alice',
    };
    const state = installImprovements([], [review]);
    await renderTab();
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Create initiative: Add a second card processor',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByLabelText(/^Title/)).toHaveValue(
      'Add a second card processor',
    );
    expect(within(dialog).getByLabelText(/^Source$/)).toHaveValue('review');
    expect(within(dialog).getByLabelText(/^Source id/)).toHaveValue('r-7');
    expect(within(dialog).getByLabelText(/^Owner/)).toHaveValue(
      'user:default/bob',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Create initiative' }),
    );
    expect(await progressBar('Add a second card processor')).toHaveAttribute(
      'aria-valuenow',
      '0',
    );
    expect(state.posted[0]).toMatchObject({
      source: 'review',
      sourceId: 'r-7',
    });
  });
});
