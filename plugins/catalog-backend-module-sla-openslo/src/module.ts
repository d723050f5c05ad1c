import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { OpenSloHashProcessor } from './OpenSloHashProcessor';

/**
 * Catalog backend module that adds {@link OpenSloHashProcessor}: entities
 * with `sla/openslo` get `sla/openslo-hash`, a hash of their OpenSLO files'
 * content, so the SLA backend reads the files again as soon as a refresh
 * finds new content (instead of waiting for its schedule).
 * @public
 */
export const catalogModuleSlaOpenSlo = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'sla-openslo',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        reader: coreServices.urlReader,
        logger: coreServices.logger,
      },
      async init({ catalog, reader, logger }) {
        catalog.addProcessor(new OpenSloHashProcessor({ reader, logger }));
      },
    });
  },
});
