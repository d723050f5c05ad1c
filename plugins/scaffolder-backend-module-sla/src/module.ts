import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createSlaAgreementAction } from './actions/createSlaAgreementAction';

/**
 * Scaffolder actions of the SLA plugin: `sla:agreement:create`.
 * @public
 */
export const scaffolderModuleSla = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'sla',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
      },
      async init({ scaffolder, auth, discovery }) {
        scaffolder.addActions(createSlaAgreementAction({ auth, discovery }));
      },
    });
  },
});
