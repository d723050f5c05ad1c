import {
  isInaccessible,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http } from 'msw';
import { setupServer } from 'msw/node';
import { DateTime } from 'luxon';
import { registerMswTestHooks, renderInTestApp } from '@backstage/test-utils';
import { EntitySlaContent } from './EntitySlaContent';
import {
  makeAgreement,
  testEntityRef,
} from '../__testUtils__/agreementFixtures';
import {
  atRiskAvailability,
  breachedLatency,
  makeAttainment,
  makeBreach,
  makeTimeline,
  noDataResolution,
} from '../__testUtils__/attainmentFixtures';
import {
  EntityPageWrapper,
  SLA_BASE_URL,
  entityPageRoutes,
  errorResponse,
  installFakeSlaBackend,
} from '../__testUtils__/slaTestBackend';

jest.setTimeout(30_000);

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

/** The row of a target in the "Service levels now" area. */
async function findTargetRow(name: string) {
  const area = await screen.findByRole('region', {
    name: 'Attainment of Payments API SLA',
  });
  return within(area).findByRole('row', { name });
}

/** "24 Oct 14:00" as the viewer's zone shows it. */
function local(instant: string) {
  return DateTime.fromISO(instant).setLocale('en-GB').toFormat('d LLL HH:mm');
}

describe('EntitySlaContent: how the targets in force stand', () => {
  beforeAll(() => {
    jest.useFakeTimers({
      now: new Date('2026-03-14T12:05:00.000Z'),
      doNotFake: [
        'setTimeout',
        'setInterval',
        'setImmediate',
        'nextTick',
        'queueMicrotask',
      ],
    });
  });
  afterAll(() => jest.useRealTimers());

  it('shows a healthy, a breached and a target without data with status, attainment and budget', async () => {
    const backend = installFakeSlaBackend(server, {
      agreements: [makeAgreement()],
      attainment: [makeAttainment(), breachedLatency, noDataResolution],
    });
    await renderContent();

    const healthy = await findTargetRow('Availability');
    expect(within(healthy).getByText('Met')).toBeInTheDocument();
    expect(
      within(healthy).getByText('99.95 % (objective 99.9 %)'),
    ).toBeInTheDocument();
    expect(
      within(healthy).getByText('50 % of budget left'),
    ).toBeInTheDocument();
    expect(
      within(healthy).getByText('617 of 1,234.5 allowed failed requests'),
    ).toBeInTheDocument();
    expect(
      within(healthy).getByText('from 1.2 M requests'),
    ).toBeInTheDocument();
    expect(
      within(healthy).getByText(
        '99.9 % of requests succeed over a rolling 28 days',
      ),
    ).toBeInTheDocument();
    expect(
      within(healthy).getByText(
        `rolling 28 days, since ${local('2026-02-14T12:00:00.000Z')}`,
      ),
    ).toBeInTheDocument();
    expect(
      within(healthy).getByRole('progressbar', {
        name: 'Error budget left of Availability',
      }),
    ).toHaveAttribute('aria-valuenow', '50');
    // Burn rates at a glance, the short look-backs as secondary text.
    const rates = within(healthy).getByRole('list', { name: 'Burn rates' });
    expect(rates).toHaveTextContent('1h0.4×6h0.6×1d0.7×3d0.8×');
    expect(
      within(healthy).getByText('5m 0.2×, 30m 0.3×, 2h 0.5×'),
    ).toBeInTheDocument();

    const breached = await findTargetRow('Latency');
    expect(within(breached).getByText('Breached')).toBeInTheDocument();
    // Status labels are read out, not only shown as colour and icon.
    expect(isInaccessible(within(breached).getByText('Breached'))).toBe(false);
    expect(isInaccessible(within(healthy).getByText('Met'))).toBe(false);
    expect(
      within(breached).getByText('88.5 % (objective 95 %)'),
    ).toBeInTheDocument();
    expect(within(breached).getByText('overspent 2.3×')).toBeInTheDocument();
    expect(
      within(breached).getByText('from 40,312 one-minute slices'),
    ).toBeInTheDocument();
    expect(
      within(breached).getByText(
        `calendar month (Europe/Berlin), since ${local(
          '2026-02-28T23:00:00.000Z',
        )}`,
      ),
    ).toBeInTheDocument();

    const noData = await findTargetRow('P1 resolution');
    expect(within(noData).getByText('No data')).toBeInTheDocument();
    expect(within(noData).getByText('No measurements yet')).toBeInTheDocument();
    expect(noData).toHaveTextContent(
      /pushes them to POST \/api\/sla\/measurements \(series incidents of component:default\/payments\), or from a metric source such as Prometheus/,
    );
    // Nothing to chart without data.
    expect(within(noData).queryByRole('button')).toBeNull();

    expect(backend.reads('/attainment')[0].search).toBe(
      `?entityRef=${encodeURIComponent(testEntityRef)}`,
    );
    // The agreement itself is still shown with its terms.
    expect(
      screen.getByRole('region', { name: 'Payments API SLA' }),
    ).toBeInTheDocument();
  });

  it('shows an at-risk target with its firing page alert', async () => {
    installFakeSlaBackend(server, {
      agreements: [makeAgreement()],
      attainment: [atRiskAvailability],
    });
    await renderContent();

    const row = await findTargetRow('Availability');
    expect(within(row).getByText('At risk')).toBeInTheDocument();
    expect(within(row).getByText('Page: 1h/5m')).toBeInTheDocument();
    expect(within(row).getByText('14 % of budget left')).toBeInTheDocument();
    expect(
      within(row).getByRole('list', { name: 'Burn rates' }),
    ).toHaveTextContent('1h15.1×');
    expect(within(row).getByText(/^5m 18.2×/)).toBeInTheDocument();
    // Other targets of the agreement were not evaluated.
    expect(
      within(await findTargetRow('Latency')).getByText('Not evaluated yet.'),
    ).toBeInTheDocument();
  });

  it('explains a target without budget (objective 100 %)', async () => {
    installFakeSlaBackend(server, {
      agreements: [makeAgreement()],
      attainment: [
        makeAttainment({
          objective: 100,
          attainment: 99.99,
          status: 'breached',
          errorBudget: { allowed: 0, consumed: 3, remaining: null },
        }),
      ],
    });
    await renderContent();

    const row = await findTargetRow('Availability');
    expect(
      within(row).getByText('no budget (objective 100 %), overspent'),
    ).toBeInTheDocument();
    expect(
      within(row).getByText('3 failed requests, none allowed'),
    ).toBeInTheDocument();
  });

  it('loads and charts the trend of a target when its row is expanded', async () => {
    const backend = installFakeSlaBackend(server, {
      agreements: [makeAgreement()],
      attainment: [makeAttainment(), breachedLatency],
      timeline: makeTimeline(),
    });
    await renderContent();

    const row = await findTargetRow('Latency');
    expect(backend.reads('/attainment/timeline')).toEqual([]);
    await userEvent.click(
      within(row).getByRole('button', { name: 'Show trend of Latency' }),
    );

    expect(
      await screen.findByRole('figure', {
        name: 'Attainment trend of Latency',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('figure', { name: 'Error budget burn-down of Latency' }),
    ).toBeInTheDocument();
    // Each chart also says in words what it shows.
    expect(
      screen.getByText(/^100 % on .*, 99\.95 % on .*; objective 95 %\.$/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/^100 % left on .*, 50 % left on/),
    ).toBeInTheDocument();

    const reads = backend.reads('/attainment/timeline');
    expect(reads).toHaveLength(1);
    const query = new URLSearchParams(reads[0].search);
    expect(query.get('agreementId')).toBe('payments-sla');
    expect(query.get('targetId')).toBe('latency');
    expect(query.get('points')).toBe('30');

    await userEvent.click(
      within(row).getByRole('button', { name: 'Hide trend of Latency' }),
    );
    await waitFor(() =>
      expect(
        screen.queryByRole('figure', { name: 'Attainment trend of Latency' }),
      ).toBeNull(),
    );
  });

  it('shows an attainment failure in its area and the agreements still', async () => {
    installFakeSlaBackend(server, {
      agreements: [makeAgreement()],
    });
    server.use(
      http.get(`${SLA_BASE_URL}/attainment`, () =>
        errorResponse(500, 'Error', 'measurement store unavailable'),
      ),
    );
    await renderContent();

    expect(
      await screen.findByText(/Could not load how the targets stand/),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/measurement store unavailable/).length,
    ).toBeGreaterThan(0);
    const card = screen.getByRole('region', { name: 'Payments API SLA' });
    expect(
      within(card).getByText(
        '99.9 % of requests succeed over a rolling 28 days',
      ),
    ).toBeInTheDocument();
    expect(within(card).getByText('Agreed')).toBeInTheDocument();
  });

  it('says that only agreements in force are measured', async () => {
    installFakeSlaBackend(server, {
      agreements: [makeAgreement({ status: 'negotiation' })],
    });
    await renderContent();

    expect(
      await screen.findByText(/No agreement is in force yet/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('region', { name: 'Payments API SLA' }),
    ).toBeInTheDocument();
  });
});

describe('EntitySlaContent: breach timeline', () => {
  it('lists open and closed breaches of the last 90 days with their causes', async () => {
    const backend = installFakeSlaBackend(server, {
      agreements: [makeAgreement()],
      breaches: [
        makeBreach(),
        makeBreach({
          id: 'breach-2',
          targetId: 'availability',
          openedAt: DateTime.now().minus({ hours: 3 }).toUTC().toISO()!,
          closedAt: null,
          severity: 'critical',
          cause: 'third-party',
          causedBy: [
            {
              entityRef: 'resource:default/stripe-payments',
              agreementId: 'stripe-uc',
              kind: 'UC',
            },
          ],
          worstRemaining: -1.3,
        }),
      ],
    });
    await renderContent();

    const table = await screen.findByRole('table', { name: 'Breaches' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);

    // Newest first: the open one.
    const [open, closed] = rows;
    expect(within(open).getByText('Availability')).toBeInTheDocument();
    expect(within(open).getByText('open')).toBeInTheDocument();
    expect(
      within(open).getByText(/^3 h( \d+ min)? so far$/),
    ).toBeInTheDocument();
    expect(within(open).getByText('Critical')).toBeInTheDocument();
    expect(
      within(open).getByText('budget low point: overspent 2.3×'),
    ).toBeInTheDocument();
    expect(open).toHaveTextContent(
      'caused by third party: resource:default/stripe-payments (UC)',
    );
    expect(
      within(open).getByRole('link', {
        name: 'resource:default/stripe-payments',
      }),
    ).toHaveAttribute('href', '/catalog/default/resource/stripe-payments');

    expect(within(closed).getByText('Latency')).toBeInTheDocument();
    expect(within(closed).getByText('Payments API SLA')).toBeInTheDocument();
    expect(
      within(closed).getByText(
        DateTime.fromISO('2026-03-02T10:15:00.000Z')
          .setLocale('en-GB')
          .toFormat('d LLL yyyy, HH:mm'),
      ),
    ).toBeInTheDocument();
    expect(within(closed).getByText('2 h 15 min')).toBeInTheDocument();
    expect(within(closed).getByText('Major')).toBeInTheDocument();
    expect(
      within(closed).getByText('caused by this service'),
    ).toBeInTheDocument();

    // At a glance: one lane per breached target.
    expect(
      screen.getByRole('img', {
        name: '2 breaches of 2 targets in the last 90 days, 1 still open',
      }),
    ).toBeInTheDocument();

    const query = new URLSearchParams(backend.reads('/breaches')[0].search);
    expect(query.get('entityRef')).toBe(testEntityRef);
    const days = DateTime.fromISO(query.get('to')!)
      .diff(DateTime.fromISO(query.get('from')!), 'days')
      .as('days');
    expect(days).toBe(90);
  });

  it('says when there were no breaches', async () => {
    installFakeSlaBackend(server, { agreements: [makeAgreement()] });
    await renderContent();

    expect(
      await screen.findByText('No breaches in the last 90 days'),
    ).toBeInTheDocument();
  });
});
