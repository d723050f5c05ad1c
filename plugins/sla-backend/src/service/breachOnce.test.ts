import type { Agreement } from '@opensla/backstage-plugin-sla-common';
import {
  alice,
  databases,
  sentNotifications,
  startSlaBackend,
} from '../__testUtils__/testBackend';
import { agreementFor as ratioAgreement } from '../__testUtils__/replica';
import { AgreementStore } from '../store/AgreementStore';

jest.setTimeout(180_000);

const MINUTE = 60_000;

/** Entities of the test catalog that alice's team owns. */
const ENTITIES = [
  'component:default/checkout',
  'component:default/web',
  'component:default/gateway',
  'component:default/recs',
  'component:default/orders',
  'resource:default/orders-store',
  'resource:default/orders-queue',
  'resource:default/psp-a',
];
const METRICS = ['requests', 'logins'];

/** Two ratio targets over a rolling day, 99 %, agreed three hours ago. */
function agreementFor(entityRef: string, now: number): Agreement {
  const one = ratioAgreement(entityRef, now);
  return {
    ...one,
    targets: METRICS.map(metric => ({
      ...one.targets[0],
      id: metric,
      name: metric,
      metric,
    })),
  };
}

describe.each(databases.eachSupportedId())(
  'one breach per opening on %p',
  databaseId => {
    it('opens one breach, one review and one notification per breached target when clients post through two replicas at once', async () => {
      // Two plugin instances on one database stand in for two replicas.
      const first = await startSlaBackend(databaseId);
      const second = await startSlaBackend(databaseId, { knex: first.knex });
      const now = Date.now();
      const store = new AgreementStore(first.knex);
      for (const ref of ENTITIES) {
        await store.insert(agreementFor(ref, now), {
          type: 'created',
          summary: 'test',
        });
      }
      // Met so far: every target has a kept status before the burst.
      const start = Math.floor((now - 30 * MINUTE) / MINUTE) * MINUTE;
      const healthy = await first.http
        .post('/api/sla/measurements')
        .set('Authorization', alice)
        .send({
          items: ENTITIES.flatMap(entityRef =>
            METRICS.map(metric => ({
              entityRef,
              metric,
              timestamp: new Date(start - 30 * MINUTE).toISOString(),
              good: 10_000,
              total: 10_000,
            })),
          ),
        });
      expect(healthy.status).toBe(200);
      expect(
        await first.knex('sla_target_states').where('status', 'met'),
      ).toHaveLength(ENTITIES.length * METRICS.length);
      sentNotifications.length = 0;

      // Eight clients at once, each with its own minute of failing requests
      // for every target: each batch is new data, so each evaluates.
      const batches = Array.from({ length: 8 }, (_, client) =>
        ENTITIES.flatMap(entityRef =>
          METRICS.map(metric => ({
            entityRef,
            metric,
            timestamp: new Date(start + client * MINUTE).toISOString(),
            good: 0,
            total: 100,
          })),
        ),
      );
      const answers = await Promise.all(
        batches.map((items, client) =>
          (client % 2 ? second : first).http
            .post('/api/sla/measurements')
            .set('Authorization', alice)
            .send({ items }),
        ),
      );
      expect(answers.map(a => a.status)).toEqual(batches.map(() => 200));

      for (const ref of ENTITIES) {
        const agreementId = agreementFor(ref, now).id;
        // Read through the other replica.
        const listed = await second.http
          .get(`/api/sla/breaches?entityRef=${encodeURIComponent(ref)}`)
          .set('Authorization', alice);
        expect(listed.status).toBe(200);
        const open = listed.body.items.filter((b: any) => b.closedAt === null);
        expect(open.map((b: any) => b.targetId).sort()).toEqual(
          [...METRICS].sort(),
        );
        expect(listed.body.items).toHaveLength(METRICS.length);

        const reviews = await first.http
          .get(`/api/sla/reviews?agreementId=${agreementId}`)
          .set('Authorization', alice);
        expect(reviews.status).toBe(200);
        const events = reviews.body.items.filter(
          (r: any) => r.trigger?.type === 'breach',
        );
        expect(events.map((r: any) => r.trigger.breachId).sort()).toEqual(
          open.map((b: any) => b.id).sort(),
        );

        for (const metric of METRICS) {
          const told = sentNotifications.filter(
            n =>
              n.payload.topic === `sla:${agreementId}:${metric}` &&
              n.payload.title.includes('is breached'),
          );
          expect(told).toHaveLength(1);
        }
      }
      // Every opening is guarded by the database as well.
      const openRows = await first.knex('sla_breaches').whereNull('closed_at');
      expect(openRows).toHaveLength(ENTITIES.length * METRICS.length);
    });
  },
);
