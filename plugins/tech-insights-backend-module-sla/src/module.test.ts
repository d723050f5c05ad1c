import techInsightsPlugin from '@backstage-community/plugin-tech-insights-backend';
import techInsightsJsonRulesModule from '@backstage-community/plugin-tech-insights-backend-module-jsonfc';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  TestDatabases,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import slaPlugin from '@opensla/backstage-plugin-sla-backend';
import { JsonObject } from '@backstage/types';
import request from 'supertest';
import { techInsightsModuleSlaFactRetriever } from './module';
import { exampleChecks } from './__testUtils__/exampleChecks';

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const CHECKOUT = 'component:default/checkout';
const PAYMENTS = 'component:default/payments';
const LEDGER = 'component:default/ledger';

const component = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-shop' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/team-shop' }],
});

const alice = mockCredentials.user.header('user:default/alice');
const caller = mockCredentials.service.header();

const availability = (objective: number) => ({
  name: 'Availability',
  aspect: 'availability',
  metric: 'requests',
  sli: { kind: 'ratio' },
  objective,
  window: { type: 'rolling', duration: 'P1D' },
});

/**
 * The real tech-insights backend (with the JSON rules engine checks of our
 * docs) runs this module's retriever against the real SLA backend; each
 * plugin has its own database, as in production.
 */
describe.each(databases.eachSupportedId())(
  'SLA facts in Tech Insights on %p',
  databaseId => {
    async function start() {
      const slaDb = await databases.init(databaseId);
      const techInsightsDb = await databases.init(databaseId);
      const scheduler = mockServices.scheduler();
      const { server } = await startTestBackend({
        features: [
          slaPlugin,
          techInsightsPlugin,
          techInsightsJsonRulesModule,
          techInsightsModuleSlaFactRetriever,
          createServiceFactory({
            service: coreServices.database,
            deps: { plugin: coreServices.pluginMetadata },
            factory: ({ plugin }) => ({
              getClient: async () =>
                plugin.getId() === 'sla' ? slaDb : techInsightsDb,
            }),
          }),
          mockServices.httpAuth.factory({
            defaultCredentials: mockCredentials.none(),
          }),
          mockServices.rootConfig.factory({
            data: {
              techInsights: {
                factRetrievers: {
                  slaFactRetriever: { cadence: '*/15 * * * *' },
                },
                factChecker: { checks: exampleChecks as JsonObject },
              },
            },
          }),
          // tasks run when the test triggers them
          createServiceFactory({
            service: coreServices.scheduler,
            deps: {},
            factory: () => scheduler,
          }),
          catalogServiceMock.factory({
            entities: [
              component('checkout'),
              component('payments'),
              component('ledger'),
            ],
          }),
          createServiceFactory({
            service: notificationService,
            deps: {},
            factory: () => ({ async send() {} }),
          }),
          createServiceFactory({
            service: coreServices.userInfo,
            deps: {},
            factory: () => ({
              async getUserInfo(credentials) {
                const { userEntityRef } = credentials.principal as {
                  userEntityRef: string;
                };
                return {
                  userEntityRef,
                  ownershipEntityRefs: [
                    userEntityRef,
                    'group:default/team-shop',
                  ],
                };
              },
            }),
          }),
        ],
      });
      return { http: request(server), scheduler };
    }

    async function agree(
      http: ReturnType<typeof request>,
      body: Record<string, unknown>,
    ) {
      const created = await http
        .post('/api/sla/agreements')
        .set('Authorization', alice)
        .send({ status: 'draft', ...body });
      expect(created.status).toBe(201);
      for (const to of ['negotiation', 'agreed']) {
        const moved = await http
          .post(`/api/sla/agreements/${created.body.id}/transitions`)
          .set('Authorization', alice)
          .send({ to });
        expect(moved.status).toBe(200);
      }
    }

    async function measure(
      http: ReturnType<typeof request>,
      entityRef: string,
      good: number,
    ) {
      const res = await http
        .post('/api/sla/measurements')
        .set('Authorization', caller)
        .send({
          items: [
            {
              entityRef,
              metric: 'requests',
              timestamp: new Date(Date.now() - 60_000).toISOString(),
              good,
              total: 1000,
            },
          ],
        });
      expect(res.status).toBe(200);
    }

    it('stores the facts of every entity and the example checks judge them', async () => {
      const { http, scheduler } = await start();
      // checkout: an SLA, met, reviewed every month, two happy customers
      await agree(http, {
        kind: 'SLA',
        entityRef: CHECKOUT,
        title: 'Checkout SLA',
        reviewInterval: 'P1M',
        targets: [availability(99)],
      });
      await measure(http, CHECKOUT, 1000);
      for (const user of ['u1', 'u2']) {
        const res = await http
          .post('/api/sla/feedback')
          .set(
            'Authorization',
            mockCredentials.user.header(`user:default/${user}`),
          )
          .send({ entityRef: CHECKOUT, kind: 'impromptu', score: 5 });
        expect(res.status).toBe(201);
      }
      // payments: an OLA only, breached
      await agree(http, {
        kind: 'OLA',
        entityRef: PAYMENTS,
        title: 'Payments OLA',
        targets: [availability(99)],
      });
      await measure(http, PAYMENTS, 900);
      // ledger: nothing

      await scheduler.triggerTask('slaFactRetriever');

      const facts = async (entity: string) => {
        const res = await http
          .get('/api/tech-insights/facts/latest')
          .query({ entity, 'ids[]': 'slaFactRetriever' })
          .set('Authorization', alice);
        expect(res.status).toBe(200);
        return res.body.slaFactRetriever?.facts;
      };
      expect(await facts(CHECKOUT)).toEqual({
        hasAgreedSla: true,
        allTargetsMet: true,
        allTargetsViable: true,
        serviceReviewOverdue: false,
        agreementReviewOverdue: false,
        csat: 100,
        watermelon: false,
      });
      expect(await facts(PAYMENTS)).toEqual({
        hasAgreedSla: false,
        allTargetsMet: false,
        allTargetsViable: true,
        serviceReviewOverdue: false,
        agreementReviewOverdue: false,
        csat: null,
        watermelon: false,
      });
      expect(await facts(LEDGER)).toEqual({
        hasAgreedSla: false,
        allTargetsMet: false,
        allTargetsViable: false,
        serviceReviewOverdue: false,
        agreementReviewOverdue: false,
        csat: null,
        watermelon: false,
      });

      const run = async (name: string) => {
        const res = await http
          .post(`/api/tech-insights/checks/run/default/component/${name}`)
          .set('Authorization', alice)
          .send({ checks: Object.keys(exampleChecks) });
        expect(res.status).toBe(200);
        return Object.fromEntries(
          res.body.map((r: any) => [r.check.id, r.result]),
        );
      };
      expect(await run('checkout')).toEqual({
        slaAgreed: true,
        slaTargetsMet: true,
        slaTargetsViable: true,
        slaReviewsOnTime: true,
        slaCustomersSatisfied: true,
      });
      expect(await run('payments')).toEqual({
        slaAgreed: false,
        slaTargetsMet: false,
        slaTargetsViable: true,
        slaReviewsOnTime: true,
        slaCustomersSatisfied: false,
      });
    });
  },
);
