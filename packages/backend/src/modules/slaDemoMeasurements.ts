import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { slaMetricSourcesExtensionPoint } from '@opensla/backstage-plugin-sla-node';
import { DemoMetricSource, DemoProfile } from './demoMeasurements';

/**
 * Demo measurements for the portal (`sla.demo.measurements`): a synthetic
 * metric source that backfills the demo services' windows on start and
 * keeps them current every few minutes. Only installed by this demo backend.
 */
export const slaDemoMeasurementsModule = createBackendModule({
  pluginId: 'sla',
  moduleId: 'demo-measurements',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        sources: slaMetricSourcesExtensionPoint,
      },
      async init({ config, sources }) {
        const profiles = config.getOptionalConfigArray('sla.demo.measurements');
        if (!profiles) return;
        const byEntity: Record<string, DemoProfile> = {};
        for (const entry of profiles) {
          byEntity[entry.getString('entityRef').toLocaleLowerCase('en-US')] =
            entry.getString('profile') as DemoProfile;
        }
        sources.addMetricSource(new DemoMetricSource(byEntity), {
          schedule: {
            frequency: { minutes: 5 },
            timeout: { minutes: 4 },
            initialDelay: { seconds: 2 },
          },
        });
      },
    });
  },
});
