import { Route, Routes } from 'react-router-dom';
import { screen, within } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { registerMswTestHooks, renderInTestApp } from '@backstage/test-utils';
import {
  EntitySatisfactionContent,
  EntitySlaContent,
  EntitySlaCard,
  SlaPortfolioPage,
  slaPlugin,
} from './plugin';
import { http, HttpResponse } from 'msw';
import { TestApiProvider } from '@backstage/test-utils';
import { slaApiRef } from './api';
import { portfolioRouteRef } from './routes';
import { makePortfolio } from './__testUtils__/portfolioFixtures';
import { isSlaAvailable } from './isSlaAvailable';
import { makeAgreement, testHistory } from './__testUtils__/agreementFixtures';
import {
  EntityPageWrapper,
  SLA_BASE_URL,
  createTestSlaClient,
  entityPageRoutes,
  installFakeSlaBackend,
} from './__testUtils__/slaTestBackend';

const server = setupServer();
registerMswTestHooks(server);

describe('legacy frontend system exports', () => {
  it('declares the plugin with its API', () => {
    expect(slaPlugin.getId()).toBe('sla');
    expect([...slaPlugin.getApis()].map(factory => factory.api.id)).toEqual([
      'plugin.sla.service',
    ]);
  });

  it('renders the SlaPortfolioPage extension at its route, with a header', async () => {
    server.use(
      http.get(`${SLA_BASE_URL}/portfolio`, () =>
        HttpResponse.json(makePortfolio()),
      ),
    );
    await renderInTestApp(
      <TestApiProvider apis={[[slaApiRef, createTestSlaClient()]]}>
        <Routes>
          <Route path="/sla/*" element={<SlaPortfolioPage />} />
        </Routes>
      </TestApiProvider>,
      {
        routeEntries: ['/sla'],
        mountedRoutes: { '/sla': portfolioRouteRef, ...entityPageRoutes },
      },
    );
    // the page's code loads lazily: slow on a busy machine
    expect(
      await screen.findByRole(
        'heading',
        { name: 'Service levels' },
        { timeout: 20_000 },
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole(
        'group',
        { name: 'Targets met' },
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
  }, 40_000);

  it('renders the EntitySatisfactionContent extension', async () => {
    installFakeSlaBackend(server, { agreements: [] });
    await renderInTestApp(
      <EntityPageWrapper>
        <EntitySatisfactionContent />
      </EntityPageWrapper>,
      { mountedRoutes: entityPageRoutes },
    );
    expect(await screen.findByText('No feedback yet')).toBeInTheDocument();
  });

  it('renders the EntitySlaContent extension', async () => {
    installFakeSlaBackend(server, {
      agreements: [makeAgreement()],
      history: testHistory,
    });
    // A routable extension needs a path, as EntityLayout.Route gives it.
    await renderInTestApp(
      <EntityPageWrapper>
        <Routes>
          <Route path="/*" element={<EntitySlaContent />} />
        </Routes>
      </EntityPageWrapper>,
      { mountedRoutes: entityPageRoutes },
    );
    const card = await screen.findByRole('region', {
      name: 'Payments API SLA',
    });
    expect(
      within(card).getByText(
        '99.9 % of requests succeed over a rolling 28 days',
      ),
    ).toBeInTheDocument();
  });

  it('renders the EntitySlaCard extension', async () => {
    installFakeSlaBackend(server, { agreements: [makeAgreement()] });
    await renderInTestApp(
      <EntityPageWrapper>
        <EntitySlaCard />
      </EntityPageWrapper>,
      { mountedRoutes: entityPageRoutes },
    );
    expect(await screen.findByText('Payments API SLA')).toBeInTheDocument();
  });
});

describe('isSlaAvailable', () => {
  it.each([
    ['Component', true],
    ['System', true],
    ['API', true],
    ['Resource', true],
    ['Group', false],
    ['User', false],
  ])('%s → %s', (kind, expected) => {
    expect(
      isSlaAvailable({
        apiVersion: 'backstage.io/v1alpha1',
        kind,
        metadata: { name: 'x' },
      }),
    ).toBe(expected);
  });
});
