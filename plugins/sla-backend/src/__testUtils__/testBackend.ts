import {
  BackendFeature,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import {
  TestDatabaseId,
  TestDatabases,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  NotificationSendOptions,
  notificationService,
} from '@backstage/plugin-notifications-node';
import { JsonObject } from '@backstage/types';
import request from 'supertest';
import { slaPlugin } from '../plugin';

/**
 * Databases every backend test runs on: SQLite always, PostgreSQL when
 * configured. `TestDatabases.create` registers its clean-up (dropping every
 * database the file created) with a fixed 60 s limit, which a loaded 2-core
 * machine overruns for files that create many PostgreSQL databases; the
 * suite then fails although every test passed. Its hook is left with nothing
 * to do and the same clean-up runs in a hook of our own with a longer limit.
 */
export const databases = withLongerCleanup(
  TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] }),
);

function withLongerCleanup(dbs: TestDatabases): TestDatabases {
  // `shutdown` is private in the type, public at run time.
  const cleanup = dbs as unknown as { shutdown(): Promise<void> };
  const shutdown = cleanup.shutdown.bind(dbs);
  cleanup.shutdown = async () => {};
  afterAll(() => shutdown(), 300_000);
  return dbs;
}

export function component(name: string, owner: string): Entity {
  const ownerRef = owner.includes(':') ? owner : `group:default/${owner}`;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: { type: 'service', lifecycle: 'production', owner },
    relations: [{ type: 'ownedBy', targetRef: ownerRef }],
  };
}

/**
 * The test catalog: checkout (owned by a team) depends on a payment service
 * provider (a third party under a UC) and on a database (under an OLA);
 * search is owned by a user.
 */
export const testEntities: Entity[] = [
  {
    ...component('checkout', 'team-checkout'),
    relations: [
      { type: 'ownedBy', targetRef: 'group:default/team-checkout' },
      { type: 'dependsOn', targetRef: 'resource:default/psp' },
      { type: 'dependsOn', targetRef: 'resource:default/orders-db' },
    ],
  },
  component('search', 'user:default/bob'),
  {
    ...component('psp', 'team-checkout'),
    kind: 'Resource',
    spec: { type: 'external-service', owner: 'team-checkout' },
  },
  {
    ...component('orders-db', 'team-checkout'),
    kind: 'Resource',
    spec: { type: 'database', owner: 'team-checkout' },
  },
];

// team-other, a customer team: its members sign for it.
testEntities.push({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'team-other', namespace: 'default' },
  spec: { type: 'team', children: [] },
  relations: [
    { type: 'hasMember', targetRef: 'user:default/mallory' },
    { type: 'hasMember', targetRef: 'user:default/carol' },
  ],
});

/**
 * The viability graph (all owned by team-checkout):
 *   web -> gateway; web consumes orders-api, provided by orders;
 *   web -> recs is soft (sla/soft-dependencies);
 *   orders -> orders-store, orders-queue, and psp-a | psp-b (redundancy
 *   group "psp").
 */
const owned = (
  ref: string,
  relations: Array<[string, string]>,
  annotations?: Record<string, string>,
): Entity => {
  const [kind, name] = ref.split(':default/');
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: {
      name,
      namespace: 'default',
      ...(annotations ? { annotations } : {}),
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-checkout' },
    relations: [
      { type: 'ownedBy', targetRef: 'group:default/team-checkout' },
      ...relations.map(([type, targetRef]) => ({ type, targetRef })),
    ],
  };
};
testEntities.push(
  owned(
    'Component:default/web',
    [
      ['dependsOn', 'component:default/gateway'],
      ['dependsOn', 'component:default/recs'],
      ['consumesApi', 'api:default/orders-api'],
    ],
    { 'sla/soft-dependencies': 'component:default/recs' },
  ),
  owned('Component:default/gateway', []),
  owned('Component:default/recs', []),
  owned(
    'Component:default/orders',
    [
      ['providesApi', 'api:default/orders-api'],
      ['dependsOn', 'resource:default/orders-store'],
      ['dependsOn', 'resource:default/orders-queue'],
      ['dependsOn', 'resource:default/psp-a'],
      ['dependsOn', 'resource:default/psp-b'],
    ],
    {
      'sla/redundancy-group.psp':
        'resource:default/psp-a,resource:default/psp-b',
    },
  ),
  owned('API:default/orders-api', [
    ['apiProvidedBy', 'component:default/orders'],
  ]),
  owned('Resource:default/orders-store', []),
  owned('Resource:default/orders-queue', []),
  owned('Resource:default/psp-a', []),
  owned('Resource:default/psp-b', []),
);

/** Group memberships the test userInfo service reports as ownership claims. */
const memberships: Record<string, string[]> = {
  'user:default/alice': ['group:default/team-checkout'],
  'user:default/mallory': ['group:default/team-other'],
  'user:default/carol': ['group:default/team-other'],
};

export const alice = mockCredentials.user.header('user:default/alice');
export const mallory = mockCredentials.user.header('user:default/mallory');
export const bob = mockCredentials.user.header('user:default/bob');
/** A second member of team-other (a customer team in the negotiation tests). */
export const carol = mockCredentials.user.header('user:default/carol');
export const service = mockCredentials.service.header();

/** What the plugin sent through Backstage notifications, newest last. */
export const sentNotifications: NotificationSendOptions[] = [];

/** Starts the plugin on a fresh database with the test catalog. */
export async function startSlaBackend(
  databaseId: TestDatabaseId,
  options: {
    /** Names of permissions the policy denies; everything else is allowed. */
    deny?: string[];
    /**
     * A conditional policy for sla.agreement.read (as with catalog rules
     * such as isEntityOwner): the caller may read these entities only.
     */
    readableOnly?: string[];
    config?: JsonObject;
    /** Extra features, e.g. modules of the plugin. */
    features?: BackendFeature[];
    /** Reuse a database, e.g. to restart the backend on the same data. */
    knex?: Knex;
    /**
     * false: writes resolve as soon as answered, without waiting for the
     * evaluation they started (default: they wait, see `settling`).
     */
    settle?: boolean;
    /** Catalog entities beside the test catalog's. */
    entities?: Entity[];
    /**
     * A database of its own for the other plugins of `features` (e.g. the
     * events backend, whose migrations would otherwise share the SLA
     * plugin's migration table).
     */
    otherPluginsKnex?: Knex;
  } = {},
) {
  const knex = options.knex ?? (await databases.init(databaseId));
  const { server } = await startTestBackend({
    features: [
      slaPlugin,
      ...(options.features ?? []),
      options.otherPluginsKnex
        ? createServiceFactory({
            service: coreServices.database,
            deps: { plugin: coreServices.pluginMetadata },
            factory: ({ plugin }) => {
              const client =
                plugin.getId() === 'sla' ? knex : options.otherPluginsKnex!;
              return { getClient: async () => client };
            },
          })
        : mockServices.database.factory({ knex }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      mockServices.rootConfig.factory({ data: options.config ?? {} }),
      createServiceFactory({
        service: coreServices.permissions,
        deps: {},
        factory: () => {
          const conditional = (name: string) =>
            options.readableOnly !== undefined && name === 'sla.agreement.read';
          const decide = (
            requests: Array<{
              permission: { name: string };
              resourceRef?: string;
            }>,
          ) =>
            requests.map(r => ({
              result:
                options.deny?.includes(r.permission.name) ||
                (conditional(r.permission.name) &&
                  !options.readableOnly!.includes(r.resourceRef ?? ''))
                  ? AuthorizeResult.DENY
                  : AuthorizeResult.ALLOW,
            }));
          return {
            authorize: async (requests: any[]) => decide(requests) as any,
            authorizeConditional: async (requests: any[]) =>
              requests.map(r =>
                conditional(r.permission.name)
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
                  : decide([r])[0],
              ) as any,
          };
        },
      }),
      catalogServiceMock.factory({
        entities: [...testEntities, ...(options.entities ?? [])],
      }),
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({
          async send(notification: NotificationSendOptions) {
            sentNotifications.push(notification);
          },
        }),
      }),
      createServiceFactory({
        service: coreServices.userInfo,
        deps: {},
        factory: () => ({
          async getUserInfo(credentials) {
            const principal = credentials.principal as {
              userEntityRef: string;
            };
            return {
              userEntityRef: principal.userEntityRef,
              ownershipEntityRefs: [
                principal.userEntityRef,
                ...(memberships[principal.userEntityRef] ?? []),
              ],
            };
          },
        }),
      }),
    ],
  });
  const http = request(server);
  return {
    server,
    knex,
    http: options.settle === false ? http : settling(http, knex),
  };
}

/**
 * Waits until no changed entity waits for evaluation (the queue that
 * ingest and feedback fill is empty), at most `timeoutMs`.
 */
export async function settled(knex: Knex, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const row = await knex('sla_evaluation_queue').count({ n: '*' }).first();
    if (Number(row?.n ?? 0) === 0) return;
    if (Date.now() > until) {
      throw new Error(`Evaluation queue not empty after ${timeoutMs} ms`);
    }
    await new Promise(resolve => setTimeout(resolve, 10));
  }
}

/**
 * The test agent, whose writes (POST, PUT, PATCH, DELETE) resolve once
 * the evaluation they started has run: ingest and feedback answer before
 * evaluating, and most tests read breaches right after.
 */
function settling<T extends ReturnType<typeof request>>(
  http: T,
  knex: Knex,
): T {
  const writes = new Set(['post', 'put', 'patch', 'delete']);
  return new Proxy(http, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof property !== 'string' || !writes.has(property)) return value;
      return (...args: unknown[]) => {
        const test = (value as Function).apply(target, args);
        const then = test.then.bind(test);
        test.then = (resolve: any, reject: any) =>
          then(async (response: unknown) => {
            await settled(knex);
            return response;
          }).then(resolve, reject);
        return test;
      };
    },
  });
}

/** A valid agreement body with two targets. */
export function validAgreement(overrides: Record<string, unknown> = {}) {
  return {
    kind: 'SLA',
    scope: 'service',
    entityRef: 'component:default/checkout',
    title: 'Checkout SLA',
    description: 'Checkout for all web shop customers',
    validFrom: '2026-01-01T00:00:00Z',
    validUntil: '2027-01-01T00:00:00Z',
    reviewInterval: 'P3M',
    maintenanceWindows: [
      {
        description: 'Patching',
        weekly: { day: 'sun', from: '02:00', to: '04:00' },
        timeZone: 'Europe/Berlin',
      },
    ],
    targets: [
      {
        name: 'Availability',
        aspect: 'availability',
        metric: 'checkout_requests',
        sli: { kind: 'ratio' },
        objective: 99.9,
        window: { type: 'rolling', duration: 'P28D' },
      },
      {
        name: 'P1 resolution',
        aspect: 'support',
        metric: 'checkout_incidents',
        sli: { kind: 'duration', maxDuration: 'PT1H', priority: 'P1' },
        objective: 95,
        window: { type: 'calendar', unit: 'month', timeZone: 'Europe/Berlin' },
        calendar: {
          timeZone: 'Europe/Berlin',
          openingHours: { mon: [['09:00', '17:00']] },
          holidays: ['2026-12-25'],
        },
      },
    ],
    ...overrides,
  };
}
