import { screen, within } from '@testing-library/react';
import { http } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks, renderInTestApp } from '@backstage/test-utils';
import { EntitySlaCard } from './EntitySlaCard';
import {
  makeAgreement,
  testEntityRef,
} from '../__testUtils__/agreementFixtures';
import {
  atRiskAvailability,
  breachedLatency,
  makeAttainment,
  noDataResolution,
} from '../__testUtils__/attainmentFixtures';
import {
  EntityPageWrapper,
  SLA_BASE_URL,
  entityPageRoutes,
  errorResponse,
  installFakeSlaBackend,
} from '../__testUtils__/slaTestBackend';

const server = setupServer();
registerMswTestHooks(server);

async function renderCard(element = <EntitySlaCard />) {
  await renderInTestApp(<EntityPageWrapper>{element}</EntityPageWrapper>, {
    mountedRoutes: entityPageRoutes,
  });
}

describe('EntitySlaCard', () => {
  it('shows the agreements in force at a glance and links to the tab', async () => {
    const backend = installFakeSlaBackend(server, {
      agreements: [
        makeAgreement(),
        makeAgreement({
          id: 'draft',
          title: 'Next year SLA',
          status: 'draft',
        }),
        makeAgreement({
          id: 'ola',
          kind: 'OLA',
          title: 'Database OLA',
          targets: [makeAgreement().targets[0]],
        }),
      ],
    });
    await renderCard();

    expect(await screen.findByText('Payments API SLA')).toBeInTheDocument();
    expect(
      screen.getByText(
        '3 targets: Availability 99.9 %, Latency 95 %, P1 resolution 90 %',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Database OLA')).toBeInTheDocument();
    expect(screen.getByText('OLA')).toBeInTheDocument();
    expect(
      screen.getByText('1 target: Availability 99.9 %'),
    ).toBeInTheDocument();
    expect(screen.queryByText('Next year SLA')).toBeNull();
    // the entity's agreements in force, every page of them (the largest page)
    const query = new URLSearchParams(backend.reads('/agreements')[0].search);
    expect(query.get('entityRef')).toBe(testEntityRef);
    expect(query.get('status')).toBe('agreed');
    expect(query.get('limit')).toBe('500');
    expect(
      screen.getByRole('link', { name: /View service levels/ }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/payments/service-levels',
    );
  });

  it('says so when no agreement is in force', async () => {
    installFakeSlaBackend(server, {
      agreements: [makeAgreement({ status: 'negotiation' })],
    });
    await renderCard(<EntitySlaCard contentPath="slas" />);

    expect(
      await screen.findByText(/No agreement is in force for this entity/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /View service levels/ }),
    ).toHaveAttribute('href', '/catalog/default/component/payments/slas');
  });

  it('shows a load failure', async () => {
    installFakeSlaBackend(server, { agreements: [] });
    server.use(
      http.get(`${SLA_BASE_URL}/agreements`, () =>
        errorResponse(503, 'ServiceUnavailableError', 'sla backend starting'),
      ),
    );
    await renderCard();

    expect(
      (await screen.findAllByText(/sla backend starting/)).length,
    ).toBeGreaterThan(0);
  });

  it('shows the worst status of all targets in force, and the worst per agreement', async () => {
    installFakeSlaBackend(server, {
      agreements: [
        makeAgreement(),
        makeAgreement({
          id: 'ola',
          kind: 'OLA',
          title: 'Database OLA',
          targets: [makeAgreement().targets[0]],
        }),
        makeAgreement({ id: 'fresh', title: 'Reporting SLA' }),
      ],
      attainment: [
        makeAttainment(),
        breachedLatency,
        noDataResolution,
        makeAttainment({ agreementId: 'ola', status: 'met' }),
        { ...noDataResolution, agreementId: 'fresh' },
      ],
    });
    await renderCard();

    const overall = await screen.findByRole('group', {
      name: 'Overall service level',
    });
    expect(within(overall).getByText('Breached')).toBeInTheDocument();
    expect(
      within(overall).getByText(
        '1 breached, 2 met, 2 without data of 5 targets in force',
      ),
    ).toBeInTheDocument();

    expect(
      within(
        screen.getByRole('listitem', { name: 'Payments API SLA' }),
      ).getByText('Breached'),
    ).toBeInTheDocument();
    expect(
      within(screen.getByRole('listitem', { name: 'Database OLA' })).getByText(
        'Met',
      ),
    ).toBeInTheDocument();
    expect(
      within(screen.getByRole('listitem', { name: 'Reporting SLA' })).getByText(
        'No data',
      ),
    ).toBeInTheDocument();
  });

  it('ranks at risk above met, and met above no data', async () => {
    installFakeSlaBackend(server, {
      agreements: [makeAgreement()],
      attainment: [atRiskAvailability, noDataResolution],
    });
    await renderCard();

    const overall = await screen.findByRole('group', {
      name: 'Overall service level',
    });
    expect(within(overall).getByText('At risk')).toBeInTheDocument();
  });

  it('still lists the agreements when attainment cannot be loaded', async () => {
    installFakeSlaBackend(server, { agreements: [makeAgreement()] });
    server.use(
      http.get(`${SLA_BASE_URL}/attainment`, () =>
        errorResponse(500, 'Error', 'measurement store unavailable'),
      ),
    );
    await renderCard();

    expect(
      await screen.findByText(/Could not load how the targets stand/),
    ).toBeInTheDocument();
    expect(screen.getByText('Payments API SLA')).toBeInTheDocument();
    expect(
      screen.getByText(
        '3 targets: Availability 99.9 %, Latency 95 %, P1 resolution 90 %',
      ),
    ).toBeInTheDocument();
  });
});
