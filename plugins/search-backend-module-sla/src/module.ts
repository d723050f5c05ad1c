import {
  coreServices,
  createBackendModule,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { searchIndexRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import { SlaAgreementCollatorFactory } from './SlaAgreementCollatorFactory';

/** Every 10 minutes, first run 3 minutes after start (the catalog's collator uses the same kind of default). */
const DEFAULT_SCHEDULE = {
  frequency: { minutes: 10 },
  timeout: { minutes: 15 },
  initialDelay: { minutes: 3 },
};

/**
 * Search backend module that indexes the SLA plugin's agreements
 * (document type `sla-agreement`). The schedule is
 * `search.collators.sla.schedule` (default every 10 minutes).
 * @public
 */
export const searchModuleSlaCollator = createBackendModule({
  pluginId: 'search',
  moduleId: 'sla-collator',
  register(env) {
    env.registerInit({
      deps: {
        auth: coreServices.auth,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        catalog: catalogServiceRef,
        indexRegistry: searchIndexRegistryExtensionPoint,
      },
      async init({
        auth,
        config,
        discovery,
        logger,
        scheduler,
        catalog,
        indexRegistry,
      }) {
        const schedule = config.has('search.collators.sla.schedule')
          ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
              config.getConfig('search.collators.sla.schedule'),
            )
          : DEFAULT_SCHEDULE;
        indexRegistry.addCollator({
          schedule: scheduler.createScheduledTaskRunner(schedule),
          factory: SlaAgreementCollatorFactory.fromConfig(config, {
            auth,
            discovery,
            catalog,
            logger,
          }),
        });
      },
    });
  },
});
