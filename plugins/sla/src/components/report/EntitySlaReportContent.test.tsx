import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks, renderInTestApp } from '@backstage/test-utils';
import type {
  PublishedReportSummary,
  ServiceReport,
} from '@opensla/backstage-plugin-sla-common';
import {
  EntityPageWrapper,
  SLA_BASE_URL,
  entityPageRoutes,
  errorResponse,
  installFakeSlaBackend,
  testEntityRef,
} from '../../__testUtils__/slaTestBackend';
import { EntitySlaReportContent } from './EntitySlaReportContent';
import { reportMonths } from './reportMonths';

jest.setTimeout(30_000);

const server = setupServer();
registerMswTestHooks(server);

const [lastMonth, monthBefore] = reportMonths(Date.now());

function makeReport(month: string): ServiceReport {
  const start = `${month}-01T00:00:00.000Z`;
  return {
    entityRef: testEntityRef,
    period: { start, end: '2099-01-01T00:00:00.000Z', month },
    generatedAt: '2026-11-22T09:00:00.000Z',
    summary: { targets: 2, met: 1, notMet: 1, noData: 0, breaches: 1 },
    agreements: [
      {
        id: 'a1',
        kind: 'SLA',
        title: 'Payments SLA',
        status: 'agreed',
        version: 4,
        validFrom: '2026-01-01T00:00:00Z',
        targets: [
          {
            targetId: 'availability',
            name: 'Availability',
            aspect: 'availability',
            objective: 99.9,
            attainment: 99.5,
            met: false,
            counted: 2000,
            errorBudget: { allowed: 2, consumed: 10, remaining: -4 },
            breaches: [
              {
                id: 'b1',
                openedAt: '2026-10-14T10:00:00.000Z',
                closedAt: null,
                severity: 'major',
                cause: 'internal',
                durationMs: 3 * 3_600_000,
              },
            ],
            atPeriodEnd: {
              status: 'breached',
              attainment: 99.4,
              window: { start, end: start },
            },
          },
          {
            targetId: 'latency',
            name: 'Latency',
            aspect: 'performance',
            objective: 95,
            attainment: 97.25,
            met: true,
            counted: 400,
            errorBudget: { allowed: 20, consumed: 11, remaining: 0.45 },
            breaches: [],
            atPeriodEnd: {
              status: 'met',
              attainment: 97,
              window: { start, end: start },
            },
          },
        ],
      },
    ],
    satisfaction: {
      csat: 75,
      csatResponses: 4,
      nps: null,
      npsResponses: 0,
      responses: 4,
      complaints: { total: 2, open: 1, acknowledged: 0, resolved: 1 },
      compliments: 1,
    },
    reviews: [
      {
        id: 'r1',
        agreementId: 'a1',
        kind: 'service',
        heldAt: '2026-10-20T10:00:00.000Z',
        participants: 3,
        decision: 'prolong',
      },
    ],
    improvements: [
      {
        id: 'i1',
        title: 'Add a second payment provider',
        source: 'breach',
        owner: 'group:default/payments-team',
        status: 'in-progress',
        progress: 40,
      },
    ],
  };
}

/** The fake backend of the report routes, recording what was asked. */
function installReports(options: { owner: boolean }) {
  installFakeSlaBackend(server, {
    agreements: [],
    access: { create: options.owner, update: options.owner },
  });
  const asked: string[] = [];
  const published: PublishedReportSummary[] = [];
  const posts: unknown[] = [];
  server.use(
    http.get(`${SLA_BASE_URL}/reports`, ({ request }) => {
      const query = new URL(request.url).searchParams;
      asked.push(query.toString());
      const report = makeReport(query.get('month')!);
      if (query.get('format') === 'csv') {
        return new HttpResponse('entityRef,targetId\r\n', {
          headers: {
            'Content-Type': 'text/csv',
            'Content-Disposition': 'attachment; filename="report.csv"',
          },
        });
      }
      return HttpResponse.json(report);
    }),
    http.get(`${SLA_BASE_URL}/reports/published`, () =>
      HttpResponse.json({ items: published }),
    ),
    http.post(`${SLA_BASE_URL}/reports/published`, async ({ request }) => {
      const body = (await request.json()) as { month: string };
      posts.push(body);
      if (published.some(p => p.period.month === body.month)) {
        return errorResponse(409, 'ConflictError', 'published already');
      }
      const report = makeReport(body.month);
      const summary = {
        id: `p-${body.month}`,
        entityRef: testEntityRef,
        period: report.period,
        publishedAt: '2026-11-22T09:30:00.000Z',
        publishedBy: 'user:default/guest',
        summary: report.summary,
      };
      published.push(summary);
      return HttpResponse.json({ ...summary, report }, { status: 201 });
    }),
  );
  return { asked, posts, published };
}

async function renderTab() {
  await renderInTestApp(
    <EntityPageWrapper>
      <EntitySlaReportContent />
    </EntityPageWrapper>,
    { mountedRoutes: entityPageRoutes },
  );
}

describe('EntitySlaReportContent', () => {
  it('shows the figures of the last full month by default', async () => {
    const { asked } = installReports({ owner: false });
    await renderTab();
    await screen.findByText(`Service report: payments, ${lastMonth.label}`);
    expect(asked[0]).toBe(
      `entityRef=${encodeURIComponent(testEntityRef)}&month=${lastMonth.value}`,
    );
    expect(
      within(screen.getByRole('group', { name: 'Targets met' })).getByText(
        '1 of 2',
      ),
    ).toBeInTheDocument();
    const targets = screen.getByRole('table', {
      name: 'Targets of Payments SLA',
    });
    const availability = within(targets)
      .getByText('Availability')
      .closest('tr')!;
    expect(within(availability).getByText('99.5 %')).toBeInTheDocument();
    const met = (row: HTMLElement) =>
      within(row).getAllByRole('cell')[3].textContent;
    expect(met(availability)).toBe('Not met');
    expect(
      within(availability).getByText('10 of 2 (500 %)'),
    ).toBeInTheDocument();
    const latency = within(targets).getByText('Latency').closest('tr')!;
    expect(within(latency).getByText('97.25 %')).toBeInTheDocument();
    expect(met(latency)).toBe('Met');

    const breaches = screen.getByRole('table', {
      name: 'Breaches of Payments SLA',
    });
    expect(
      within(breaches).getByText('open at period end'),
    ).toBeInTheDocument();
    expect(within(breaches).getByText('3 h')).toBeInTheDocument();
    expect(within(breaches).getByText('major')).toBeInTheDocument();
    expect(
      within(screen.getByRole('table', { name: 'Reviews held' })).getByText(
        'prolong',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Add a second payment provider'),
    ).toBeInTheDocument();
    expect(screen.getByText('40 %')).toBeInTheDocument();
    // readers see no publish button, and the (empty) published list
    expect(screen.queryByRole('button', { name: 'Publish' })).toBeNull();
    expect(
      await screen.findByText(/No report has been published yet/),
    ).toBeInTheDocument();
  });

  it('loads another month when one is picked', async () => {
    const { asked } = installReports({ owner: false });
    await renderTab();
    await screen.findByText(`Service report: payments, ${lastMonth.label}`);
    await userEvent.click(screen.getByLabelText('Period'));
    await userEvent.click(
      await screen.findByRole('option', { name: monthBefore.label }),
    );
    await screen.findByText(`Service report: payments, ${monthBefore.label}`);
    expect(asked[asked.length - 1]).toContain(`month=${monthBefore.value}`);
  });

  it('downloads the CSV with the user credentials and saves it as a file', async () => {
    const { asked } = installReports({ owner: false });
    const createObjectURL = jest.fn(() => 'blob:report');
    const revokeObjectURL = jest.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function record(this: HTMLAnchorElement) {
        expect(this.download).toBe('report.csv');
        expect(this.href).toBe('blob:report');
      });
    await renderTab();
    await screen.findByText(`Service report: payments, ${lastMonth.label}`);
    await userEvent.click(screen.getByRole('button', { name: /Download CSV/ }));
    await waitFor(() => expect(click).toHaveBeenCalledTimes(1));
    expect(asked[asked.length - 1]).toContain('format=csv');
    const blob = (createObjectURL.mock.calls[0] as unknown[])[0] as Blob;
    expect(await blob.text()).toBe('entityRef,targetId\r\n');
    click.mockRestore();
  });

  it('lets owners publish a month once; the published list shows it', async () => {
    const { posts } = installReports({ owner: true });
    await renderTab();
    await screen.findByText(`Service report: payments, ${lastMonth.label}`);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Publish' }),
    );
    await screen.findByText(`The report of ${lastMonth.label} is published.`);
    expect(posts).toEqual([
      { entityRef: testEntityRef, month: lastMonth.value },
    ]);
    const list = await screen.findByRole('table', {
      name: 'Published reports',
    });
    expect(within(list).getByText(lastMonth.label)).toBeInTheDocument();
    expect(
      within(list).getByText(/by user:default\/guest/),
    ).toBeInTheDocument();
    // a published month cannot be published again
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Published' })).toBeDisabled(),
    );
  });

  it('shows the backend error in the page', async () => {
    installReports({ owner: false });
    server.use(
      http.get(`${SLA_BASE_URL}/reports`, () =>
        errorResponse(
          403,
          'NotAllowedError',
          'You may not read the agreements of component:default/payments',
        ),
      ),
    );
    await renderTab();
    expect(
      (await screen.findAllByText(/403 Forbidden/))[0],
    ).toBeInTheDocument();
  });
});
