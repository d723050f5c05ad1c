import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import type { Agreement, Target } from '@opensla/backstage-plugin-sla-common';
import fc from 'fast-check';
import type { Knex } from 'knex';
import { breachServiceOn } from '../__testUtils__/breachServiceOn';
import { databases } from '../__testUtils__/testBackend';
import { AgreementStore } from '../store/AgreementStore';
import { EvaluationQueueStore } from '../store/EvaluationQueueStore';
import { MeasurementStore } from '../store/MeasurementStore';
import { TargetStateStore } from '../store/TargetStateStore';
import { EvaluationWorker } from './EvaluationWorker';

jest.setTimeout(600_000);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-06-10T00:00:00Z');
const ROUND = 5 * MINUTE;

type TargetSpec = Pick<Target, 'objective' | 'window'>;
type Sample = { ago: number; good: number; bad: number };

const windows: TargetSpec['window'][] = [
  { type: 'rolling', duration: 'PT6H' },
  { type: 'rolling', duration: 'P1D' },
  { type: 'rolling', duration: 'P2D' },
  { type: 'calendar', unit: 'week', timeZone: 'UTC' },
  { type: 'calendar', unit: 'month', timeZone: 'Europe/Berlin' },
];

const sampleArb = (maxAgo: number) =>
  fc.record({
    ago: fc.integer({ min: 1, max: maxAgo }),
    good: fc.integer({ min: 0, max: 2000 }),
    // Mostly healthy, with bursts of failures now and then.
    bad: fc.oneof(
      { weight: 8, arbitrary: fc.constant(0) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 400 }) },
    ),
  });

const scenario = fc.record({
  targets: fc.array(
    fc.record({
      objective: fc.constantFrom(90, 95, 99, 99.5),
      window: fc.constantFrom(...windows),
      // History before the first instant: 2 days, sparse or dense.
      history: fc.array(sampleArb(2 * DAY), { maxLength: 80 }),
    }),
    { minLength: 1, maxLength: 4 },
  ),
  steps: fc.array(
    fc.record({
      rounds: fc.oneof(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 4, max: 300 }),
      ),
      data: fc.array(
        fc.record({
          target: fc.nat(3),
          samples: fc.array(sampleArb(5 * MINUTE), {
            minLength: 1,
            maxLength: 3,
          }),
        }),
        { maxLength: 2 },
      ),
    }),
    { minLength: 2, maxLength: 10 },
  ),
});

function agreementOf(
  id: string,
  entityRef: string,
  spec: TargetSpec,
): Agreement {
  return {
    id,
    kind: 'SLA',
    entityRef,
    title: id,
    status: 'agreed',
    agreedAt: new Date(T0 - 3 * DAY).toISOString(),
    version: 2,
    targets: [
      {
        id: 'requests',
        name: 'Requests',
        aspect: 'availability',
        metric: 'requests',
        sli: { kind: 'ratio' },
        objective: spec.objective,
        window: spec.window,
      },
    ],
    createdAt: new Date(T0 - 4 * DAY).toISOString(),
    createdBy: 'user:default/bob',
    updatedAt: new Date(T0 - 3 * DAY).toISOString(),
    updatedBy: 'user:default/bob',
  };
}

const breachService = (db: Knex) =>
  breachServiceOn(db, undefined, { keepSums: false });

/** What a user sees of a target: its kept status and its breaches. */
async function seen(db: Knex, agreementId: string) {
  const states = await db('sla_target_states')
    .where('agreement_id', agreementId)
    .select('status', 'warning_level', 'changed_at', 'backfilled_at');
  const breaches = await db('sla_breaches')
    .where('agreement_id', agreementId)
    .orderBy('opened_at')
    .select('opened_at', 'closed_at', 'severity', 'cause', 'details');
  return {
    states: states.map(s => ({
      ...s,
      warning_level: Number(s.warning_level),
      backfilled_at: s.backfilled_at === null ? null : Number(s.backfilled_at),
    })),
    breaches: breaches.map(b => ({ ...b, details: JSON.parse(b.details) })),
  };
}

describe.each(databases.eachSupportedId())(
  'due-only evaluation rounds on %p',
  databaseId => {
    let db: Knex;
    let run = 0;

    beforeAll(async () => {
      db = await databases.init(databaseId);
      await db.migrate.latest({
        directory: resolvePackagePath(
          '@opensla/backstage-plugin-sla-backend',
          'migrations',
        ),
      });
    });

    it('gives the statuses and breaches of evaluating everything, at every instant', async () => {
      const measurements = new MeasurementStore(db);
      const agreements = new AgreementStore(db);
      const breaches = breachService(db);
      const states = new TargetStateStore(db);
      let visitedDue = 0;
      let visitedFull = 0;
      /** Status or warning changes with no new data for the target. */
      let changesByTime = 0;

      await fc.assert(
        fc.asyncProperty(scenario, async ({ targets, steps }) => {
          run++;
          // Two identical worlds: "due" visits only due targets (and those
          // with new data, as the queue does); "full" visits everything.
          const ref = (world: string, i: number) =>
            `component:default/r${run}-${world}-${i}`;
          const id = (world: string, i: number) => `r${run}-${world}-${i}`;
          for (const [i, spec] of targets.entries()) {
            for (const world of ['due', 'full']) {
              await agreements.insert(
                agreementOf(id(world, i), ref(world, i), spec),
                { type: 'created', summary: 'test' },
              );
            }
          }
          const ingest = async (i: number, samples: Sample[], at: number) => {
            // Samples at the same instant are one sample of their sums.
            const byTs = new Map<number, { good: number; total: number }>();
            for (const s of samples) {
              const sum = byTs.get(at - s.ago) ?? { good: 0, total: 0 };
              sum.good += s.good;
              sum.total += s.good + s.bad;
              byTs.set(at - s.ago, sum);
            }
            const items = ['due', 'full'].flatMap(world =>
              [...byTs].map(([ts, sum]) => ({
                kind: 'ratio' as const,
                entityRef: ref(world, i),
                metric: 'requests',
                ts,
                ...sum,
              })),
            );
            if (items.length) await measurements.ingest(items);
          };
          for (const [i, spec] of targets.entries()) {
            await ingest(i, spec.history, T0);
          }
          const worker = (at: number) =>
            new EvaluationWorker({
              queue: new EvaluationQueueStore(db),
              evaluate: (r, _now) => breaches.evaluateEntity(r, at),
              roundEntities: async (t, full) => {
                const due = full
                  ? targets.map((_, i) => ref('full', i))
                  : await states.dueEntityRefs(t);
                return due.filter(r =>
                  r.startsWith(
                    `component:default/r${run}-${full ? 'full' : 'due'}-`,
                  ),
                );
              },
              clock: () => new Date(at),
              logger: mockServices.logger.mock(),
            });

          let at = T0;
          const before = new Map<number, string>();
          for (const step of steps) {
            at += step.rounds * ROUND;
            const changed = new Set<number>();
            for (const d of step.data) {
              const i = d.target % targets.length;
              await ingest(i, d.samples, at);
              changed.add(i);
            }
            // The queue's evaluation of changed entities (due world).
            for (const i of changed) {
              await breaches.evaluateEntity(ref('due', i), at);
            }
            const w = worker(at);
            const due = await w.runRound(ROUND);
            const full = await w.runRound(ROUND, undefined, { full: true });
            visitedDue += due.evaluated + changed.size;
            visitedFull += full.evaluated;
            for (const [i] of targets.entries()) {
              const a = await seen(db, id('due', i));
              const b = await seen(db, id('full', i));
              const now = JSON.stringify(
                b.states.map(x => [x.status, x.warning_level]),
              );
              if (before.has(i) && before.get(i) !== now && !changed.has(i)) {
                changesByTime++;
              }
              before.set(i, now);
              expect({
                at: new Date(at).toISOString(),
                target: i,
                ...a,
              }).toEqual({
                at: new Date(at).toISOString(),
                target: i,
                ...b,
              });
            }
          }
        }),
        { numRuns: Number(process.env.DUE_ROUNDS_RUNS ?? 12) },
      );
      // The point of it: fewer visits than evaluating everything, and
      // statuses did change with the passing of time alone.
      expect(visitedDue).toBeLessThan(visitedFull);
      expect(changesByTime).toBeGreaterThan(0);
      // eslint-disable-next-line no-console
      console.log(
        `${databaseId}: ${visitedDue} visits due-only vs ${visitedFull} full; ${changesByTime} changes without new data`,
      );
    });
  },
);
