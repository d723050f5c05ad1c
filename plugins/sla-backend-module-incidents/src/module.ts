import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { slaTicketFeedsExtensionPoint } from '@opensla/backstage-plugin-sla-node';
import { OpsgenieEntityResolver } from './catalog/OpsgenieEntityResolver';
import { PagerDutyEntityResolver } from './catalog/PagerDutyEntityResolver';
import { readIncidentsConfig } from './config';
import { IncidentTicketFeed } from './IncidentTicketFeed';
import { translateOpsgenieWebhook } from './translate/opsgenie';
import { translatePagerDutyWebhook } from './translate/pagerduty';

/**
 * Feeds incidents from PagerDuty (v3 webhooks) and Opsgenie (webhook
 * integration) into the SLA plugin's ticket clocks. The tools post to the
 * events backend's `/api/events/http/<topic>`; this module subscribes to
 * the topics (`pagerduty`, `opsgenie` by default) and maps each incident to
 * the catalog entity annotated with its PagerDuty service or matched by its
 * Opsgenie component selector.
 * @public
 */
export const slaModuleIncidents = createBackendModule({
  pluginId: 'sla',
  moduleId: 'incidents',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        events: eventsServiceRef,
        ticketFeeds: slaTicketFeedsExtensionPoint,
      },
      async init({ config, logger, auth, catalog, events, ticketFeeds }) {
        const incidents = readIncidentsConfig(config);
        const cacheTtlMs = incidents.catalogCacheTtl.toMillis();
        if (incidents.pagerduty) {
          const resolver = new PagerDutyEntityResolver({
            catalog,
            auth,
            cacheTtlMs,
          });
          ticketFeeds.addTicketFeed(
            new IncidentTicketFeed({
              id: 'pagerduty',
              topic: incidents.pagerduty.topic,
              events,
              logger,
              translate: translatePagerDutyWebhook,
              resolveEntity: subject => resolver.resolve(subject.serviceId),
              describeSubject: subject =>
                `PagerDuty service ${subject.serviceId}`,
            }),
          );
        }
        if (incidents.opsgenie) {
          const { alertUrlBase } = incidents.opsgenie;
          const resolver = new OpsgenieEntityResolver({
            catalog,
            auth,
            logger,
            cacheTtlMs,
          });
          ticketFeeds.addTicketFeed(
            new IncidentTicketFeed({
              id: 'opsgenie',
              topic: incidents.opsgenie.topic,
              events,
              logger,
              translate: payload =>
                translateOpsgenieWebhook(payload, { alertUrlBase }),
              resolveEntity: subject => resolver.resolve(subject),
              describeSubject: subject =>
                `Opsgenie alert${
                  subject.tags.length
                    ? ` tagged ${subject.tags.join(', ')}`
                    : ''
                }`,
            }),
          );
        }
        if (!incidents.pagerduty && !incidents.opsgenie) {
          logger.info(
            'Incident feeds are off: sla.incidents.pagerduty and sla.incidents.opsgenie are disabled',
          );
        }
      },
    });
  },
});
