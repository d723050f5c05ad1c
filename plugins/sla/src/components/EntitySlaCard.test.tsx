import { screen } from '@testing-library/react';
import { http } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks, renderInTestApp } from '@backstage/test-utils';
import { EntitySlaCard } from './EntitySlaCard';
import {
  makeAgreement,
  testEntityRef,
} from '../__testUtils__/agreementFixtures';
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
    expect(backend.state.requests[0].search).toBe(
      `?entityRef=${encodeURIComponent(testEntityRef)}&status=agreed`,
    );
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
});
