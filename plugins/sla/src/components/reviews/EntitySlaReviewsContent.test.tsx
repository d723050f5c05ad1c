import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks, renderInTestApp } from '@backstage/test-utils';
import type {
  Improvement,
  Review,
  ReviewSchedule,
} from '@opensla/backstage-plugin-sla-common';
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

const improvement: Improvement = {
  id: 'i1',
  entityRef: testEntityRef,
  title: 'Retry card authorisations',
  source: 'breach',
  owner: 'user:default/alice',
  status: 'in-progress',
  progress: 40,
  due: '2026-12-15T00:00:00.000Z',
  targets: [],
  version: 1,
  createdAt: '2026-11-01T00:00:00.000Z',
  createdBy: 'user:default/alice',
  updatedAt: '2026-11-01T00:00:00.000Z',
  updatedBy: 'user:default/alice',
};

/** GET /reviews and /improvements; POST /reviews holds one and moves the schedule. */
function installReviews() {
  const state = {
    reviews: [] as Review[],
    schedule: {
      agreementId: agreement.id,
      serviceReviewInterval: 'P1M',
      nextServiceReviewDue: iso(Date.now() - 10 * DAY),
      nextAgreementReviewDue: iso(Date.now() + 40 * DAY),
      overdue: ['service'],
      openReviews: 0,
    } as ReviewSchedule,
    posted: [] as any[],
  };
  server.use(
    http.get(`${SLA_BASE_URL}/reviews`, () =>
      HttpResponse.json({ items: state.reviews, schedules: [state.schedule] }),
    ),
    http.get(`${SLA_BASE_URL}/improvements`, () =>
      HttpResponse.json({
        items: [improvement],
        plan: {
          total: 1,
          open: 1,
          done: 0,
          cancelled: 0,
          overdue: 0,
          progress: 40,
        },
      }),
    ),
    http.post(`${SLA_BASE_URL}/reviews`, async ({ request }) => {
      const body = (await request.json()) as any;
      state.posted.push(body);
      const review: Review = {
        id: 'r1',
        agreementId: agreement.id,
        entityRef: testEntityRef,
        kind: body.kind,
        status: 'held',
        period: body.period,
        heldAt: iso(Date.now()),
        participants: body.participants,
        minutes: body.minutes,
        decision: body.decision
          ? { ...body.decision, transitions: [], agreementVersion: 2 }
          : undefined,
        actions: [],
        version: 1,
        createdAt: iso(Date.now()),
        createdBy: 'user:default/alice',
        updatedAt: iso(Date.now()),
        updatedBy: 'user:default/alice',
      };
      state.reviews = [review];
      state.schedule = {
        ...state.schedule,
        lastReviewAt: review.heldAt,
        nextServiceReviewDue: iso(Date.now() + 30 * DAY),
        overdue: [],
      };
      return HttpResponse.json(review, { status: 201 });
    }),
  );
  return state;
}

async function renderTab() {
  await renderInTestApp(
    <EntityPageWrapper>
      <EntitySlaReviewsContent />
    </EntityPageWrapper>,
    { mountedRoutes: entityPageRoutes },
  );
}

describe('EntitySlaReviewsContent', () => {
  it('shows an overdue review and lets an owner record one, moving the next due date', async () => {
    installFakeSlaBackend(server, {
      agreements: [agreement],
      access: { create: true, update: true },
    });
    const state = installReviews();
    await renderTab();

    const next = await screen.findByRole('group', {
      name: 'Next service review of Payments API SLA',
    });
    expect(within(next).getByText(/Overdue/)).toBeInTheDocument();
    expect(
      screen.getByText('Retry card authorisations', { exact: false }),
    ).toBeInTheDocument();
    expect(screen.getByText(/1 open, 0 done/)).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Record review of Payments API SLA' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(
      within(dialog).getByLabelText(/^Participants/),
      'user:default/alice',
    );
    await userEvent.selectOptions(
      within(dialog).getByLabelText(/^Decision/),
      'prolong',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Record review' }),
    );

    await waitFor(() =>
      expect(
        within(
          screen.getByRole('group', {
            name: 'Next service review of Payments API SLA',
          }),
        ).getByText(/Scheduled/),
      ).toBeInTheDocument(),
    );
    expect(state.posted).toHaveLength(1);
    expect(state.posted[0]).toMatchObject({
      agreementId: agreement.id,
      status: 'held',
      participants: ['user:default/alice'],
      decision: { type: 'prolong' },
    });
  });

  it('shows no edit controls to a reader', async () => {
    installFakeSlaBackend(server, { agreements: [agreement] });
    installReviews();
    await renderTab();
    await screen.findByRole('group', {
      name: 'Next service review of Payments API SLA',
    });
    expect(
      screen.queryByRole('button', { name: /Record review/ }),
    ).not.toBeInTheDocument();
  });

  it('shows field errors and a conflict with Reload, keeping the input', async () => {
    installFakeSlaBackend(server, {
      agreements: [agreement],
      access: { create: true, update: true },
    });
    installReviews();
    const answers = [
      errorResponse(
        400,
        'InputError',
        'participants[0] must be a non-empty string; serviceReviewInterval must be an ISO 8601 duration from P1M to P3M',
      ),
      errorResponse(
        409,
        'ConflictError',
        'The agreement is withdrawn; it cannot be prolonged',
      ),
    ];
    server.use(http.post(`${SLA_BASE_URL}/reviews`, () => answers.shift()!));
    await renderTab();
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Record review of Payments API SLA',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(
      within(dialog).getByLabelText(/^Participants/),
      'user:default/alice',
    );
    const save = within(dialog).getByRole('button', { name: 'Record review' });

    await userEvent.click(save);
    expect(
      await within(dialog).findByText('must be a non-empty string'),
    ).toBeInTheDocument();
    expect(within(dialog).getByLabelText(/^Participants/)).toHaveAttribute(
      'aria-invalid',
      'true',
    );
    expect(
      within(dialog).getByText('must be an ISO 8601 duration from P1M to P3M'),
    ).toBeInTheDocument();

    await userEvent.click(save);
    expect(
      await within(dialog).findByText(/it cannot be prolonged/),
    ).toBeInTheDocument();
    // The field errors of the previous try are gone.
    expect(
      within(dialog).queryByText('must be a non-empty string'),
    ).not.toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Reload' }),
    );
    await waitFor(() =>
      expect(
        within(dialog).queryByText(/it cannot be prolonged/),
      ).not.toBeInTheDocument(),
    );
    expect(within(dialog).getByLabelText(/^Participants/)).toHaveValue(
      'user:default/alice',
    );
  });

  it('prolongs a target that is not viable only with a reason, sent as the override', async () => {
    installFakeSlaBackend(server, {
      agreements: [agreement],
      access: { create: true, update: true },
    });
    const state = installReviews();
    const refusal = errorResponse(
      409,
      'ConflictError',
      'target Availability (availability) promises 99.99 % but its dependencies support at most 99.9 %: it is not viable',
    );
    let refused = false;
    server.use(
      http.post(`${SLA_BASE_URL}/reviews`, async ({ request }) => {
        const body = (await request.clone().json()) as any;
        if (!body.decision?.viabilityOverride) {
          refused = true;
          state.posted.push(body);
          return refusal;
        }
        return undefined; // the handler of installReviews stores it
      }),
    );
    await renderTab();
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Record review of Payments API SLA',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(
      within(dialog).getByLabelText(/^Participants/),
      'user:default/alice',
    );
    await userEvent.selectOptions(
      within(dialog).getByLabelText(/^Decision/),
      'prolong',
    );
    expect(
      within(dialog).queryByLabelText(/^Reason to prolong/),
    ).not.toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Record review' }),
    );
    expect(
      await within(dialog).findByText(/is not viable/),
    ).toBeInTheDocument();
    expect(refused).toBe(true);
    await userEvent.type(
      await within(dialog).findByLabelText(/^Reason to prolong/),
      'Second PSP in Q1',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Record review' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(state.posted.at(-1)).toMatchObject({
      decision: {
        type: 'prolong',
        viabilityOverride: { reason: 'Second PSP in Q1' },
      },
    });
  });
});
