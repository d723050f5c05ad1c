import {
  AuthService,
  coreServices,
  createBackendModule,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { slaTicketFeedsExtensionPoint } from '@opensla/backstage-plugin-sla-node';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const RETRY_MS = 15_000;
const MAX_ATTEMPTS = 40;

/** The PagerDuty service of checkout (examples/entities.yaml). */
export const DEMO_PAGERDUTY_SERVICE_ID = 'PCHKOUT';
/** The events topic the incidents module listens to (app-config.yaml). */
const PAGERDUTY_TOPIC = 'pagerduty';

/** The demo incident, anchored to the start of the current UTC day. */
export function demoIncident(nowMs: number) {
  const day = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const date = new Date(day).toISOString().slice(0, 10).replace(/-/g, '');
  const id = `Q${date}CHK`;
  const opened = day - 90 * MINUTE_MS;
  return {
    id,
    number: Number(date.slice(2)),
    title: 'Checkout error rate above 5%',
    htmlUrl: `https://acme.pagerduty.com/incidents/${id}`,
    at: (minutes: number) =>
      new Date(opened + minutes * MINUTE_MS).toISOString(),
  };
}

/**
 * A PagerDuty v3 webhook payload (`{ event: { event_type, occurred_at,
 * data } }`) of the demo incident, in the shape PagerDuty posts it
 * (developer.pagerduty.com, "V3 Webhooks", incident event data).
 */
export function demoPagerDutyWebhook(
  incident: ReturnType<typeof demoIncident>,
  eventType: 'incident.triggered' | 'incident.acknowledged',
  minutes: number,
) {
  const status =
    eventType === 'incident.triggered' ? 'triggered' : 'acknowledged';
  return {
    event: {
      id: `${incident.id}-${eventType}`,
      event_type: eventType,
      resource_type: 'incident',
      occurred_at: incident.at(minutes),
      agent: {
        html_url: 'https://acme.pagerduty.com/users/PDEMO01',
        id: 'PDEMO01',
        self: 'https://api.pagerduty.com/users/PDEMO01',
        summary: 'Checkout on-call',
        type: 'user_reference',
      },
      client: null,
      data: {
        id: incident.id,
        type: 'incident',
        self: `https://api.pagerduty.com/incidents/${incident.id}`,
        html_url: incident.htmlUrl,
        number: incident.number,
        status,
        incident_key: `demo-${incident.id}`,
        created_at: incident.at(0),
        title: incident.title,
        service: {
          html_url: `https://acme.pagerduty.com/services/${DEMO_PAGERDUTY_SERVICE_ID}`,
          id: DEMO_PAGERDUTY_SERVICE_ID,
          self: `https://api.pagerduty.com/services/${DEMO_PAGERDUTY_SERVICE_ID}`,
          summary: 'Checkout',
          type: 'service_reference',
        },
        assignees: [],
        escalation_policy: {
          html_url: 'https://acme.pagerduty.com/escalation_policies/PDEMOEP',
          id: 'PDEMOEP',
          self: 'https://api.pagerduty.com/escalation_policies/PDEMOEP',
          summary: 'Checkout',
          type: 'escalation_policy_reference',
        },
        teams: [],
        priority: {
          html_url: 'https://acme.pagerduty.com/account/incident_priorities',
          id: 'PDEMOP1',
          self: 'https://api.pagerduty.com/priorities/PDEMOP1',
          summary: 'P1',
          type: 'priority_reference',
        },
        urgency: 'high',
        conference_bridge: null,
        resolve_reason: null,
      },
    },
  };
}

/** The entity that claims the demo's PagerDuty service, once the catalog has it. */
async function claimingEntity(catalog: CatalogService, auth: AuthService) {
  const { items } = await catalog.getEntities(
    {
      filter: {
        'metadata.annotations.pagerduty.com/service-id':
          DEMO_PAGERDUTY_SERVICE_ID,
      },
      fields: ['kind', 'metadata.namespace', 'metadata.name'],
      limit: 2,
    },
    { credentials: await auth.getOwnServiceCredentials() },
  );
  return items.length === 1 ? stringifyEntityRef(items[0]) : undefined;
}

async function postWebhook(discovery: DiscoveryService, payload: unknown) {
  const url = `${await discovery.getBaseUrl('events')}/http/${PAGERDUTY_TOPIC}`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });
  if (response.status !== 202) {
    throw new Error(`POST ${url} answered ${response.status}`);
  }
}

/**
 * The demo's ticket, fed the way an adopter's incidents arrive: a P1
 * PagerDuty incident on checkout's PagerDuty service (PCHKOUT) is posted as
 * PagerDuty v3 webhooks (`incident.triggered`, `incident.acknowledged` after
 * 5 minutes) to the events backend at `/api/events/http/pagerduty`, where
 * the incidents module (`@opensla/backstage-plugin-sla-backend-module-incidents`)
 * turns them into ticket state changes of the entity annotated
 * `pagerduty.com/service-id: PCHKOUT`. PagerDuty has no "waiting on
 * customer" state, so the service desk records that step on the same ticket
 * (source `pagerduty`, the incident id, 30 minutes after the
 * acknowledgement) through the ticket sink, as `POST /api/sla/tickets`
 * would, before the webhooks are posted (changes are taken in any order):
 * checkout's Service levels tab then shows the P1 resolution clock paused.
 *
 * The instants are anchored to the start of the current UTC day and the
 * incident id carries the date, so a restart on the same day re-sends the
 * same changes (duplicates) instead of changing the ticket. The catalog
 * ingests the demo entities after start-up and the backend listens only
 * once every plugin has started: try again every 15 s until the catalog
 * has the entity and the events backend accepted both webhooks, without
 * holding up the start. Demo backend only, active with the demo data
 * (`sla.demo.agreementsFile`).
 */
export const slaDemoTicketsModule = createBackendModule({
  pluginId: 'sla',
  moduleId: 'demo-tickets',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        feeds: slaTicketFeedsExtensionPoint,
      },
      async init({ config, logger, discovery, auth, catalog, feeds }) {
        if (!config.getOptionalString('sla.demo.agreementsFile')) return;
        feeds.addTicketFeed({
          id: 'demo-service-desk',
          async start(sink) {
            const incident = demoIncident(Date.now());
            const send = async () => {
              const entityRef = await claimingEntity(catalog, auth);
              if (!entityRef) {
                throw new Error(
                  `no catalog entity has pagerduty.com/service-id: ${DEMO_PAGERDUTY_SERVICE_ID} yet`,
                );
              }
              // The pause first: evaluated between the two, the webhooks
              // alone would show the incident running past its 4 hours (a
              // breach that the pause then voids, with its notification
              // and event review already sent).
              await sink.record([
                {
                  source: 'pagerduty',
                  ticketId: incident.id,
                  entityRef,
                  at: incident.at(35),
                  state: 'waiting-on-customer',
                  priority: 'P1',
                },
              ]);
              await postWebhook(
                discovery,
                demoPagerDutyWebhook(incident, 'incident.triggered', 0),
              );
              await postWebhook(
                discovery,
                demoPagerDutyWebhook(incident, 'incident.acknowledged', 5),
              );
              return entityRef;
            };
            const attempt = async (n: number) => {
              try {
                const entityRef = await send();
                logger.info(
                  `Demo PagerDuty incident ${incident.id} posted to /api/events/http/${PAGERDUTY_TOPIC} for ${entityRef}, waiting on the customer`,
                );
              } catch (error) {
                if (n >= MAX_ATTEMPTS) {
                  logger.warn(`Demo incident was not sent: ${error}`);
                  return;
                }
                setTimeout(() => attempt(n + 1), RETRY_MS).unref();
              }
            };
            setTimeout(() => attempt(1), RETRY_MS).unref();
          },
        });
      },
    });
  },
});
