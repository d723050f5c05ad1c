import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks, renderInTestApp } from '@backstage/test-utils';
import type { TicketWithClocks } from '@opensla/backstage-plugin-sla-common';
import { OpenTicketsSection } from './OpenTicketsSection';
import {
  EntityPageWrapper,
  SLA_BASE_URL,
  entityPageRoutes,
  errorResponse,
  testEntityRef,
} from '../../__testUtils__/slaTestBackend';

jest.setTimeout(30_000);

const server = setupServer();
registerMswTestHooks(server);

const H = 3_600_000;

const waiting: TicketWithClocks = {
  source: 'api',
  ticketId: 'INC-42',
  entityRef: testEntityRef,
  title: 'Card payments fail',
  priority: 'P1',
  state: 'waiting-on-customer',
  openedAt: '2026-06-10T09:00:00.000Z',
  changedAt: '2026-06-10T10:00:00.000Z',
  clocks: [
    {
      agreementId: 'a',
      targetId: 'p1-resolution',
      targetName: 'P1 resolution',
      measure: 'resolution',
      elapsedMs: H,
      allowedMs: 4 * H,
      fractionUsed: 0.25,
      clockState: 'paused',
      pausedIn: 'waiting-on-customer',
      counting: false,
      deadline: null,
      breached: false,
    },
  ],
};

/** Running, 58 s of 2 min used: crosses 50 % within two seconds. */
const running: TicketWithClocks = {
  ...waiting,
  ticketId: 'INC-43',
  title: 'Checkout slow',
  state: 'in-progress',
  clocks: [
    {
      ...waiting.clocks[0],
      targetId: 'p1-response',
      targetName: 'P1 response',
      measure: 'response',
      elapsedMs: 58_000,
      allowedMs: 120_000,
      fractionUsed: 58 / 120,
      clockState: 'running',
      pausedIn: undefined,
      counting: true,
      deadline: '2026-06-10T09:02:00.000Z',
    },
  ],
};

async function renderSection() {
  await renderInTestApp(
    <EntityPageWrapper>
      <OpenTicketsSection entityRef={testEntityRef} />
    </EntityPageWrapper>,
    { mountedRoutes: entityPageRoutes },
  );
}

describe('OpenTicketsSection', () => {
  it('shows a paused clock standing still and a running clock ticking', async () => {
    const asked: string[] = [];
    server.use(
      http.get(`${SLA_BASE_URL}/tickets`, ({ request }) => {
        asked.push(new URL(request.url).search);
        return HttpResponse.json({ items: [waiting, running] });
      }),
    );
    await renderSection();
    const table = await screen.findByRole('table', { name: 'Open tickets' });
    const pausedRow = within(table).getByRole('row', { name: /INC-42/ });
    expect(
      within(pausedRow).getByText('paused — waiting on customer'),
    ).toBeInTheDocument();
    expect(within(pausedRow).getByText(/3 h left/)).toBeInTheDocument();
    const pausedBar = within(pausedRow).getByRole('progressbar', {
      name: 'Time used of P1 resolution',
    });
    expect(pausedBar).toHaveAttribute('aria-valuetext', '25 % used, 3 h left');
    expect(asked[0]).toContain('state=open');

    const runningBar = within(
      within(table).getByRole('row', { name: /INC-43/ }),
    ).getByRole('progressbar', { name: 'Time used of P1 response' });
    expect(runningBar.getAttribute('aria-valuetext')).toMatch(/^48 % used/);
    // The browser ticks the running clock; the paused one stays.
    await waitFor(
      () =>
        expect(runningBar.getAttribute('aria-valuetext')).toMatch(
          /^(49|50|51) % used/,
        ),
      { timeout: 4000 },
    );
    expect(pausedBar).toHaveAttribute('aria-valuetext', '25 % used, 3 h left');
  });

  it('says when there are no open tickets', async () => {
    server.use(
      http.get(`${SLA_BASE_URL}/tickets`, () =>
        HttpResponse.json({ items: [] }),
      ),
    );
    await renderSection();
    expect(await screen.findByText(/No open tickets/)).toBeInTheDocument();
  });

  it('shows an error from the backend', async () => {
    server.use(
      http.get(`${SLA_BASE_URL}/tickets`, () =>
        errorResponse(403, 'NotAllowedError', 'You may not read the tickets'),
      ),
    );
    await renderSection();
    expect(
      (await screen.findAllByText(/You may not read the tickets/))[0],
    ).toBeInTheDocument();
  });
});
