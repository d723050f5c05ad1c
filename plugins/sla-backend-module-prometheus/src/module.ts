import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { slaMetricSourcesExtensionPoint } from '@opensla/backstage-plugin-sla-node';
import { PrometheusMetricSource } from './PrometheusMetricSource';
import { readPrometheusConfig } from './readPrometheusConfig';

/**
 * Measures SLA targets with PromQL queries run against Prometheus on a
 * schedule. Active when `sla.prometheus.baseUrl` is configured.
 * @public
 */
export const slaModulePrometheus = createBackendModule({
  pluginId: 'sla',
  moduleId: 'prometheus',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        metricSources: slaMetricSourcesExtensionPoint,
      },
      async init({ config, logger, metricSources }) {
        const prometheusConfig = readPrometheusConfig(config);
        if (!prometheusConfig) {
          logger.info(
            'Prometheus metric source is inactive: sla.prometheus.baseUrl is not configured',
          );
          return;
        }
        const { source, schedule } = prometheusConfig;
        metricSources.addMetricSource(new PrometheusMetricSource(source), {
          schedule,
        });
        logger.info(
          `Prometheus metric source reads ${
            new URL(source.baseUrl).origin
          } at a step of ${source.step.toISO()}`,
        );
      },
    });
  },
});
