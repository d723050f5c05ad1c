/*
 * The demo backend: a current Backstage backend (new backend system) that
 * installs the SLA plugin exactly as an adopter would.
 */
import { createBackend } from '@backstage/backend-defaults';
import { slaDemoAgreementsModule } from './modules/slaDemoAgreements';
import { slaDemoImprovementsModule } from './modules/slaDemoImprovements';
import { slaDemoMeasurementsModule } from './modules/slaDemoMeasurements';
import { slaDemoPracticeModule } from './modules/slaDemoPractice';
import { slaDemoSatisfactionModule } from './modules/slaDemoSatisfaction';
import { slaDemoTicketsModule } from './modules/slaDemoTickets';
import {
  catalogDemoScaffoldedModule,
  scaffolderDemoCatalogModule,
} from './modules/scaffolderDemoCatalog';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// auth: the guest provider signs the demo user in as user:development/guest
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

// catalog
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
// SLOs as code: hashes each entity's OpenSLO files (sla/openslo) into
// sla/openslo-hash, so a refresh that finds new file content changes the
// entity and the SLA plugin reads the files again within about 30 s
backend.add(
  import('@opensla/backstage-plugin-catalog-backend-module-sla-openslo'),
);

// permissions: allow-all, so the SLA plugin's owner-only default applies.
// It allows sla.agreement.sign too; with sla.permissions.signOnBehalf: true
// (demo app-config.yaml only) the guest may sign for a customer team.
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@backstage/plugin-permission-backend-module-allow-all-policy'),
);

backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// service level management: the plugin, and demo agreements for this portal
backend.add(import('@opensla/backstage-plugin-sla-backend'));
backend.add(slaDemoAgreementsModule);
backend.add(slaDemoMeasurementsModule);
backend.add(slaDemoSatisfactionModule);
backend.add(slaDemoImprovementsModule);
backend.add(slaDemoPracticeModule);
backend.add(slaDemoTicketsModule);
// Prometheus as a metric source: inactive until sla.prometheus.baseUrl is set
backend.add(import('@opensla/backstage-plugin-sla-backend-module-prometheus'));

// incidents: the events backend receives PagerDuty and Opsgenie webhooks at
// /api/events/http/<topic> (events.http.topics), and the SLA plugin's
// incidents module turns them into ticket state changes
backend.add(import('@backstage/plugin-events-backend'));
backend.add(import('@opensla/backstage-plugin-sla-backend-module-incidents'));

// search (in-memory Lunr engine): the catalog and the SLA agreements
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@opensla/backstage-plugin-search-backend-module-sla'));

// scorecards: Tech Insights with JSON rules checks and the SLA facts
backend.add(import('@backstage-community/plugin-tech-insights-backend'));
backend.add(
  import('@backstage-community/plugin-tech-insights-backend-module-jsonfc'),
);
backend.add(
  import('@opensla/backstage-plugin-tech-insights-backend-module-sla'),
);
// assistants: the actions registry's actions as MCP tools at /api/mcp-actions/v1
backend.add(import('@backstage/plugin-mcp-actions-backend'));

// software templates: the scaffolder, the SLA plugin's sla:agreement:create,
// and a demo-only action that adds the new component to the catalog
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@opensla/backstage-plugin-scaffolder-backend-module-sla'));
backend.add(scaffolderDemoCatalogModule);
backend.add(catalogDemoScaffoldedModule);

backend.start();
