import { createBackendModule } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, ServiceUnavailableError } from '@backstage/errors';
import {
  EntityProvider,
  EntityProviderConnection,
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import {
  createTemplateAction,
  scaffolderActionsExtensionPoint,
} from '@backstage/plugin-scaffolder-node';

const PROVIDER = 'demo-scaffolded';

/**
 * The components the demo's templates create, handed to the catalog as an
 * entity provider's delta (kept in the catalog's database like any other
 * entity). Demo only: a real installation publishes a repository and
 * registers it with `catalog:register`.
 */
class ScaffoldedEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;

  getProviderName() {
    return PROVIDER;
  }

  async connect(connection: EntityProviderConnection) {
    this.connection = connection;
  }

  async add(entity: Entity) {
    if (!this.connection) {
      throw new ServiceUnavailableError('The catalog has not started yet');
    }
    await this.connection.applyMutation({
      type: 'delta',
      added: [{ entity, locationKey: PROVIDER }],
      removed: [],
    });
  }
}

// One backend process: the catalog's module provides, the scaffolder's adds.
const provider = new ScaffoldedEntityProvider();

/** Demo only: the catalog side (the entity provider). */
export const catalogDemoScaffoldedModule = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'demo-scaffolded',
  register(env) {
    env.registerInit({
      deps: { catalog: catalogProcessingExtensionPoint },
      async init({ catalog }) {
        catalog.addEntityProvider(provider);
      },
    });
  },
});

/**
 * Demo only: `demo:catalog:add-component` puts a new component into the
 * catalog without a Git host, through the entity provider above, and waits
 * until the catalog has processed it, so that the template's next step
 * (`sla:agreement:create`) finds the entity.
 */
export const scaffolderDemoCatalogModule = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'demo-catalog',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        catalog: catalogServiceRef,
      },
      async init({ scaffolder, catalog }) {
        scaffolder.addActions(
          createTemplateAction({
            id: 'demo:catalog:add-component',
            description:
              'Demo only: adds a Component to the catalog (no Git host needed)',
            schema: {
              input: {
                name: z =>
                  z
                    .string()
                    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)
                    .max(63)
                    .describe('Entity name: lower case, digits and dashes'),
                description: z => z.string().optional(),
                owner: z => z.string().describe('Owner entity ref'),
                system: z => z.string().optional(),
              },
              output: {
                entityRef: z => z.string(),
              },
            },
            async handler(ctx) {
              const { name, owner, description, system } = ctx.input;
              const credentials = await ctx.getInitiatorCredentials();
              const entity: Entity = {
                apiVersion: 'backstage.io/v1alpha1',
                kind: 'Component',
                metadata: {
                  name,
                  namespace: 'default',
                  ...(description ? { description } : {}),
                  annotations: {
                    'backstage.io/managed-by-location': `${PROVIDER}:${name}`,
                    'backstage.io/managed-by-origin-location': `${PROVIDER}:${name}`,
                  },
                },
                spec: {
                  type: 'service',
                  lifecycle: 'experimental',
                  owner,
                  ...(system ? { system } : {}),
                },
              };
              const entityRef = stringifyEntityRef(entity);
              if (await catalog.getEntityByRef(entityRef, { credentials })) {
                throw new ConflictError(
                  `${entityRef} is already in the catalog: choose another name`,
                );
              }
              await provider.add(entity);
              ctx.logger.info(`Added ${entityRef} to the catalog`);
              // The catalog processes a new entity within seconds.
              const deadline = Date.now() + 60_000;
              while (
                !(await catalog.getEntityByRef(entityRef, { credentials }))
              ) {
                if (Date.now() > deadline) {
                  throw new Error(
                    `${entityRef} did not appear in the catalog within a minute`,
                  );
                }
                await new Promise(resolve => setTimeout(resolve, 500));
              }
              ctx.output('entityRef', entityRef);
            },
          }),
        );
      },
    });
  },
});
