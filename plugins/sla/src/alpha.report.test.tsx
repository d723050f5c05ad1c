import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  createExtensionTester,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import slaFrontendPlugin, { entitySlaReportContent } from './alpha';
import { slaApiRef } from './api';
import { testEntity, testEntityRef } from './__testUtils__/agreementFixtures';
import {
  SLA_BASE_URL,
  createTestSlaClient,
  installFakeSlaBackend,
} from './__testUtils__/slaTestBackend';

const server = setupServer();
registerMswTestHooks(server);

const group = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'payments-team' },
};

jest.setTimeout(30_000);

describe('the service report extension', () => {
  it('is the entity content sla/report at service-report, for services only', () => {
    expect(
      slaFrontendPlugin.getExtension('entity-content:sla/report'),
    ).toBeDefined();
    const tester = createExtensionTester(entitySlaReportContent);
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'Service report',
    );
    expect(tester.get(EntityContentBlueprint.dataRefs.group)).toBe('operation');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(testEntity)).toBe(true);
    expect(filter(group)).toBe(false);
  });

  it('renders the report tab through its extension', async () => {
    installFakeSlaBackend(server, { agreements: [] });
    server.use(
      http.get(`${SLA_BASE_URL}/reports`, ({ request }) => {
        const month = new URL(request.url).searchParams.get('month')!;
        return HttpResponse.json({
          entityRef: testEntityRef,
          period: {
            start: `${month}-01T00:00:00.000Z`,
            end: `${month}-28T00:00:00.000Z`,
            month,
          },
          generatedAt: '2026-11-22T09:00:00.000Z',
          summary: { targets: 0, met: 0, notMet: 0, noData: 0, breaches: 0 },
          agreements: [],
          satisfaction: {
            csat: null,
            csatResponses: 0,
            nps: null,
            npsResponses: 0,
            responses: 0,
            complaints: { total: 0, open: 0, acknowledged: 0, resolved: 0 },
            compliments: 0,
          },
          reviews: [],
          improvements: [],
        });
      }),
      http.get(`${SLA_BASE_URL}/reports/published`, () =>
        HttpResponse.json({ items: [] }),
      ),
    );
    const tester = createExtensionTester(entitySlaReportContent);
    renderInTestApp(
      <EntityProvider entity={testEntity}>
        {tester.reactElement()}
      </EntityProvider>,
      { apis: [[slaApiRef, createTestSlaClient()]] },
    );
    expect(
      await screen.findByText(
        'No agreement in force in this period',
        {},
        { timeout: 15_000 },
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Print/ })).toBeEnabled();
  });
});
