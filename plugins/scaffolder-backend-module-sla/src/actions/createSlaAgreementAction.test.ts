import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  TestDatabases,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  TemplateAction,
  scaffolderActionsExtensionPoint,
} from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
// The action is tested against the real SLA backend it calls over HTTP.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import slaPlugin from '@opensla/backstage-plugin-sla-backend';
import request from 'supertest';
import { scaffolderModuleSla } from '../module';

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const PAYMENTS = 'component:default/payments';
const alice = mockCredentials.user('user:default/alice');
const mallory = mockCredentials.user('user:default/mallory');

/** What a template's steps pass: one availability target from the form. */
const input = {
  entityRef: PAYMENTS,
  title: 'Payments SLA',
  description: 'Drafted by the "Service with an SLA" template',
  reviewInterval: 'P1Y',
  targets: [
    {
      name: 'Availability',
      aspect: 'availability',
      metric: 'payments_requests',
      sli: { kind: 'ratio' },
      // as a form value put inside a string arrives
      objective: '99.5',
      window: { type: 'rolling', duration: 'P28D' },
    },
  ],
};

/**
 * The scaffolder as far as actions go: it collects the actions modules add
 * (the real scaffolder backend runs them with a context like the mock one).
 */
function actionCollector(into: TemplateAction<any, any, any>[]) {
  return createBackendPlugin({
    pluginId: 'scaffolder',
    register(env) {
      env.registerExtensionPoint(scaffolderActionsExtensionPoint, {
        addActions: (...actions) => into.push(...actions),
      });
      env.registerInit({ deps: {}, async init() {} });
    },
  });
}

describe.each(databases.eachSupportedId())(
  'sla:agreement:create on %p',
  databaseId => {
    let action: TemplateAction<any, any, any>;
    let http: ReturnType<typeof request>;

    beforeEach(async () => {
      const knex = await databases.init(databaseId);
      const actions: TemplateAction<any, any, any>[] = [];
      const { server } = await startTestBackend({
        features: [
          slaPlugin,
          actionCollector(actions),
          scaffolderModuleSla,
          mockServices.database.factory({ knex }),
          catalogServiceMock.factory({
            entities: [
              {
                apiVersion: 'backstage.io/v1alpha1',
                kind: 'Component',
                metadata: { name: 'payments', namespace: 'default' },
                spec: {
                  type: 'service',
                  lifecycle: 'experimental',
                  owner: 'user:default/alice',
                },
                relations: [
                  { type: 'ownedBy', targetRef: 'user:default/alice' },
                ],
              },
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
                return { userEntityRef, ownershipEntityRefs: [userEntityRef] };
              },
            }),
          }),
        ],
      });
      action = actions.find(a => a.id === 'sla:agreement:create')!;
      http = request(server);
    });

    /** A context as the scaffolder gives it, run by `user`. */
    const context = (
      actionInput: object,
      user = alice,
      extra: { isDryRun?: boolean } = {},
    ) => ({
      ...createMockActionContext({ input: actionInput as any }),
      getInitiatorCredentials: async () => user,
      ...extra,
    });

    const agreementsOfPayments = async () => {
      const res = await http
        .get('/api/sla/agreements')
        .query({ entityRef: PAYMENTS })
        .set(
          'Authorization',
          mockCredentials.user.header('user:default/alice'),
        );
      expect(res.status).toBe(200);
      return res.body.items;
    };

    it('is added to the scaffolder by the module', () => {
      expect(action).toBeDefined();
      expect(action.supportsDryRun).toBe(true);
    });

    it('creates a draft agreement as the user who runs the template', async () => {
      const ctx = context(input);
      await action.handler(ctx);
      const [created] = await agreementsOfPayments();
      expect(created).toMatchObject({
        kind: 'SLA',
        entityRef: PAYMENTS,
        title: 'Payments SLA',
        status: 'draft',
        version: 1,
        createdBy: 'user:default/alice',
        reviewInterval: 'P1Y',
        targets: [
          expect.objectContaining({
            name: 'Availability',
            objective: 99.5,
            window: { type: 'rolling', duration: 'P28D' },
          }),
        ],
      });
      expect(ctx.output).toHaveBeenCalledWith('agreementId', created.id);
      expect(ctx.output).toHaveBeenCalledWith('status', 'draft');
      expect(ctx.output).toHaveBeenCalledWith('entityRef', PAYMENTS);
    });

    it('fails naming the field, and creates nothing, for an invalid target', async () => {
      const bad = {
        ...input,
        targets: [{ ...input.targets[0], objective: 120 }],
      };
      await expect(action.handler(context(bad))).rejects.toThrow(
        /targets\[0\]\.objective/,
      );
      await expect(
        action.handler(context({ ...input, kind: 'XLA' })),
      ).rejects.toThrow(/kind must be one of/);
      expect(await agreementsOfPayments()).toEqual([]);
    });

    it("fails with the backend's reason when the entity is not in the catalog", async () => {
      await expect(
        action.handler(
          context({ ...input, entityRef: 'component:default/nowhere' }),
        ),
      ).rejects.toThrow(
        'entityRef component:default/nowhere is not an entity in the catalog',
      );
    });

    it('acts as the user: someone who does not own the entity is refused', async () => {
      await expect(action.handler(context(input, mallory))).rejects.toThrow(
        /403: Only the owners of component:default\/payments .* may create its agreements/,
      );
      expect(await agreementsOfPayments()).toEqual([]);
    });

    it('validates but sends nothing on a dry run', async () => {
      const ctx = context(input, alice, { isDryRun: true });
      await action.handler(ctx);
      expect(ctx.output).toHaveBeenCalledWith('agreementId', 'dry-run');
      expect(await agreementsOfPayments()).toEqual([]);
      await expect(
        action.handler(
          context({ ...input, title: '' }, alice, { isDryRun: true }),
        ),
      ).rejects.toThrow(/title/);
    });
  },
);
