import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { slaPermissions } from '@opensla/backstage-plugin-sla-common';
import {
  SlaAgreementSeedProvider,
  slaSeedExtensionPoint,
} from '@opensla/backstage-plugin-sla-node';
import { AgreementStore } from './store/AgreementStore';
import { AgreementService } from './service/AgreementService';
import { EntityAccessGuard } from './service/EntityAccessGuard';
import { createRouter } from './service/router';

/**
 * The SLA backend plugin (plugin id `sla`): agreements on catalog entities,
 * their lifecycle and history, served at /api/sla.
 * @public
 */
export const slaPlugin = createBackendPlugin({
  pluginId: 'sla',
  register(env) {
    const seedProviders: SlaAgreementSeedProvider[] = [];
    env.registerExtensionPoint(slaSeedExtensionPoint, {
      addSeedProvider(provider) {
        seedProviders.push(provider);
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        userInfo: coreServices.userInfo,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
      },
      async init(deps) {
        const { config, logger, httpRouter, permissionsRegistry } = deps;
        permissionsRegistry.addPermissions(slaPermissions);

        const store = await AgreementStore.create(deps.database);
        const guard = new EntityAccessGuard({
          catalog: deps.catalog,
          auth: deps.auth,
          permissions: deps.permissions,
          userInfo: deps.userInfo,
          requireOwnership:
            config.getOptionalBoolean('sla.permissions.requireOwnership') ??
            true,
        });
        const agreements = new AgreementService({
          store,
          guard,
          logger,
          clock: () => new Date(),
        });

        httpRouter.use(
          await createRouter({ httpAuth: deps.httpAuth, agreements }),
        );

        deps.lifecycle.addStartupHook(async () => {
          for (const provider of seedProviders) {
            try {
              const seeds = await provider.getAgreements();
              const created = await agreements.seed(provider.name, seeds);
              logger.info(
                `Seeded ${created} of ${seeds.length} agreements from ${provider.name}`,
              );
            } catch (error) {
              logger.error(
                `Seeding from ${provider.name} failed`,
                error as Error,
              );
            }
          }
        });
      },
    });
  },
});
