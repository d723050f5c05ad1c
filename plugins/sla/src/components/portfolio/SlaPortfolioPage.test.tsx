import { configure, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  TestApiProvider,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/test-utils';
import type {
  Portfolio,
  ServiceSummary,
} from '@opensla/backstage-plugin-sla-common';
import { slaApiRef } from '../../api';
import {
  SLA_BASE_URL,
  createTestSlaClient,
  entityPageRoutes,
  errorResponse,
} from '../../__testUtils__/slaTestBackend';
import {
  healthyService,
  makeKpis,
  makePortfolio,
} from '../../__testUtils__/portfolioFixtures';
import { SlaPortfolioPage } from './SlaPortfolioPage';

jest.setTimeout(60_000);
// material-table renders slowly on a busy machine
configure({ asyncUtilTimeout: 10_000 });

const server = setupServer();
registerMswTestHooks(server);

const STATUS_ORDER = ['breached', 'at-risk', 'met', 'no-data', null];
const SORT_KEYS: Record<string, (i: ServiceSummary) => string | number> = {
  status: i => STATUS_ORDER.indexOf(i.worstStatus),
  service: i => i.entityRef,
  csat: i => i.csat ?? -1,
  breaches: i => i.breaches.total,
};

/**
 * GET /portfolio answering `portfolio` as the backend does: filtered by
 * status, kind, owner and search, sorted, one page of `limit` after the
 * cursor (here an offset), with the number of matching services and every
 * owner; records the query strings it gets.
 */
function installPortfolio(portfolio: Portfolio = makePortfolio()) {
  const queries: URLSearchParams[] = [];
  server.use(
    http.get(`${SLA_BASE_URL}/portfolio`, ({ request }) => {
      const query = new URL(request.url).searchParams;
      queries.push(query);
      const status = query.get('status');
      const kind = query.get('kind');
      const owner = query.get('owner');
      const search = query.get('search')?.toLowerCase();
      const key = SORT_KEYS[query.get('sort') ?? 'service'];
      const sign = query.get('order') === 'desc' ? -1 : 1;
      const matching = portfolio.items
        .filter(
          i =>
            (!status || i.worstStatus === status) &&
            (!kind || i.kinds.includes(kind as any)) &&
            (!owner || i.owners.includes(owner)) &&
            (!search || i.entityRef.toLowerCase().includes(search)),
        )
        .sort((a, b) => {
          const [x, y] = [key(a), key(b)];
          return (
            sign * (Number(x > y) - Number(x < y)) ||
            a.entityRef.localeCompare(b.entityRef)
          );
        });
      if (query.get('format') === 'csv') {
        return new HttpResponse(
          `service\r\n${matching.map(i => `${i.entityRef}\r\n`).join('')}`,
          {
            headers: {
              'Content-Type': 'text/csv',
              'Content-Disposition': 'attachment; filename="portfolio.csv"',
            },
          },
        );
      }
      const limit = Number(query.get('limit') ?? 50);
      const offset = Number(query.get('cursor') ?? 0);
      const items = matching.slice(offset, offset + limit);
      return HttpResponse.json({
        ...portfolio,
        items,
        total: matching.length,
        owners: [...new Set(portfolio.items.flatMap(i => i.owners))].sort(),
        ...(offset + limit < matching.length
          ? { nextCursor: String(offset + limit) }
          : {}),
      });
    }),
  );
  return { queries, last: () => queries[queries.length - 1] };
}

async function renderPage() {
  await renderInTestApp(
    <TestApiProvider apis={[[slaApiRef, createTestSlaClient()]]}>
      <SlaPortfolioPage />
    </TestApiProvider>,
    { mountedRoutes: entityPageRoutes },
  );
}

const tile = (name: string) => screen.getByRole('group', { name });

/**
 * The services table's body rows: rows with a link (material-table renders
 * the header, and with remote data the pagination, as tables too).
 */
function serviceRows() {
  return screen
    .getAllByRole('row')
    .filter(row => within(row).queryAllByRole('link').length > 0);
}

describe('SlaPortfolioPage', () => {
  it('shows every KPI with its change, coloured by whether it is good news', async () => {
    const { queries } = installPortfolio();
    await renderPage();

    await screen.findByRole('group', { name: 'Targets met' });
    // the default period: the last 30 days, ending now (no `at`)
    expect(queries[0].get('period')).toBe('P30D');
    expect(queries[0].has('at')).toBe(false);

    const targetsMet = tile('Targets met');
    expect(within(targetsMet).getByText('87.5 %')).toBeInTheDocument();
    expect(
      within(targetsMet).getByText('+2.5 pp (better)'),
    ).toBeInTheDocument();
    expect(
      within(targetsMet).getByText('previous period: 85 %'),
    ).toBeInTheDocument();

    const breaches = tile('Breaches');
    expect(within(breaches).getByText('3')).toBeInTheDocument();
    expect(within(breaches).getByText('+2 (worse)')).toBeInTheDocument();

    // fewer is better for minor breaches and unmeasured targets
    expect(
      within(tile('Minor breaches')).getByText('−1 (better)'),
    ).toBeInTheDocument();
    expect(
      within(tile('Targets without a measurement source')).getByText(
        '−12.5 pp (better)',
      ),
    ).toBeInTheDocument();
    expect(
      within(tile('SLAs overdue for review')).getByText('+50 pp (worse)'),
    ).toBeInTheDocument();
    expect(
      within(tile('Services with timely reviews')).getByText('−50 pp (worse)'),
    ).toBeInTheDocument();
    expect(within(tile('Services')).getByText('no change')).toBeInTheDocument();
    expect(within(tile('CSAT')).getByText('no comparison')).toBeInTheDocument();
    for (const name of [
      'Critical breaches',
      'Major breaches',
      'Caused by third parties (UC)',
      'Caused by internal teams (OLA)',
      'Caused by the service itself',
      'Services with an agreed, in-date SLA',
    ]) {
      expect(tile(name)).toBeInTheDocument();
    }
    // the colour follows the judgement
    expect(
      within(breaches).getByText('+2 (worse)').closest('[data-judgement]'),
    ).toHaveAttribute('data-judgement', 'worse');

    // the breaches chart, by severity and by cause
    expect(
      screen.getByRole('figure', { name: 'By severity' }),
    ).toHaveTextContent(
      'Critical: 1 (previously 0) · Major: 2 (previously 0) · Minor: 0 (previously 1)',
    );
    expect(screen.getByRole('figure', { name: 'By cause' })).toHaveTextContent(
      'Third party (UC): 1 (previously 0)',
    );
  });

  it('lists the services with their status, figures and links to their pages', async () => {
    installPortfolio();
    await renderPage();

    const link = await screen.findByRole('link', { name: 'checkout' });
    expect(link).toHaveAttribute('href', '/catalog/default/component/checkout');
    const rows = serviceRows();
    expect(rows).toHaveLength(2);
    const checkout = rows[0];
    expect(within(checkout).getByText('Breached')).toBeInTheDocument();
    expect(within(checkout).getByText('SLA, OLA')).toBeInTheDocument();
    expect(within(checkout).getByText('75 %')).toBeInTheDocument();
    expect(within(checkout).getByText('3 of 4 with data')).toBeInTheDocument();
    expect(
      within(checkout).getByText('1 critical · 2 major; 1 UC · 2 own'),
    ).toBeInTheDocument();
    expect(within(checkout).getByText('Overdue')).toBeInTheDocument();
    expect(
      within(checkout).getByText('next due 1 Nov 2026'),
    ).toBeInTheDocument();
    expect(within(checkout).getByText('0 responses')).toBeInTheDocument();

    const storefront = rows[1];
    expect(within(storefront).getByText('Met')).toBeInTheDocument();
    expect(within(storefront).getByText('90 %')).toBeInTheDocument();
    expect(within(storefront).getByText('10 responses')).toBeInTheDocument();
    expect(within(storefront).getByText('On time')).toBeInTheDocument();
    expect(within(storefront).queryByText('Watermelon')).toBeNull();
  });

  it('flags a watermelon service', async () => {
    installPortfolio(
      makePortfolio([
        {
          ...healthyService,
          entityRef: 'component:default/cart',
          watermelon: true,
          csat: 50,
        },
      ]),
    );
    await renderPage();
    await screen.findByRole('link', { name: 'cart' });
    expect(
      within(serviceRows()[0]).getByText('Watermelon'),
    ).toBeInTheDocument();
  });

  it('sends the filters and the period to GET /portfolio', async () => {
    const backend = installPortfolio();
    await renderPage();
    await screen.findByRole('link', { name: 'checkout' });

    await userEvent.selectOptions(screen.getByLabelText('Status'), 'breached');
    await waitFor(() => expect(serviceRows()).toHaveLength(1));
    expect(backend.last().get('status')).toBe('breached');
    expect(screen.getByRole('link', { name: 'checkout' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'storefront-web' })).toBeNull();

    await userEvent.selectOptions(screen.getByLabelText('Kind'), 'OLA');
    await waitFor(() => expect(backend.last().get('kind')).toBe('OLA'));

    // owners come from the backend's list of every owner
    await userEvent.selectOptions(
      screen.getByLabelText('Owner'),
      'group:default/team-checkout',
    );
    await waitFor(() =>
      expect(backend.last().get('owner')).toBe('group:default/team-checkout'),
    );
    expect(backend.last().get('status')).toBe('breached');

    await userEvent.selectOptions(screen.getByLabelText('Period'), 'P7D');
    await waitFor(() => expect(backend.last().get('period')).toBe('P7D'));
    expect(backend.last().has('at')).toBe(false);

    // a whole calendar month: its exact length, ending at its end
    const period = screen.getByLabelText('Period') as HTMLSelectElement;
    const month = [...period.options].find(
      o => /^month:/.test(o.value) && !/so far/.test(o.text),
    )!;
    await userEvent.selectOptions(period, month.value);
    await waitFor(() => expect(backend.last().has('at')).toBe(true));
    expect(backend.last().get('period')).toMatch(/^PT\d+S$/);

    // back to all statuses: no status parameter
    await userEvent.selectOptions(screen.getByLabelText('Status'), '');
    await waitFor(() => expect(backend.last().has('status')).toBe(false));
  });

  it('shows the agreements awaiting a signature and the time to agree, and filters by it', async () => {
    const backend = installPortfolio();
    await renderPage();
    await screen.findByRole('link', { name: 'checkout' });

    const awaiting = tile('Awaiting signature');
    expect(within(awaiting).getByText('1')).toBeInTheDocument();
    // a figure of now: no previous period to compare with
    expect(within(awaiting).getByText('now')).toBeInTheDocument();
    expect(within(awaiting).queryByText(/previous period/)).toBeNull();

    const timeToAgree = tile('Average time to agree');
    expect(within(timeToAgree).getByText('2 days')).toBeInTheDocument();
    expect(
      within(timeToAgree).getByText('−1 day (better)'),
    ).toBeInTheDocument();
    expect(
      within(timeToAgree).getByText('previous period: 3 days'),
    ).toBeInTheDocument();

    expect(backend.last().has('awaitingSignature')).toBe(false);
    await userEvent.selectOptions(screen.getByLabelText('Signatures'), 'true');
    await waitFor(() =>
      expect(backend.last().get('awaitingSignature')).toBe('true'),
    );
    await userEvent.selectOptions(screen.getByLabelText('Signatures'), '');
    await waitFor(() =>
      expect(backend.last().has('awaitingSignature')).toBe(false),
    );
  });

  it('says when no service matches the filters', async () => {
    installPortfolio(makePortfolio([healthyService]));
    await renderPage();
    await screen.findByRole('link', { name: 'storefront-web' });
    await userEvent.selectOptions(screen.getByLabelText('Status'), 'breached');
    expect(
      await screen.findByText('No services match these filters.'),
    ).toBeInTheDocument();
  });

  it('asks the backend for the sort and the search, worst first by default', async () => {
    const backend = installPortfolio();
    await renderPage();
    await screen.findByRole('link', { name: 'checkout' });
    expect(backend.last().get('sort')).toBe('status');
    expect(backend.last().get('order')).toBe('asc');
    expect(backend.last().get('limit')).toBe('20');
    expect(within(serviceRows()[0]).getByText('Breached')).toBeInTheDocument();

    // sorting by CSAT puts the one without CSAT first, then the other way
    await userEvent.click(screen.getAllByRole('button', { name: 'CSAT' })[0]);
    await waitFor(() => expect(backend.last().get('sort')).toBe('csat'));
    await waitFor(() =>
      expect(
        within(serviceRows()[0]).getByText('0 responses'),
      ).toBeInTheDocument(),
    );
    await userEvent.click(screen.getAllByRole('button', { name: 'CSAT' })[0]);
    await waitFor(() => expect(backend.last().get('order')).toBe('desc'));
    await waitFor(() =>
      expect(
        within(serviceRows()[0]).getByText('10 responses'),
      ).toBeInTheDocument(),
    );

    await userEvent.type(screen.getByPlaceholderText('Filter'), 'storefront');
    await waitFor(() =>
      expect(backend.last().get('search')).toBe('storefront'),
    );
    await waitFor(() => expect(serviceRows()).toHaveLength(1));
    expect(
      screen.getByRole('link', { name: 'storefront-web' }),
    ).toBeInTheDocument();
  });

  it('pages through the backend with its cursors and counts every matching service', async () => {
    const many = Array.from({ length: 25 }, (_, i) => ({
      ...healthyService,
      entityRef: `component:default/service-${String(i).padStart(2, '0')}`,
    }));
    const backend = installPortfolio(makePortfolio(many));
    await renderPage();
    await screen.findByRole('link', { name: 'service-00' });
    expect(screen.getByText('Services (25)')).toBeInTheDocument();
    expect(serviceRows()).toHaveLength(20);
    expect(backend.last().has('cursor')).toBe(false);

    await userEvent.click(screen.getByRole('button', { name: /next page/i }));
    await screen.findByRole('link', { name: 'service-24' });
    expect(backend.last().get('cursor')).toBe('20');
    expect(serviceRows()).toHaveLength(5);
    expect(screen.queryByRole('link', { name: 'service-00' })).toBeNull();

    await userEvent.click(
      screen.getByRole('button', { name: /previous page/i }),
    );
    await screen.findByRole('link', { name: 'service-00' });
    expect(backend.last().has('cursor')).toBe(false);
  }, 240_000);

  it('exports the matching services as CSV with the same filters and order', async () => {
    const backend = installPortfolio();
    const createObjectURL = jest.fn(() => 'blob:portfolio');
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(() => {});
    await renderPage();
    await screen.findByRole('link', { name: 'checkout' });
    await userEvent.selectOptions(screen.getByLabelText('Status'), 'breached');
    await waitFor(() => expect(serviceRows()).toHaveLength(1));

    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await waitFor(() => expect(click).toHaveBeenCalledTimes(1));
    const asked = backend.last();
    expect(asked.get('format')).toBe('csv');
    expect(asked.get('status')).toBe('breached');
    expect(asked.get('sort')).toBe('status');
    const blob = (createObjectURL.mock.calls[0] as unknown[])[0] as Blob;
    expect(await blob.text()).toBe('service\r\ncomponent:default/checkout\r\n');
    click.mockRestore();
  });

  it('shows how to add an agreement when no service has one', async () => {
    installPortfolio(
      makePortfolio(
        [],
        makeKpis({ services: { value: 0, previous: 0, change: 0 } }),
      ),
    );
    await renderPage();
    expect(
      await screen.findByText('No services have agreements yet'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /go to its Service levels tab and choose Create agreement/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Open the catalog' }),
    ).toHaveAttribute('href', '/catalog');
    expect(screen.queryByRole('group', { name: 'Targets met' })).toBeNull();
  });

  it('shows the error in the page and loads again on request', async () => {
    let fail = true;
    server.use(
      http.get(`${SLA_BASE_URL}/portfolio`, () =>
        fail
          ? errorResponse(500, 'Error', 'the database is unavailable')
          : HttpResponse.json(makePortfolio()),
      ),
    );
    await renderPage();
    expect(
      await screen.findByText('the database is unavailable'),
    ).toBeInTheDocument();
    // the filters stay, so another choice can be made
    expect(screen.getByLabelText('Status')).toBeInTheDocument();

    fail = false;
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(serviceRows()).toHaveLength(2));
    expect(screen.queryByText('the database is unavailable')).toBeNull();
  });
});
