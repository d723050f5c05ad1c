import { createBackendPlugin } from '@backstage/backend-plugin-api';
import eventsPlugin from '@backstage/plugin-events-backend';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import type { TicketStateChangeInput } from '@opensla/backstage-plugin-sla-common';
import {
  SlaTicketFeed,
  slaTicketFeedsExtensionPoint,
} from '@opensla/backstage-plugin-sla-node';
import request from 'supertest';
import { fixture } from './__fixtures__';
import { slaModuleIncidents } from './module';
import { eventsModuleSlaIncidentWebhooks } from './eventsModule';
import { createHmac } from 'node:crypto';

/**
 * A stand-in for the SLA plugin: provides the ticket-feeds extension point,
 * starts every feed once at start-up, and keeps what the sink receives.
 */
function createTestSlaPlugin() {
  const recorded: TicketStateChangeInput[] = [];
  const feedIds: string[] = [];
  const plugin = createBackendPlugin({
    pluginId: 'sla',
    register(env) {
      const feeds: SlaTicketFeed[] = [];
      env.registerExtensionPoint(slaTicketFeedsExtensionPoint, {
        addTicketFeed(feed) {
          feeds.push(feed);
        },
      });
      env.registerInit({
        deps: {},
        async init() {
          for (const feed of feeds) {
            feedIds.push(feed.id);
            await feed.start({
              async record(changes) {
                recorded.push(...changes);
              },
            });
          }
        },
      });
    },
  });
  return { plugin, recorded, feedIds };
}

function component(name: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: {
      type: 'service',
      owner: 'group:default/team-a',
      lifecycle: 'production',
    },
  };
}

const entities = [
  component('checkout', { 'pagerduty.com/service-id': 'PF9KMXH' }),
  component('payments', {
    'opsgenie.com/component-selector': 'detailsPair(component:payments-api)',
    'opsgenie.com/team': 'payments-oncall',
  }),
  component('unrelated', { 'pagerduty.com/service-id': 'POTHER1' }),
];

async function waitFor(check: () => void, timeoutMs = 10_000) {
  const started = Date.now();
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() - started > timeoutMs) throw error;
      await new Promise(resolve => setTimeout(resolve, 25));
    }
  }
}

jest.setTimeout(180_000);

describe('slaModuleIncidents with the events backend', () => {
  async function start(
    extraConfig: Record<string, unknown> = {},
    extraFeatures: Parameters<typeof startTestBackend>[0]['features'] = [],
  ) {
    const sla = createTestSlaPlugin();
    const logger = mockServices.logger.mock();
    const backend = await startTestBackend({
      features: [
        // the real events service (the test backend's default mock keeps
        // one bus per plugin, so the events plugin's HTTP ingress would not
        // reach the SLA plugin's subscription)
        eventsServiceFactory,
        eventsPlugin,
        sla.plugin,
        slaModuleIncidents,
        ...(extraFeatures ?? []),
        catalogServiceMock.factory({ entities }),
        logger.factory,
        mockServices.rootConfig.factory({
          data: {
            events: {
              http: { topics: ['pagerduty', 'opsgenie', 'pd-incidents'] },
              // in-process delivery; the bus's long polls would hold up
              // backend.stop() for close to a minute per test
              useEventBus: 'never',
            },
            sla: {
              incidents: {
                opsgenie: { alertUrlBase: 'https://acme.app.opsgenie.com' },
                ...extraConfig,
              },
            },
          },
        }),
      ],
    });
    return { backend, logger, ...sla };
  }

  it('turns PagerDuty v3 webhooks posted to /api/events/http/pagerduty into ticket state changes', async () => {
    const { backend, recorded, feedIds } = await start();
    expect(feedIds).toEqual(['pagerduty', 'opsgenie']);

    for (const name of [
      'incident.triggered',
      'incident.annotated',
      'incident.acknowledged',
      'incident.resolved',
    ]) {
      await request(backend.server)
        .post('/api/events/http/pagerduty')
        .set('Content-Type', 'application/json')
        .send(fixture('pagerduty', name))
        .expect(202);
    }

    const incident = {
      source: 'pagerduty',
      ticketId: 'Q2DLMTE6P8ZR1G',
      entityRef: 'component:default/checkout',
      title: 'Checkout error rate above 5%',
      url: 'https://acme.pagerduty.com/incidents/Q2DLMTE6P8ZR1G',
    };
    await waitFor(() =>
      expect(recorded).toEqual([
        {
          ...incident,
          at: '2026-11-30T08:58:03.114Z',
          state: 'new',
          priority: 'P1',
        },
        {
          ...incident,
          at: '2026-11-30T09:04:41.020Z',
          state: 'in-progress',
          priority: 'P1',
        },
        {
          ...incident,
          at: '2026-11-30T11:15:27.500Z',
          state: 'resolved',
          priority: 'P2',
        },
      ]),
    );
    await backend.stop();
  });

  it('turns Opsgenie webhooks posted to /api/events/http/opsgenie into ticket state changes', async () => {
    const { backend, recorded } = await start();
    for (const action of ['Create', 'AddNote', 'Acknowledge', 'Close']) {
      await request(backend.server)
        .post('/api/events/http/opsgenie')
        .set('Content-Type', 'application/json')
        .send(fixture('opsgenie', action))
        .expect(202);
    }
    const alert = {
      source: 'opsgenie',
      ticketId: '8418d193-2dab-4490-b331-8c02cdd196b7',
      entityRef: 'component:default/payments',
      title: 'Payments latency p99 above 800 ms',
      url: 'https://acme.app.opsgenie.com/alert/detail/8418d193-2dab-4490-b331-8c02cdd196b7/details',
    };
    await waitFor(() =>
      expect(recorded).toEqual([
        {
          ...alert,
          at: '2026-11-30T08:58:03.114Z',
          state: 'new',
          priority: 'P2',
        },
        {
          ...alert,
          at: '2026-11-30T09:06:21.020Z',
          state: 'in-progress',
          priority: 'P2',
        },
        {
          ...alert,
          at: '2026-11-30T10:55:27.500Z',
          state: 'closed',
          priority: 'P1',
        },
      ]),
    );
    await backend.stop();
  });

  it('drops a broken payload and an unmapped service with a log line, and keeps going', async () => {
    const { backend, recorded, logger } = await start();
    await request(backend.server)
      .post('/api/events/http/pagerduty')
      .set('Content-Type', 'application/json')
      .send({ event: { event_type: 'incident.triggered', data: { id: 'Q1' } } })
      .expect(202);
    const unmapped = fixture('pagerduty', 'incident.triggered');
    unmapped.event.data.service.id = 'PUNKNWN';
    await request(backend.server)
      .post('/api/events/http/pagerduty')
      .set('Content-Type', 'application/json')
      .send(unmapped)
      .expect(202);
    await request(backend.server)
      .post('/api/events/http/pagerduty')
      .set('Content-Type', 'application/json')
      .send(fixture('pagerduty', 'incident.triggered'))
      .expect(202);

    await waitFor(() => expect(recorded).toHaveLength(1));
    expect(recorded[0]).toMatchObject({
      ticketId: 'Q2DLMTE6P8ZR1G',
      state: 'new',
    });
    expect(logger.warn).toHaveBeenCalledWith(
      'Ticket feed pagerduty dropped a payload on topic pagerduty: incident.triggered Q1: event.data.service.id is missing',
    );
    expect(logger.info).toHaveBeenCalledWith(
      'Ticket feed pagerduty dropped Q2DLMTE6P8ZR1G (PagerDuty service PUNKNWN): no catalog entity is annotated for it',
    );
    await backend.stop();
  });

  it('listens on a configured topic instead of the default', async () => {
    const { backend, recorded } = await start({
      pagerduty: { topic: 'pd-incidents' },
    });
    await request(backend.server)
      .post('/api/events/http/pagerduty')
      .set('Content-Type', 'application/json')
      .send(fixture('pagerduty', 'incident.triggered'))
      .expect(202);
    await request(backend.server)
      .post('/api/events/http/pd-incidents')
      .set('Content-Type', 'application/json')
      .send(fixture('pagerduty', 'incident.acknowledged'))
      .expect(202);
    await waitFor(() => expect(recorded).toHaveLength(1));
    expect(recorded[0]).toMatchObject({ state: 'in-progress' });
    await backend.stop();
  });

  it('refuses unsigned PagerDuty and Opsgenie webhooks when secrets are configured', async () => {
    const { backend, recorded } = await start(
      {
        pagerduty: { webhookSecrets: ['old-secret', 'pd-secret'] },
        opsgenie: {
          alertUrlBase: 'https://acme.app.opsgenie.com',
          webhookHeader: { name: 'X-Webhook-Token', value: 'og-token' },
        },
      },
      [eventsModuleSlaIncidentWebhooks],
    );
    const body = JSON.stringify(fixture('pagerduty', 'incident.triggered'));
    const sign = (secret: string) =>
      `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;

    await request(backend.server)
      .post('/api/events/http/pagerduty')
      .set('Content-Type', 'application/json')
      .send(body)
      .expect(401, { message: 'missing or invalid X-PagerDuty-Signature' });
    await request(backend.server)
      .post('/api/events/http/pagerduty')
      .set('Content-Type', 'application/json')
      .set('X-PagerDuty-Signature', sign('wrong'))
      .send(body)
      .expect(401);
    await request(backend.server)
      .post('/api/events/http/opsgenie')
      .set('Content-Type', 'application/json')
      .set('X-Webhook-Token', 'nope')
      .send(fixture('opsgenie', 'Create'))
      .expect(401, { message: 'missing or invalid x-webhook-token header' });

    await request(backend.server)
      .post('/api/events/http/pagerduty')
      .set('Content-Type', 'application/json')
      .set('X-PagerDuty-Signature', `${sign('pd-secret')},v1=abc`)
      .send(body)
      .expect(202);
    await request(backend.server)
      .post('/api/events/http/opsgenie')
      .set('Content-Type', 'application/json')
      .set('X-Webhook-Token', 'og-token')
      .send(fixture('opsgenie', 'Create'))
      .expect(202);

    await waitFor(() => expect(recorded).toHaveLength(2));
    expect(recorded.map(c => [c.source, c.state])).toEqual([
      ['pagerduty', 'new'],
      ['opsgenie', 'new'],
    ]);
    await backend.stop();
  });
});
