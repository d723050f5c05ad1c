/*
 * Benchmark of the time-driven evaluation round (README "Benchmark", issue
 * 14 item 1). Prints figures and asserts nothing. For one database (argv:
 * sqlite | postgres): BENCH_ENTITIES services (default 100,000), each with
 * an agreed SLA of two ratio targets on one series (99.9 % over a rolling
 * 28 days, 99.5 % over the calendar month), a sample a day for 28 days and
 * one per ten minutes for the last three hours (through the real ingest
 * path, rollups kept); one service in 500 breached. Every target has a
 * kept state from earlier rounds (its history recorded). Then, in the
 * same run:
 * 1. the full round (every entity in force, what every round did before
 *    issue 14): evaluates and keeps each target's status and the instant
 *    until which it holds;
 * 2. 1 % of the services receive data for the last 5 minutes (queued as
 *    ingest queues them); then the due-only round: the queue's evaluation
 *    of the changed entities plus the time-driven round five minutes later,
 *    which visits only the targets whose instant has come.
 * The load average is printed with the figures (the machine is shared).
 */
import { connectInMemoryOrSchema, random, time } from './benchSupport';
import path from 'node:path';
import os from 'node:os';
import type { Agreement, Target } from '@opensla/backstage-plugin-sla-common';
import { AgreementStore } from '../src/store/AgreementStore';
import { MeasurementStore } from '../src/store/MeasurementStore';
import { AttainmentService } from '../src/service/AttainmentService';
import { BreachService } from '../src/service/BreachService';
import { BreachStore } from '../src/store/BreachStore';
import { TargetStateStore } from '../src/store/TargetStateStore';
import { EvaluationQueueStore } from '../src/store/EvaluationQueueStore';
import { EvaluationWorker } from '../src/service/EvaluationWorker';
import { HOLDS_FOREVER } from '../src/domain';

const ENTITIES = Number(process.env.BENCH_ENTITIES ?? 100_000);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const ROUND = 5 * MINUTE;
const AT = Math.floor(Date.parse('2026-06-15T12:03:00Z') / MINUTE) * MINUTE;

const refOf = (i: number) => `component:default/svc-${i}`;

function targets(): Target[] {
  const base = {
    aspect: 'availability' as const,
    metric: 'requests',
    sli: { kind: 'ratio' as const },
  };
  return [
    {
      ...base,
      id: 'availability',
      name: 'Availability',
      objective: 99.9,
      window: { type: 'rolling', duration: 'P28D' },
    },
    {
      ...base,
      id: 'monthly',
      name: 'Monthly availability',
      objective: 99.5,
      window: { type: 'calendar', unit: 'month', timeZone: 'UTC' },
    },
  ];
}

function agreementOf(i: number): Agreement {
  return {
    id: `svc-${i}-sla`,
    kind: 'SLA',
    entityRef: refOf(i),
    title: `svc-${i} SLA`,
    status: 'agreed',
    agreedAt: new Date(AT - 60 * DAY).toISOString(),
    version: 1,
    targets: targets(),
    createdAt: new Date(AT - 61 * DAY).toISOString(),
    createdBy: 'user:default/bench',
    updatedAt: new Date(AT - 60 * DAY).toISOString(),
    updatedBy: 'user:default/bench',
  };
}

const load = () =>
  os
    .loadavg()
    .map(l => l.toFixed(1))
    .join(' ');

async function main() {
  const kind = process.argv[2] ?? 'sqlite';
  const next = random(14);
  const { db, close } = await connectInMemoryOrSchema(kind, 'sla_due_bench');
  try {
    await db.migrate.latest({
      directory: path.resolve(__dirname, '../migrations'),
    });
    console.log(
      `due-only round bench on ${kind}: ${ENTITIES} services × 2 targets, load average ${load()}`,
    );
    const [loadMs] = await time(async () => {
      for (let i = 0; i < ENTITIES; i += 1000) {
        await db.transaction(async tx => {
          const store = new AgreementStore(tx);
          for (let j = i; j < Math.min(ENTITIES, i + 1000); j++) {
            await store.insert(agreementOf(j), {
              type: 'created',
              summary: 'bench',
            });
          }
        });
      }
    });
    const measurements = new MeasurementStore(db);
    let samples = 0;
    const [ingestMs] = await time(async () => {
      for (let i = 0; i < ENTITIES; i += 100) {
        const items: any[] = [];
        for (let s = i; s < Math.min(ENTITIES, i + 100); s++) {
          const breached = s % 500 === 0;
          const add = (ts: number, total: number) => {
            const bad = breached
              ? Math.round(total * 0.05)
              : Math.round(next() * total * 0.0004);
            items.push({
              kind: 'ratio',
              entityRef: refOf(s),
              metric: 'requests',
              ts,
              good: total - bad,
              total,
            });
          };
          for (let d = 28; d >= 1; d--) add(AT - d * DAY + 7 * HOUR, 100_000);
          for (let t = AT - 3 * HOUR; t < AT - 5 * MINUTE; t += 10 * MINUTE) {
            add(t, 1_000);
          }
        }
        samples += items.length;
        await measurements.ingest(items);
      }
    });
    // Earlier rounds recorded each target's history (the 35-day hourly
    // walk of a first evaluation is not what a round costs).
    const states = [];
    for (let i = 0; i < ENTITIES; i++) {
      for (const t of targets()) {
        states.push({
          agreement_id: `svc-${i}-sla`,
          target_id: t.id,
          status: 'met',
          warning_level: 0,
          changed_at: new Date(AT - 6 * HOUR).toISOString(),
          evaluated_at: AT - ROUND,
          backfilled_at: AT - 6 * HOUR,
        });
      }
    }
    await db.batchInsert('sla_target_states', states as any[], 500);
    // The seeding's queue entries were evaluated long ago.
    await db('sla_evaluation_queue').delete();
    console.log(
      `  setup: ${ENTITIES} agreements in ${(loadMs / 1000).toFixed(
        1,
      )} s, ${samples} samples ingested in ${(ingestMs / 1000).toFixed(1)} s`,
    );

    const attainment = new AttainmentService(measurements, undefined, {
      keepSums: false,
    });
    const agreements = new AgreementStore(db);
    const targetStates = new TargetStateStore(db);
    const breaches = new BreachService({
      breachStore: new BreachStore(db),
      states: targetStates,
      agreements,
      attainment,
      graph: { get: async () => ({ directDependencies: () => [] }) } as any,
      logger: { error: () => {}, warn: () => {}, info: () => {} } as any,
    });
    let now = AT;
    const worker = new EvaluationWorker({
      queue: new EvaluationQueueStore(db),
      evaluate: (ref, at) => breaches.evaluateEntity(ref, at),
      evaluateMany: (refs, at, stopped) =>
        breaches.evaluateEntities(refs, at, stopped),
      roundEntities: async (at, full) => {
        if (!full) return targetStates.dueEntityRefs(at);
        const inForce = await agreements.list({ status: 'agreed' });
        return [...new Set(inForce.map(a => a.entityRef))];
      },
      clock: () => new Date(now),
      logger: { error: () => {}, warn: () => {}, info: () => {} } as any,
    });

    // 1. The full round (baseline).
    const [fullMs, full] = await time(() =>
      worker.runRound(ROUND, undefined, { full: true }),
    );
    console.log(
      `  full round: ${(fullMs / 1000).toFixed(1)} s for ${
        full.evaluated
      } services (${(fullMs / Math.max(full.evaluated, 1)).toFixed(
        1,
      )} ms per service), load average ${load()}`,
    );
    const held = await db('sla_target_states').select('holds_until');
    const ahead = held.map(h =>
      h.holds_until === null ? 0 : Number(h.holds_until) - AT,
    );
    const count = (f: (ms: number) => boolean) => ahead.filter(f).length;
    console.log(
      `  targets holding: ≤ 5 min ${count(ms => ms <= ROUND)}, ≤ 1 day ${count(
        ms => ms > ROUND && ms <= DAY,
      )}, > 1 day ${count(
        ms => ms > DAY && ms < HOLDS_FOREVER - AT,
      )}, until new data ${count(ms => ms >= HOLDS_FOREVER - AT)}`,
    );

    // 2. 1 % receive data for the last five minutes; then the due-only round.
    now = AT + ROUND;
    const changed: string[] = [];
    const items: any[] = [];
    for (let i = 0; i < ENTITIES; i += 100) {
      const s = i + Math.floor(next() * Math.min(100, ENTITIES - i));
      changed.push(refOf(s));
      for (let t = AT - 4 * MINUTE; t < now; t += MINUTE) {
        items.push({
          kind: 'ratio',
          entityRef: refOf(s),
          metric: 'requests',
          ts: t,
          good: 100,
          total: 100,
        });
      }
    }
    // Ingest queues the changed entities in its transaction.
    await measurements.ingest(items);
    const [queueMs, queued] = await time(() => worker.evaluateChanged());
    const [roundMs, round] = await time(() => worker.runRound(ROUND));
    console.log(
      `  due-only: queue ${(queueMs / 1000).toFixed(
        1,
      )} s for ${queued} changed services, round ${(roundMs / 1000).toFixed(
        1,
      )} s for ${round.evaluated} due services of ${ENTITIES}; total ${(
        (queueMs + roundMs) /
        1000
      ).toFixed(1)} s vs ${(fullMs / 1000).toFixed(
        1,
      )} s full, load average ${load()}`,
    );
    const [candidatesMs, due] = await time(() =>
      targetStates.dueEntityRefs(now + ROUND),
    );
    console.log(
      `  the due query alone: ${candidatesMs.toFixed(0)} ms (${
        due.length
      } due next round)`,
    );
  } finally {
    await close();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
