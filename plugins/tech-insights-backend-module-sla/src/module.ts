import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { techInsightsFactRetrieversExtensionPoint } from '@backstage-community/plugin-tech-insights-node';
import { createSlaFactRetriever } from './slaFactRetriever';

/**
 * Tech Insights module: the SLA plugin's facts per entity (retriever
 * `slaFactRetriever`). Like every retriever it runs only when
 * `techInsights.factRetrievers.slaFactRetriever.cadence` is configured.
 * @public
 */
export const techInsightsModuleSlaFactRetriever = createBackendModule({
  pluginId: 'tech-insights',
  moduleId: 'sla-fact-retriever',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogServiceRef,
        techInsights: techInsightsFactRetrieversExtensionPoint,
      },
      async init({ catalog, techInsights }) {
        techInsights.addFactRetrievers({
          slaFactRetriever: createSlaFactRetriever({ catalog }),
        });
      },
    });
  },
});
