import { resolvePackagePath } from '@backstage/backend-plugin-api';
import eventsPlugin from '@backstage/plugin-events-backend';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import slaModuleIncidents from '@opensla/backstage-plugin-sla-backend-module-incidents';
import { readFileSync } from 'fs';
import {
  alice,
  bob,
  component,
  databases,
  startSlaBackend,
} from '../__testUtils__/testBackend';

jest.setTimeout(180_000);

/** The entity PagerDuty's fixtures belong to: service PF9KMXH. */
const STOREFRONT = 'component:default/storefront';
const INCIDENT = 'Q2DLMTE6P8ZR1G';

/** A PagerDuty V3 webhook payload written from PagerDuty's schema. */
function pagerDuty(name: string): object {
  return JSON.parse(
    readFileSync(
      resolvePackagePath(
        '@opensla/backstage-plugin-sla-backend-module-incidents',
        'src/__fixtures__/pagerduty',
        `${name}.json`,
      ),
      'utf8',
    ),
  );
}

async function eventually<T>(read: () => Promise<T>, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await read();
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise(resolve => setTimeout(resolve, 50));
    }
  }
}

/**
 * The whole path of issue 15's third part with real parts: PagerDuty V3
 * webhooks posted to the events backend's /api/events/http/pagerduty, the
 * incidents module, the SLA plugin's ticket feed sink and store on the test
 * database, and GET /tickets with the clock a user sees.
 */
describe.each(databases.eachSupportedId())(
  'PagerDuty incidents through the events backend into ticket clocks, on %p',
  databaseId => {
    it('shows the incident as a ticket of the annotated entity, its P1 clock paused while waiting on the customer, and moves on with the next webhook', async () => {
      const { http } = await startSlaBackend(databaseId, {
        features: [eventsServiceFactory, eventsPlugin, slaModuleIncidents],
        otherPluginsKnex: await databases.init(databaseId),
        entities: [
          {
            ...component('storefront', 'team-checkout'),
            metadata: {
              name: 'storefront',
              namespace: 'default',
              annotations: { 'pagerduty.com/service-id': 'PF9KMXH' },
            },
          },
        ],
        config: {
          events: {
            http: { topics: ['pagerduty', 'opsgenie'] },
            useEventBus: 'never',
          },
          sla: { incidents: { catalogCacheTtl: 0 } },
        },
      });

      // An agreement with a P1 resolution ticket target of one hour.
      const created = await http
        .post('/api/sla/agreements')
        .set('Authorization', alice)
        .send({
          kind: 'SLA',
          entityRef: STOREFRONT,
          title: 'Storefront incidents',
          status: 'draft',
          targets: [
            {
              id: 'p1-resolution',
              name: 'P1 incident resolution',
              aspect: 'support',
              metric: 'incidents',
              sli: {
                kind: 'ticket',
                measure: 'resolution',
                maxDuration: 'PT1H',
                priority: 'P1',
              },
              objective: 95,
              window: { type: 'rolling', duration: 'P28D' },
            },
          ],
        });
      expect(created.status).toBe(201);
      for (const to of ['negotiation', 'agreed']) {
        await http
          .post(`/api/sla/agreements/${created.body.id}/transitions`)
          .set('Authorization', alice)
          .send({ to })
          .expect(200);
      }

      // The webhooks, unauthenticated as PagerDuty sends them.
      for (const name of ['incident.triggered', 'incident.acknowledged']) {
        await http
          .post('/api/events/http/pagerduty')
          .set('Content-Type', 'application/json')
          .send(pagerDuty(name))
          .expect(202);
      }
      // PagerDuty has no waiting state: the service desk records it on the
      // same ticket (docs/tickets-and-incidents.md).
      await http
        .post('/api/sla/tickets')
        .set('Authorization', alice)
        .send({
          items: [
            {
              source: 'pagerduty',
              ticketId: INCIDENT,
              entityRef: STOREFRONT,
              at: '2026-11-30T09:30:00.000Z',
              state: 'waiting-on-customer',
            },
          ],
        })
        .expect(200);

      const tickets = (state: string, at: string) =>
        http
          .get(
            `/api/sla/tickets?entityRef=${STOREFRONT}&state=${state}&at=${at}`,
          )
          .set('Authorization', bob);
      const open = await eventually(async () => {
        const res = await tickets('open', '2026-11-30T12:00:00Z').expect(200);
        expect(res.body.items).toHaveLength(1);
        expect(res.body.items[0].state).toBe('waiting-on-customer');
        return res.body.items[0];
      });
      expect(open).toMatchObject({
        source: 'pagerduty',
        ticketId: INCIDENT,
        entityRef: STOREFRONT,
        priority: 'P1',
        title: 'Checkout error rate above 5%',
        url: `https://acme.pagerduty.com/incidents/${INCIDENT}`,
        openedAt: '2026-11-30T08:58:03.114Z',
      });
      // Hand-computed: 08:58:03.114 to 09:30:00 counts (the acknowledgement
      // at 09:04:41 does not stop a resolution clock), then it stands still.
      expect(open.clocks).toEqual([
        expect.objectContaining({
          targetId: 'p1-resolution',
          clockState: 'paused',
          pausedIn: 'waiting-on-customer',
          elapsedMs: 31 * 60_000 + 56_886,
          allowedMs: 3_600_000,
          breached: false,
        }),
      ]);
      const later = await tickets('open', '2026-11-30T14:00:00Z').expect(200);
      expect(later.body.items[0].clocks[0].elapsedMs).toBe(
        31 * 60_000 + 56_886,
      );

      // The tool's next webhook (resolved at 11:15:27.5, priority P2 by then).
      await http
        .post('/api/events/http/pagerduty')
        .set('Content-Type', 'application/json')
        .send(pagerDuty('incident.resolved'))
        .expect(202);
      await eventually(async () => {
        const res = await tickets('open', '2026-11-30T12:00:00Z').expect(200);
        expect(res.body.items).toEqual([]);
      });
      const all = await tickets('all', '2026-11-30T12:00:00Z').expect(200);
      expect(all.body.items[0]).toMatchObject({
        ticketId: INCIDENT,
        state: 'resolved',
        priority: 'P2',
      });
    });
  },
);
