import { screen } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import slaFrontendPlugin, {
  entitySatisfactionContent,
  entitySlaReviewsContent,
  entitySlaCard,
  entitySlaContent,
  slaApi,
  slaPortfolioPage,
} from './alpha';
import { slaApiRef } from './api';
import { makeAgreement, testEntity } from './__testUtils__/agreementFixtures';
import {
  SLA_BASE_URL,
  createTestSlaClient,
  installFakeSlaBackend,
} from './__testUtils__/slaTestBackend';
import { makePortfolio } from './__testUtils__/portfolioFixtures';

const server = setupServer();
registerMswTestHooks(server);

const group = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'payments-team' },
};

describe('new frontend system plugin', () => {
  it('provides the API, the entity tab and the entity card', () => {
    expect(slaFrontendPlugin.id).toBe('sla');
    expect(slaFrontendPlugin.getExtension('api:sla')).toBeDefined();
    expect(slaFrontendPlugin.getExtension('entity-content:sla')).toBeDefined();
    expect(slaFrontendPlugin.getExtension('entity-card:sla')).toBeDefined();
    expect(slaApi).toBeDefined();
  });

  it('mounts the satisfaction tab at satisfaction, for services only', () => {
    expect(
      slaFrontendPlugin.getExtension('entity-content:sla/satisfaction'),
    ).toBeDefined();
    const tester = createExtensionTester(entitySatisfactionContent);
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'Satisfaction',
    );
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(testEntity)).toBe(true);
    expect(filter(group)).toBe(false);
  });

  it('mounts the reviews tab, for services only', () => {
    expect(
      slaFrontendPlugin.getExtension('entity-content:sla/reviews'),
    ).toBeDefined();
    const tester = createExtensionTester(entitySlaReviewsContent);
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Reviews');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(testEntity)).toBe(true);
    expect(filter(group)).toBe(false);
  });

  it('mounts the tab at service-levels in the operation group, for services only', () => {
    const tester = createExtensionTester(entitySlaContent);
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'Service levels',
    );
    expect(tester.get(EntityContentBlueprint.dataRefs.group)).toBe('operation');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(testEntity)).toBe(true);
    expect(filter(group)).toBe(false);
  });

  it('renders the card through its extension', async () => {
    installFakeSlaBackend(server, { agreements: [makeAgreement()] });
    const tester = createExtensionTester(entitySlaCard);
    expect(
      tester.get(EntityCardBlueprint.dataRefs.filterFunction)!(group),
    ).toBe(false);

    renderInTestApp(
      <EntityProvider entity={testEntity}>
        {tester.reactElement()}
      </EntityProvider>,
      {
        apis: [[slaApiRef, createTestSlaClient()]],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(await screen.findByText('Payments API SLA')).toBeInTheDocument();
    expect(
      screen.getByText(
        '3 targets: Availability 99.9 %, Latency 95 %, P1 resolution 90 %',
      ),
    ).toBeInTheDocument();
  });

  it('renders the tab through its extension', async () => {
    installFakeSlaBackend(server, {
      agreements: [makeAgreement()],
      access: { create: true, update: true },
    });
    const tester = createExtensionTester(entitySlaContent);

    renderInTestApp(
      <EntityProvider entity={testEntity}>
        {tester.reactElement()}
      </EntityProvider>,
      { apis: [[slaApiRef, createTestSlaClient()]] },
    );
    expect(
      await screen.findByRole('region', { name: 'Payments API SLA' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Create agreement' }),
    ).toBeInTheDocument();
  });

  it('adds the portfolio page at /sla, in the sidebar as "Service levels"', () => {
    expect(slaFrontendPlugin.getExtension('page:sla')).toBeDefined();
    const tester = createExtensionTester(slaPortfolioPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/sla');
    expect(tester.get(coreExtensionData.title)).toBe('Service levels');
    // a page with a route ref, a title and an icon is a nav item
    expect(tester.get(coreExtensionData.icon)).toBeDefined();
    expect(tester.get(coreExtensionData.routeRef)).toBeDefined();
    expect(slaFrontendPlugin.routes.root).toBe(
      tester.get(coreExtensionData.routeRef),
    );
  });

  it('renders the portfolio through its page extension', async () => {
    server.use(
      http.get(`${SLA_BASE_URL}/portfolio`, () =>
        HttpResponse.json(makePortfolio()),
      ),
    );
    const tester = createExtensionTester(slaPortfolioPage);
    renderInTestApp(tester.reactElement(), {
      apis: [[slaApiRef, createTestSlaClient()]],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
    expect(
      await screen.findByRole(
        'group',
        { name: 'Targets met' },
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole(
        'link',
        { name: 'checkout' },
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
  }, 30_000);
});
