import type { Knex } from 'knex';
import { mockCredentials } from '@backstage/backend-test-utils';
import { capturingScheduler } from '../__testUtils__/capturingScheduler';
import {
  alice,
  databases,
  sentNotifications,
  settled,
  startSlaBackend,
} from '../__testUtils__/testBackend';
import { AgreementStore } from '../store/AgreementStore';
import {
  abortOnStatement,
  agreementFor,
  insertAgreements,
  migrated,
  openBreaches,
  startReplica,
  storeFailing,
} from '../__testUtils__/replica';
import {
  enqueueEvaluation,
  EvaluationQueueStore,
} from '../store/EvaluationQueueStore';
import { EvaluationWorker } from './EvaluationWorker';

jest.setTimeout(60_000);

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

const ENTITIES = [
  'component:default/checkout',
  'component:default/web',
  'component:default/gateway',
  'component:default/recs',
  'component:default/orders',
  'resource:default/orders-store',
];

/** Makes every evaluation of `agreementId` fail in the database. */
async function refuseStatesOf(knex: Knex, agreementId: string) {
  if (knex.client.config.client === 'pg') {
    await knex.raw(`CREATE FUNCTION sla_test_refuse() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'refused by the test'; END $$ LANGUAGE plpgsql`);
    await knex.raw(
      `CREATE TRIGGER sla_test_refuse BEFORE INSERT ON sla_target_states
       FOR EACH ROW WHEN (NEW.agreement_id = '${agreementId}')
       EXECUTE FUNCTION sla_test_refuse()`,
    );
  } else {
    await knex.raw(
      `CREATE TRIGGER sla_test_refuse BEFORE INSERT ON sla_target_states
       FOR EACH ROW WHEN NEW.agreement_id = '${agreementId}'
       BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`,
    );
  }
}

async function allowStates(knex: Knex) {
  await knex
    .raw('DROP TRIGGER sla_test_refuse ON sla_target_states')
    .catch(() => knex.raw('DROP TRIGGER sla_test_refuse'));
}

describe.each(databases.eachSupportedId())(
  'evaluation faults on %p',
  databaseId => {
    // Whole minutes, so that the data lands in one minute.
    const T0 = Math.floor(Date.now() / MINUTE) * MINUTE;

    it("takes over a dead replica's claims once their lease ran out, each breach opened once", async () => {
      const knex = await migrated(await databases.init(databaseId));
      let now = T0;
      const clock = () => new Date(now);
      await insertAgreements(knex, ENTITIES, now);
      await storeFailing(knex, ENTITIES, now - 10 * MINUTE);
      expect(await knex('sla_evaluation_queue')).toHaveLength(ENTITIES.length);

      // Replica A claims every changed entity and dies in the middle of
      // evaluating the first: its claims stay, nothing is finished or given
      // back.
      const dead = new EvaluationWorker({
        queue: new EvaluationQueueStore(knex),
        evaluate: () => new Promise<void>(() => {}),
        roundEntities: async () => [],
        clock,
        logger: { error() {}, warn() {}, info() {}, debug() {} } as any,
        leaseMs: MINUTE,
        batchSize: 10,
      });
      void dead.evaluateChanged();
      for (let i = 0; i < 500; i++) {
        const held = await knex('sla_evaluation_queue').where(
          'claimed_by',
          dead.owner,
        );
        if (held.length === ENTITIES.length) break;
        await new Promise(r => setTimeout(r, 10));
      }
      const claims = await knex('sla_evaluation_queue');
      expect(claims.map(c => c.claimed_by)).toEqual(
        ENTITIES.map(() => dead.owner),
      );
      expect(claims.map(c => Number(c.claimed_until))).toEqual(
        ENTITIES.map(() => T0 + MINUTE),
      );

      // Replica B, with the same lease.
      const b = startReplica(knex, {
        clock,
        config: { sla: { evaluation: { leaseSeconds: 60 } } },
      });

      // Before the lease runs out B takes nothing.
      now = T0 + 59 * SECOND;
      await b.run('sla-evaluation-queue');
      expect(await knex('sla_evaluation_queue')).toHaveLength(ENTITIES.length);
      expect(await knex('sla_target_states')).toHaveLength(0);
      expect(await openBreaches(knex)).toEqual([]);

      // At the instant it runs out either (claimable once past it).
      now = T0 + MINUTE;
      await b.run('sla-evaluation-queue');
      expect(await knex('sla_target_states')).toHaveLength(0);

      // After it, B claims and evaluates every one of them.
      now = T0 + MINUTE + SECOND;
      await b.run('sla-evaluation-queue');
      // (Openings enqueue the dependents of the breached entities, to
      // correct their causes: B evaluates those too, in the background.)
      await settled(knex, 10_000);
      expect(await openBreaches(knex)).toEqual([...ENTITIES].sort());
      const states = await knex('sla_target_states');
      expect(states).toHaveLength(ENTITIES.length);
      expect(states.every(s => s.status === 'breached')).toBe(true);
      // One notification and one event review per opening.
      const opened = b.notifications.filter(n =>
        /is breached/.test(`${n.payload.title}`),
      );
      expect(opened).toHaveLength(ENTITIES.length);
      const reviews = await knex('sla_reviews');
      expect(reviews).toHaveLength(ENTITIES.length);

      // Later runs, and a time-driven round, open nothing more.
      now = T0 + 3 * MINUTE;
      await b.run('sla-evaluation-queue');
      await b.run('sla-breach-evaluation');
      expect(await openBreaches(knex)).toEqual([...ENTITIES].sort());
      expect(await knex('sla_breaches')).toHaveLength(ENTITIES.length);
      expect(await knex('sla_reviews')).toHaveLength(ENTITIES.length);
      await b.services.evaluation.stop();
    });

    it('retries a failing entity with back-off, drops it after the fifth failure (logged), and never holds up the others', async () => {
      const knex = await migrated(await databases.init(databaseId));
      let now = T0;
      const clock = () => new Date(now);
      const RECS = 'component:default/recs';
      const others = ENTITIES.filter(e => e !== RECS);
      await insertAgreements(knex, ENTITIES, now);
      await refuseStatesOf(knex, 'recs-sla');
      const replica = startReplica(knex, {
        clock,
        config: { sla: { evaluation: { batchSize: 2 } } },
      });
      const queued = async () =>
        knex('sla_evaluation_queue').where('entity_ref', RECS).first();
      const failures = () =>
        replica.logs.filter(
          l => l.level === 'error' && l.message.includes(RECS),
        );

      // recs has the earliest data, so it comes first in every claim.
      await storeFailing(knex, [RECS], now - 20 * MINUTE);
      await storeFailing(knex, others.slice(0, 3), now - 10 * MINUTE);
      await replica.run('sla-evaluation-queue');
      expect(await openBreaches(knex)).toEqual(others.slice(0, 3).sort());
      let row = await queued();
      expect(Number(row.attempts)).toBe(1);
      expect(row.claimed_by).toBeNull();
      expect(Number(row.claimed_until)).toBe(now + 30 * SECOND);
      expect(failures().map(l => l.message)).toEqual([
        `Evaluation of ${RECS} failed (attempt 1)`,
      ]);
      expect(`${failures()[0].error}`).toMatch(/refused by the test/);

      // While recs waits for its retry, new data of others is evaluated.
      now = T0 + 10 * SECOND;
      await storeFailing(knex, others.slice(3), now - 5 * MINUTE);
      await replica.run('sla-evaluation-queue');
      expect(await openBreaches(knex)).toEqual([...others].sort());
      expect(Number((await queued()).attempts)).toBe(1);

      // Not before its back-off ran out: 30 s, then doubling.
      let failedAt = T0;
      const waits: Array<
        { attempts: number; waitSeconds: number } | undefined
      > = [];
      for (const [attempt, backOff] of [
        [2, 30],
        [3, 60],
        [4, 120],
        [5, 240],
      ]) {
        now = failedAt + backOff * SECOND - SECOND;
        await replica.run('sla-evaluation-queue');
        expect(Number((await queued()).attempts)).toBe(attempt - 1);
        expect(failures()).toHaveLength(attempt - 1);

        now = failedAt + backOff * SECOND + SECOND;
        await replica.run('sla-evaluation-queue');
        expect(failures()).toHaveLength(attempt);
        failedAt = now;
        row = await queued();
        waits.push(
          row && {
            attempts: Number(row.attempts),
            waitSeconds: (Number(row.claimed_until) - now) / SECOND,
          },
        );
      }
      expect(waits).toEqual([
        { attempts: 2, waitSeconds: 60 },
        { attempts: 3, waitSeconds: 120 },
        { attempts: 4, waitSeconds: 240 },
        // The fifth failure drops it from the queue, saying so.
        undefined,
      ]);
      expect(failures().map(l => l.message)).toEqual([
        `Evaluation of ${RECS} failed (attempt 1)`,
        `Evaluation of ${RECS} failed (attempt 2)`,
        `Evaluation of ${RECS} failed (attempt 3)`,
        `Evaluation of ${RECS} failed (attempt 4)`,
        `Evaluation of ${RECS} failed (attempt 5, left to the time-driven evaluation)`,
      ]);
      now += HOUR;
      await replica.run('sla-evaluation-queue');
      expect(failures()).toHaveLength(5);
      expect(await knex('sla_target_states')).toHaveLength(others.length);

      // The time-driven round still reaches it, and evaluates it once the
      // fault is gone.
      await allowStates(knex);
      await replica.run('sla-breach-evaluation');
      expect(await openBreaches(knex)).toEqual([...ENTITIES].sort());
      expect(await knex('sla_breaches')).toHaveLength(ENTITIES.length);
      await replica.services.evaluation.stop();
    });

    it('counts failures afresh for data that arrived during a failed claim, and a late replica ends no claim of another', async () => {
      const knex = await migrated(await databases.init(databaseId));
      const queue = new EvaluationQueueStore(knex);
      const RECS = 'component:default/recs';
      const row = async () =>
        knex('sla_evaluation_queue').where('entity_ref', RECS).first();
      await enqueueEvaluation(knex, [RECS], T0 - 10 * MINUTE);
      await knex('sla_evaluation_queue').update({ attempts: 4 });

      // Replica a fails for the fifth time, but new (earlier) data came in
      // while it evaluated: the entity stays queued for the new data.
      const [claimed] = await queue.claim('a', T0, T0 + MINUTE, 10);
      expect(claimed).toMatchObject({ version: 1, attempts: 4 });
      await enqueueEvaluation(knex, [RECS], T0 - 20 * MINUTE);
      await queue.fail('a', claimed, T0 + 8 * MINUTE, true);
      expect(await row()).toMatchObject({ claimed_by: null });
      const kept = await row();
      expect(Number(kept.attempts)).toBe(0);
      expect(Number(kept.version)).toBe(2);
      expect(Number(kept.from_ms)).toBe(T0 - 20 * MINUTE);
      expect(Number(kept.claimed_until)).toBe(T0 + 8 * MINUTE);

      // Claimable once that back-off ran out.
      expect(
        await queue.claim('b', T0 + 8 * MINUTE, T0 + 9 * MINUTE, 10),
      ).toEqual([]);
      const [again] = await queue.claim(
        'b',
        T0 + 8 * MINUTE + 1,
        T0 + 9 * MINUTE,
        10,
      );
      expect(again).toMatchObject({ version: 2, attempts: 0 });

      // Replica a, back late with its old claim, ends nothing of b's.
      await queue.finish('a', claimed, T0 + HOUR);
      await queue.fail('a', claimed, T0 + HOUR, true);
      await queue.release('a', [claimed]);
      expect(await row()).toMatchObject({ claimed_by: 'b' });
      await queue.finish('b', again, T0 + HOUR);
      expect(await row()).toBeUndefined();
    });

    it('evaluates a newly breaching entity before a backlog of entities evaluated moments ago, although its data is newer', async () => {
      const knex = await migrated(await databases.init(databaseId));
      const backlog = Array.from(
        { length: 30 },
        (_, i) => `component:default/backlog-${String(i).padStart(2, '0')}`,
      );
      const NEWCOMER = 'component:default/newcomer';
      await insertAgreements(knex, [...backlog, NEWCOMER], T0);
      const replica = startReplica(knex, {
        clock: () => new Date(T0),
        config: { sla: { evaluation: { batchSize: 5 } } },
      });
      const evaluation = replica.services.evaluation;
      // The backlog was evaluated a moment ago...
      await storeFailing(knex, backlog, T0 - 30 * MINUTE);
      expect(await evaluation.evaluateChanged()).toBe(backlog.length);
      expect(await openBreaches(knex)).toEqual(backlog);
      // ...and every batch queues it again, with data older than the
      // newcomer's first (breaching) sample.
      await storeFailing(knex, backlog, T0 - 20 * MINUTE);
      await storeFailing(knex, [NEWCOMER], T0 - 10 * MINUTE);
      expect(await knex('sla_evaluation_queue')).toHaveLength(
        backlog.length + 1,
      );

      // The first claim takes the newcomer: its breach opens (the run stops
      // right after that write) while the backlog still waits.
      const abort = abortOnStatement(knex, /insert into .sla_breaches/i);
      await evaluation.evaluateChanged(abort.signal);
      abort.detach();
      expect(abort.aborted()).toBe(true);
      expect(await openBreaches(knex)).toEqual([...backlog, NEWCOMER].sort());
      const waiting = await knex('sla_evaluation_queue');
      expect(waiting.length).toBeGreaterThanOrEqual(backlog.length - 4);
      expect(waiting.map(r => r.entity_ref)).not.toContain(NEWCOMER);

      // The rest of the backlog follows; still one breach each.
      await evaluation.evaluateChanged();
      expect(await knex('sla_evaluation_queue')).toHaveLength(0);
      expect(await knex('sla_breaches')).toHaveLength(backlog.length + 1);
      await evaluation.stop();
    });

    it('opens one breach, one review and one notification per opening when ingest, feedback, rounds and queue runs meet on two replicas', async () => {
      const one = capturingScheduler();
      const two = capturingScheduler();
      const a = await startSlaBackend(databaseId, {
        features: [one.factory],
        settle: false,
      });
      const b = await startSlaBackend(databaseId, {
        knex: a.knex,
        features: [two.factory],
        settle: false,
      });
      const { knex } = a;
      const now = Date.now();
      const refs = ENTITIES.slice(0, 4);
      const store = new AgreementStore(knex);
      const xla = {
        id: 'csat',
        name: 'CSAT',
        aspect: 'experience' as const,
        metric: 'csat',
        sli: { kind: 'ratio' as const },
        objective: 80,
        window: {
          type: 'calendar' as const,
          unit: 'month' as const,
          timeZone: 'UTC',
        },
      };
      for (const ref of refs) {
        const agreement = agreementFor(ref, now);
        if (ref === ENTITIES[0]) agreement.targets.push(xla as any);
        await store.insert(agreement, { type: 'created', summary: 'test' });
      }
      sentNotifications.length = 0;
      const minute = Math.floor(now / MINUTE) * MINUTE;
      const replicas = [a, b];
      const tasks = [one.tasks, two.tasks];
      await Promise.all([
        // Eight clients post failing minutes through both replicas...
        ...Array.from({ length: 8 }, (_, client) =>
          replicas[client % 2].http
            .post('/api/sla/measurements')
            .set('Authorization', alice)
            .send({
              items: refs.map(entityRef => ({
                entityRef,
                metric: 'requests',
                timestamp: new Date(
                  minute - (client + 2) * MINUTE,
                ).toISOString(),
                good: 0,
                total: 100,
              })),
            })
            .expect(200),
        ),
        // ...unhappy users answer through both...
        ...Array.from({ length: 6 }, (_, i) =>
          replicas[i % 2].http
            .post('/api/sla/feedback')
            .set(
              'Authorization',
              mockCredentials.user.header(`user:default/unhappy-${i}`),
            )
            .send({ entityRef: ENTITIES[0], kind: 'impromptu', score: 1 })
            .expect(201),
        ),
        // ...while both run forced rounds and the queue.
        ...tasks.flatMap(t => [
          t.get('sla-breach-evaluation')!.fn(),
          t.get('sla-evaluation-queue')!.fn(),
          t.get('sla-breach-evaluation')!.fn(),
        ]),
      ]);
      await settled(knex, 20_000);
      await Promise.all(tasks.map(t => t.get('sla-evaluation-queue')!.fn()));

      const targets = [
        ...refs.map(ref => `${agreementFor(ref, now).id}/requests`),
        `${agreementFor(ENTITIES[0], now).id}/csat`,
      ].sort();
      const breaches = await knex('sla_breaches');
      expect(
        breaches.map(r => `${r.agreement_id}/${r.target_id}`).sort(),
      ).toEqual(targets);
      expect(breaches.every(r => r.closed_at === null)).toBe(true);
      const reviews = await knex('sla_reviews');
      expect(reviews).toHaveLength(targets.length);
      for (const target of targets) {
        const told = sentNotifications.filter(
          n =>
            n.payload.topic === `sla:${target.replace('/', ':')}` &&
            `${n.payload.title}`.includes('is breached'),
        );
        expect(told).toHaveLength(1);
      }
    });
  },
);
