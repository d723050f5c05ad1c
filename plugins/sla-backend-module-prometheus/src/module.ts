import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { slaMetricSourcesExtensionPoint } from '@opensla/backstage-plugin-sla-node';
import { PrometheusMetricSource } from './PrometheusMetricSource';
import { readPrometheusConfig } from './readPrometheusConfig';
import { createTemplatesRouter, summarizeTemplates } from './templatesRouter';

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
        httpRouter: coreServices.httpRouter,
        metricSources: slaMetricSourcesExtensionPoint,
      },
      async init({ config, logger, httpRouter, metricSources }) {
        const prometheusConfig = readPrometheusConfig(config);
        httpRouter.use(
          createTemplatesRouter({
            enabled: Boolean(prometheusConfig),
            allowFreeQueries:
              prometheusConfig?.source.allowFreeQueries ?? false,
            templates: summarizeTemplates(
              prometheusConfig?.source.templates ?? new Map(),
            ),
          }),
        );
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
          } at a step of ${source.step.toISO()}, with ${
            source.templates?.size ?? 0
          } query template(s); free PromQL is ${
            source.allowFreeQueries ? 'allowed' : 'not allowed'
          }`,
        );
      },
    });
  },
});
