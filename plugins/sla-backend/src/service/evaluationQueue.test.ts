import { capturingScheduler } from '../__testUtils__/capturingScheduler';
import { agreementFor } from '../__testUtils__/replica';
import {
  alice,
  databases,
  settled,
  startSlaBackend,
} from '../__testUtils__/testBackend';
import { AgreementStore } from '../store/AgreementStore';

jest.setTimeout(180_000);

const MINUTE = 60_000;

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


async function insertAgreements(knex: any, refs: string[], now: number) {
  const store = new AgreementStore(knex);
  for (const ref of refs) {
    await store.insert(agreementFor(ref, now), {
      type: 'created',
      summary: 'test',
    });
  }
}

const failing = (entityRef: string, ts: number) => ({
  entityRef,
  metric: 'requests',
  timestamp: new Date(ts).toISOString(),
  good: 0,
  total: 100,
});

describe.each(databases.eachSupportedId())(
  'evaluation off the request path on %p',
  databaseId => {
    it('answers 200 with the data stored when the evaluation fails, and keeps the entity queued for a retry', async () => {
      const { http, knex } = await startSlaBackend(databaseId, {
        settle: false,
      });
      const now = Date.now();
      await insertAgreements(knex, [ENTITIES[0]], now);
      // The evaluation cannot store what it finds: the breach tables are
      // gone while the measurements stay writable.
      await knex.schema.renameTable('sla_target_states', 'states_away');
      const answer = await http
        .post('/api/sla/measurements')
        .set('Authorization', alice)
        .send({ items: [failing(ENTITIES[0], now - 10 * MINUTE)] });
      expect(answer.status).toBe(200);
      expect(answer.body.accepted).toBe(1);
      // Every sample of the batch is stored.
      expect(await knex('sla_ratio_samples')).toHaveLength(1);
      // The failure is recorded on the queued entity, kept for a retry.
      for (let i = 0; i < 500; i++) {
        const row = await knex('sla_evaluation_queue').first();
        if (row && Number(row.attempts) > 0) break;
        await new Promise(r => setTimeout(r, 20));
      }
      const queued = await knex('sla_evaluation_queue');
      expect(queued).toHaveLength(1);
      expect(queued[0].entity_ref).toBe(ENTITIES[0]);
      expect(Number(queued[0].attempts)).toBe(1);
      await knex.schema.renameTable('states_away', 'sla_target_states');
    });

    it('opens the breach shortly after the answer, without a request waiting for it', async () => {
      const { http, knex } = await startSlaBackend(databaseId, {
        settle: false,
      });
      const now = Date.now();
      await insertAgreements(knex, [ENTITIES[0]], now);
      const answer = await http
        .post('/api/sla/measurements')
        .set('Authorization', alice)
        .send({ items: [failing(ENTITIES[0], now - 10 * MINUTE)] });
      expect(answer.status).toBe(200);
      const started = Date.now();
      let open: any[] = [];
      while (Date.now() - started < 20_000) {
        const listed = await http
          .get(`/api/sla/breaches?entityRef=${encodeURIComponent(ENTITIES[0])}`)
          .set('Authorization', alice);
        open = listed.body.items.filter((b: any) => b.closedAt === null);
        if (open.length) break;
        await new Promise(r => setTimeout(r, 50));
      }
      expect(open).toHaveLength(1);
      // The claim ends right after.
      await settled(knex, 5_000);
    });

    it("corrects a breach's cause when a dependency's breach opens later", async () => {
      const { http, knex } = await startSlaBackend(databaseId);
      const now = Date.now();
      const store = new AgreementStore(knex);
      await store.insert(agreementFor('component:default/checkout', now), {
        type: 'created',
        summary: 'test',
      });
      // checkout depends on orders-db, covered by an OLA.
      await store.insert(
        {
          ...agreementFor('resource:default/orders-db', now),
          kind: 'OLA',
        },
        { type: 'created', summary: 'test' },
      );
      const breachOf = async (ref: string) => {
        const listed = await http
          .get(`/api/sla/breaches?entityRef=${encodeURIComponent(ref)}`)
          .set('Authorization', alice);
        return listed.body.items.filter((b: any) => b.closedAt === null);
      };
      await http
        .post('/api/sla/measurements')
        .set('Authorization', alice)
        .send({
          items: [failing('component:default/checkout', now - 10 * MINUTE)],
        })
        .expect(200);
      const [first] = await breachOf('component:default/checkout');
      expect(first.cause).toBe('own');

      // The dependency's breach opens later, with no new data for checkout.
      await http
        .post('/api/sla/measurements')
        .set('Authorization', alice)
        .send({
          items: [failing('resource:default/orders-db', now - 10 * MINUTE)],
        })
        .expect(200);
      const [corrected] = await breachOf('component:default/checkout');
      expect(corrected.id).toBe(first.id);
      expect(corrected.cause).toBe('internal');
      expect(corrected.causedBy).toEqual([
        {
          entityRef: 'resource:default/orders-db',
          agreementId: 'orders-db-sla',
          kind: 'OLA',
        },
      ]);
    });

    it('shares a time-driven round between two replicas, each entity evaluated once', async () => {
      const one = capturingScheduler();
      const two = capturingScheduler();
      const config = { sla: { evaluation: { batchSize: 1 } } };
      const first = await startSlaBackend(databaseId, {
        features: [one.factory],
        config,
      });
      await startSlaBackend(databaseId, {
        knex: first.knex,
        features: [two.factory],
        config,
      });
      const now = Date.now();
      await insertAgreements(first.knex, ENTITIES, now);
      const round = (tasks: typeof one.tasks) =>
        tasks.get('sla-breach-evaluation')!.fn();
      await Promise.all([round(one.tasks), round(two.tasks)]);

      const claims = await first.knex('sla_evaluation_rounds');
      // Every entity claimed in the round, once, by one of the replicas.
      expect(claims.map(c => c.entity_ref).sort()).toEqual(
        [...ENTITIES].sort(),
      );
      expect(new Set(claims.map(c => Number(c.round_at))).size).toBe(1);
      // Every target was evaluated.
      const states = await first.knex('sla_target_states');
      expect(states).toHaveLength(ENTITIES.length);
      expect(states.every(s => s.evaluated_at !== null)).toBe(true);

      // Running both again claims nothing more in that round.
      await Promise.all([round(one.tasks), round(two.tasks)]);
      const again = await first
        .knex('sla_evaluation_rounds')
        .where('round_at', claims[0].round_at);
      expect(again.map(c => c.entity_ref).sort()).toEqual(
        [...ENTITIES].sort(),
      );
      await settled(first.knex);
    });
  },
);
