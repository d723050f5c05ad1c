import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError } from '@backstage/errors';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  createTemplateAction,
  scaffolderActionsExtensionPoint,
} from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';

/**
 * Demo only: `demo:catalog:add-component` puts a new component into the
 * catalog without a Git host. It writes the entity to a local file
 * (`sla.demo.scaffolderDirectory`, default `.cache/scaffolded`), registers
 * that file as a catalog location as the user who runs the template, and
 * waits until the catalog has processed it, so that the template's next
 * step (`sla:agreement:create`) finds the entity. A real installation
 * publishes to a repository and uses `catalog:register` instead.
 */
export const scaffolderDemoCatalogModule = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'demo-catalog',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        scaffolder: scaffolderActionsExtensionPoint,
        catalog: catalogServiceRef,
      },
      async init({ config, scaffolder, catalog }) {
        const directory = path.resolve(
          config.getOptionalString('sla.demo.scaffolderDirectory') ??
            '.cache/scaffolded',
        );
        scaffolder.addActions(
          createTemplateAction({
            id: 'demo:catalog:add-component',
            description:
              'Demo only: writes a Component to a local file and registers it in the catalog (no Git host needed)',
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
              const entity = {
                apiVersion: 'backstage.io/v1alpha1',
                kind: 'Component',
                metadata: {
                  name,
                  namespace: 'default',
                  ...(description ? { description } : {}),
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
              await fs.mkdir(directory, { recursive: true });
              const file = path.join(directory, `${name}.yaml`);
              await fs.writeFile(file, stringify(entity), 'utf8');
              await catalog.addLocation(
                { type: 'file', target: file },
                { credentials },
              );
              ctx.logger.info(`Registered ${file} in the catalog`);
              // The catalog processes a new location within seconds.
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
