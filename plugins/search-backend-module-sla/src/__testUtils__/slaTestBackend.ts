import {
  BackendFeature,
  BackstageCredentials,
  coreServices,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  TestDatabaseId,
  TestDatabases,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import slaPlugin from '@opensla/backstage-plugin-sla-backend';
import request from 'supertest';

export const databases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15'],
});

export const CHECKOUT = 'component:default/checkout';
export const PAYMENTS = 'component:default/payments';
export const LEDGER = 'component:default/ledger';

function service(name: string, owner: string, title?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', ...(title ? { title } : {}) },
    spec: { type: 'service', lifecycle: 'production', owner },
    relations: [{ type: 'ownedBy', targetRef: `group:default/${owner}` }],
  };
}

/** checkout and payments are team-shop's, ledger is team-finance's. */
export const entities: Entity[] = [
  service('checkout', 'team-shop', 'Checkout'),
  service('payments', 'team-shop'),
  service('ledger', 'team-finance'),
];

const memberships: Record<string, string[]> = {
  'user:default/alice': ['group:default/team-shop'],
  'user:default/fred': ['group:default/team-finance'],
};

export const alice = mockCredentials.user.header('user:default/alice');
export const fred = mockCredentials.user.header('user:default/fred');
export const serviceCaller = mockCredentials.service.header();

/**
 * The permission policy of the tests: service principals are allowed (as
 * Backstage's permission client does for backend-to-backend calls); a user
 * may read the agreements of an entity when `readable(user)` lists it or
 * when `readable` is not given. The decision for sla.agreement.read is
 * conditional, as with catalog rules such as isEntityOwner.
 */
function permissionsFactory(readable?: Record<string, string[]>) {
  return createServiceFactory({
    service: coreServices.permissions,
    deps: {},
    factory: () => {
      const userOf = (credentials?: BackstageCredentials) =>
        (credentials?.principal as { userEntityRef?: string } | undefined)
          ?.userEntityRef;
      const allowed = (
        name: string,
        resourceRef: string | undefined,
        credentials?: BackstageCredentials,
      ) => {
        const user = userOf(credentials);
        if (!user || !readable || name !== 'sla.agreement.read') return true;
        return (readable[user] ?? []).includes(resourceRef ?? '');
      };
      return {
        authorize: async (requests: any[], options?: any) =>
          requests.map(r => ({
            result: allowed(
              r.permission.name,
              r.resourceRef,
              options?.credentials,
            )
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
          })) as any,
        authorizeConditional: async (requests: any[], options?: any) =>
          requests.map(r =>
            readable &&
            userOf(options?.credentials) &&
            r.permission.name === 'sla.agreement.read'
              ? {
                  result: AuthorizeResult.CONDITIONAL,
                  pluginId: 'catalog',
                  resourceType: 'catalog-entity',
                  conditions: {
                    rule: 'IS_ENTITY_OWNER',
                    resourceType: 'catalog-entity',
                    params: { claims: [] },
                  },
                }
              : { result: AuthorizeResult.ALLOW },
          ) as any,
      };
    },
  });
}

/** The services a test module sees, to build a collator as the search plugin would. */
export type ProbedServices = {
  auth: typeof coreServices.auth.T;
  discovery: typeof coreServices.discovery.T;
  logger: typeof coreServices.logger.T;
};

/**
 * Starts the real SLA backend on a fresh database with the test catalog,
 * plus `features`. `readable` turns on the conditional read policy.
 */
export async function startSlaTestBackend(
  databaseId: TestDatabaseId,
  options: {
    features?: Array<BackendFeature | Promise<{ default: BackendFeature }>>;
    readable?: Record<string, string[]>;
    config?: JsonObject;
  } = {},
) {
  const knex = await databases.init(databaseId);
  const scheduler = mockServices.scheduler();
  let probed: ProbedServices | undefined;
  const probe = createBackendPlugin({
    pluginId: 'probe',
    register(env) {
      env.registerInit({
        deps: {
          auth: coreServices.auth,
          discovery: coreServices.discovery,
          logger: coreServices.logger,
        },
        async init(deps) {
          probed = deps;
        },
      });
    },
  });
  const { server } = await startTestBackend({
    features: [
      slaPlugin,
      probe,
      ...(options.features ?? []),
      mockServices.database.factory({ knex }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      mockServices.rootConfig.factory({ data: options.config ?? {} }),
      // tasks run when a test triggers them
      createServiceFactory({
        service: coreServices.scheduler,
        deps: {},
        factory: () => scheduler,
      }),
      permissionsFactory(options.readable),
      catalogServiceMock.factory({ entities }),
      // breaches notify their owners; the tests do not look at that
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
                ...(memberships[userEntityRef] ?? []),
              ],
            };
          },
        }),
      }),
    ],
  });
  const http = request(server);

  /** Creates an agreement as `who`; agreed when `agree`. */
  async function agreement(
    who: string,
    body: Record<string, unknown>,
    agree = true,
  ) {
    const created = await http
      .post('/api/sla/agreements')
      .set('Authorization', who)
      .send({ status: 'draft', ...body });
    expect(created.status).toBe(201);
    if (agree) {
      for (const to of ['negotiation', 'agreed']) {
        const moved = await http
          .post(`/api/sla/agreements/${created.body.id}/transitions`)
          .set('Authorization', who)
          .send({ to });
        expect(moved.status).toBe(200);
      }
    }
    return created.body;
  }

  /** Good of total requests a minute ago for the entity's `requests` metric. */
  async function measure(entityRef: string, good: number, total: number) {
    const res = await http
      .post('/api/sla/measurements')
      .set('Authorization', serviceCaller)
      .send({
        items: [
          {
            entityRef,
            metric: 'requests',
            timestamp: new Date(Date.now() - 60_000).toISOString(),
            good,
            total,
          },
        ],
      });
    expect(res.status).toBe(200);
  }

  return { server, http, scheduler, probed: probed!, agreement, measure };
}

export const availability = (objective = 99) => ({
  name: 'Availability',
  aspect: 'availability',
  metric: 'requests',
  sli: { kind: 'ratio' },
  objective,
  window: { type: 'rolling', duration: 'P1D' },
});
