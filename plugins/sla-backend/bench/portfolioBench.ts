/*
 * Benchmark of the portfolio (README "Benchmark"). Prints figures and
 * asserts nothing. For one database (argv: sqlite | postgres): 10,000
 * services, each with an agreed SLA of two targets (availability: ratio,
 * P28D; latency: threshold, P28D) and a day of measurements every two hours
 * (240,000 samples through the real ingest path, rollups kept), one service
 * in five also under an OLA with one availability target, 2,000 breach
 * records and 20,000 CSAT answers. Then:
 * 1. a first call with nothing kept: every target evaluated at both period
 *    ends (what every call did before statuses were kept); it keeps the
 *    previous end's statuses (a snapshot at that whole hour);
 * 2. one full round of the breach evaluator (every entity in force) two
 *    minutes before the request, which keeps each target's current status.
 *    Each target already has a state from an earlier round (inserted
 *    below), so the first evaluation's 35-day hourly walk for breach dating
 *    is left out of the timing;
 * 3. p50/p95 of GET /portfolio's service method (no HTTP; the catalog and
 *    the permission decisions are in memory) answering from the kept
 *    statuses, with and without a filter;
 * 4. the snapshot task (keepSnapshots) for the next hour.
 */
import {
  connectInMemoryOrSchema,
  percentile,
  random,
  time,
  timeRequests,
} from './benchSupport';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { slaPlugin } from '../src/plugin';
import path from 'node:path';
import type { Entity } from '@backstage/catalog-model';
import type { Agreement } from '@opensla/backstage-plugin-sla-common';
import { AgreementStore } from '../src/store/AgreementStore';
import { MeasurementStore } from '../src/store/MeasurementStore';
import { PortfolioStore } from '../src/store/PortfolioStore';
import { AttainmentService } from '../src/service/AttainmentService';
import { EntityAccessGuard } from '../src/service/EntityAccessGuard';
import { PortfolioService } from '../src/service/PortfolioService';
import { BreachService } from '../src/service/BreachService';
import { TargetStatusStore } from '../src/store/TargetStatusStore';
import { BreachStore } from '../src/store/BreachStore';
import { TargetStateStore } from '../src/store/TargetStateStore';
import {
  agreement,
  availability,
  latency,
} from '../src/domain/viability/testGraph';

const SERVICES = Number(process.env.BENCH_SERVICES ?? 10_000);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 20);
const HOUR = 3_600_000;
// The data ends at the minute the bench starts: the backend started for the
// HTTP requests reads the real clock, and kept statuses must be recent.
const AT = Math.floor(Date.now() / 60_000) * 60_000;

const refOf = (i: number) => `component:default/svc-${i}`;
const teamOf = (i: number) => `group:default/team-${i % 200}`;

async function main() {
  const kind = process.argv[2] ?? 'sqlite';
  const next = random(11);
  const { db, close } = await connectInMemoryOrSchema(
    kind,
    'sla_portfolio_bench',
  );
  try {
    await db.migrate.latest({
      directory: path.resolve(__dirname, '../migrations'),
    });
    const store = new AgreementStore(db);
    const measurements = new MeasurementStore(db);
    const agreedAt = new Date(AT - 60 * 24 * HOUR).toISOString();
    const agreements: Agreement[] = [];
    for (let i = 0; i < SERVICES; i++) {
      const sla = agreement(`svc-${i}-sla`, refOf(i), [
        availability(99 + Math.round(next() * 99) / 100),
        latency('latency', 300),
      ]);
      agreements.push({ ...sla, agreedAt, reviewInterval: 'P3M' });
      if (i % 5 === 0) {
        const ola = agreement(
          `svc-${i}-ola`,
          refOf(i),
          [availability(99.5)],
          'OLA',
        );
        agreements.push({ ...ola, agreedAt });
      }
    }
    const [loadMs] = await time(async () => {
      for (const a of agreements) {
        await store.insert(a, { type: 'created', summary: 'bench' });
      }
    });
    const [ingestMs] = await time(async () => {
      for (let i = 0; i < SERVICES; i += 200) {
        const items: any[] = [];
        for (let s = i; s < i + 200; s++) {
          const bad = s % 10 === 0 ? 30 : Math.round(next() * 2);
          for (let h = 1; h <= 24; h += 2) {
            const ts = AT - h * HOUR;
            items.push({
              kind: 'ratio',
              entityRef: refOf(s),
              metric: 'requests',
              ts,
              good: 1000 - bad,
              total: 1000,
            });
            items.push({
              kind: 'threshold',
              entityRef: refOf(s),
              metric: 'latency',
              ts,
              value: 100 + Math.round(next() * 250),
            });
          }
        }
        await measurements.ingest(items);
      }
    });
    const severities = ['minor', 'major', 'critical'];
    const causes = ['own', 'internal', 'third-party'];
    const breaches = Array.from({ length: SERVICES / 5 }, (_, k) => {
      const opened = AT - Math.round(next() * 55 * 24) * HOUR;
      return {
        id: `breach-${k}`,
        entity_ref: refOf(k * 5),
        agreement_id: `svc-${k * 5}-sla`,
        target_id: 'availability',
        opened_at: new Date(opened).toISOString(),
        closed_at:
          k % 4 === 0 ? null : new Date(opened + 6 * HOUR).toISOString(),
        severity: severities[k % 3],
        cause: causes[k % 3],
        details: '{}',
      };
    });
    const feedback = Array.from({ length: SERVICES * 2 }, (_, k) => ({
      id: `feedback-${k}`,
      entity_ref: refOf(k % SERVICES),
      kind: 'impromptu',
      campaign_id: null,
      given_by: `user:default/u-${k}`,
      given_at: new Date(
        AT - Math.round(next() * 59 * 24) * HOUR - 1,
      ).toISOString(),
      scale: 'csat',
      score: 1 + Math.floor(next() * 5),
      state: null,
      version: 1,
      data: '{}',
    }));
    await db.batchInsert('sla_breaches', breaches as any[], 500);
    await db.batchInsert('sla_feedback', feedback as any[], 500);

    const entities = new Map<string, Entity>(
      Array.from({ length: SERVICES }, (_, i) => [
        refOf(i),
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: `svc-${i}`, namespace: 'default' },
          spec: { type: 'service', owner: teamOf(i) },
          relations: [{ type: 'ownedBy', targetRef: teamOf(i) }],
        },
      ]),
    );
    // The permission policy allows reads outright (one decision, as with
    // the allow-all policy or a policy without conditions); owners from the
    // catalog's entities kept in memory (CatalogGraphIndex).
    const guard = {
      readableRefs: async (_: unknown, refs: string[]) => new Set(refs),
      ownersOf: (e: Entity) =>
        e.relations!.map(r => r.targetRef.toLocaleLowerCase('en-US')),
    } as unknown as EntityAccessGuard;
    const attainment = new AttainmentService(measurements);
    const service = new PortfolioService({
      agreements: store,
      store: new PortfolioStore(db),
      attainment,
      statuses: new TargetStatusStore(db),
      guard,
      catalog: { entitiesByRef: async () => entities },
      clock: () => new Date(),
    });
    const credentials = {} as any;
    console.log(
      `portfolio bench on ${kind}: ${SERVICES} services, ${
        agreements.length
      } agreements in force (stored in ${(loadMs / 1000).toFixed(1)} s), ${
        SERVICES * 24
      } samples (ingested in ${(ingestMs / 1000).toFixed(1)} s), ${
        breaches.length
      } breaches, ${feedback.length} CSAT answers`,
    );
    const [coldMs, first] = await time(() =>
      service.portfolio(credentials, {}),
    );
    console.log(
      `  first call: ${coldMs.toFixed(1)} ms; ${
        first.items.length
      } services, targets met ${
        first.kpis.targetsMetPercent.value
      } % (previous ${first.kpis.targetsMetPercent.previous} %), ${
        first.kpis.breaches.total.value
      } breaches, CSAT ${first.kpis.csat.value} %`,
    );
    console.log(
      `  statuses at ${first.statusesAt?.current} / ${first.statusesAt?.previous}`,
    );
    // Earlier rounds left a state per target (see above).
    const states = agreements.flatMap(a =>
      a.targets.map(t => ({
        agreement_id: a.id,
        target_id: t.id,
        status: 'met',
        warning_level: 0,
        changed_at: new Date(AT - 6 * HOUR).toISOString(),
        backfilled_at: AT - 6 * HOUR,
      })),
    );
    await db.batchInsert('sla_target_states', states as any[], 500);
    const breachService = new BreachService({
      breachStore: new BreachStore(db),
      states: new TargetStateStore(db),
      agreements: store,
      attainment,
      graph: { get: async () => ({ directDependencies: () => [] }) } as any,
      logger: { error: () => {}, warn: () => {}, info: () => {} } as any,
    });
    // A full round: every entity with an agreement in force.
    const evaluateAll = async (at: number) => {
      const refs = [
        ...new Set(
          (await store.list({ status: 'agreed' })).map(a => a.entityRef),
        ),
      ];
      for (const ref of refs) await breachService.evaluateEntity(ref, at);
      return refs.length;
    };
    const [roundMs, evaluated] = await time(() => evaluateAll(Date.now()));
    console.log(
      `  breach evaluator round: ${(roundMs / 1000).toFixed(
        1,
      )} s for ${evaluated} services`,
    );
    // The first request after a round reads the statuses it kept: after
    // the first round (the portfolio switches from its own evaluations to
    // the kept statuses) and after the next one (as every five minutes in
    // a running backend: most statuses unchanged, all re-evaluated).
    const [afterRoundMs] = await time(() => service.portfolio(credentials, {}));
    console.log(
      `  first request after the round: ${afterRoundMs.toFixed(1)} ms`,
    );
    const [nextRoundMs] = await time(() => evaluateAll(Date.now()));
    const roundProfile = process.env.BENCH_ROUND_PROFILE
      ? await startProfile()
      : undefined;
    const [afterNextMs] = await time(() => service.portfolio(credentials, {}));
    await roundProfile?.stop(process.env.BENCH_ROUND_PROFILE!);
    console.log(
      `  next round: ${(nextRoundMs / 1000).toFixed(
        1,
      )} s; the first request after it: ${afterNextMs.toFixed(1)} ms`,
    );
    const profile = process.env.BENCH_CPU_PROFILE
      ? await startProfile()
      : undefined;
    const sql = process.env.BENCH_SQL_TIMING ? timeStatements(db) : undefined;
    for (const [label, query] of [
      ['all services', {}],
      ['one owner (50 services)', { owner: 'team-7' }],
      ['status breached', { status: 'breached' }],
    ] as const) {
      const samples: number[] = [];
      const cpu: number[] = [];
      let count = 0;
      for (let i = 0; i < ITERATIONS; i++) {
        const before = process.cpuUsage();
        const [ms, result] = await time(() =>
          service.portfolio(credentials, query),
        );
        const used = process.cpuUsage(before);
        samples.push(ms);
        // this process's CPU (with SQLite in memory, all the work): less
        // moved by other load on a shared machine than wall time
        cpu.push((used.user + used.system) / 1000);
        count = result.items.length;
      }
      console.log(
        `  ${label}: p50 ${percentile(samples, 50).toFixed(
          1,
        )} ms, p95 ${percentile(samples, 95).toFixed(
          1,
        )} ms; CPU p50 ${percentile(cpu, 50).toFixed(1)} ms (${count} items)`,
      );
    }
    if (profile) await profile.stop(process.env.BENCH_CPU_PROFILE!);
    sql?.print();
    const last = await service.portfolio(credentials, {});
    console.log(
      `  kept: statuses at ${last.statusesAt?.current} / ${last.statusesAt?.previous}; targets met ${last.kpis.targetsMetPercent.value} % (previous ${last.kpis.targetsMetPercent.previous} %)`,
    );
    const [taskMs, task] = await time(() => service.keepSnapshots(Date.now()));
    console.log(
      `  snapshot task (next hour): ${(taskMs / 1000).toFixed(1)} s, ${
        task.kept
      } statuses kept`,
    );
    // GET /portfolio through the plugin's HTTP API on a backend started on
    // this database, with a catalog of the 10,000 services (owners from the
    // catalog index, one permission decision), from a separate client
    // process; the first requests load the caches (not counted).
    const backend = await startTestBackend({
      features: [
        slaPlugin,
        mockServices.database.factory({ knex: db }),
        mockServices.rootConfig.factory({ data: {} }),
        catalogServiceMock.factory({ entities: [...entities.values()] }),
      ],
    });
    const httpProfile = process.env.BENCH_HTTP_PROFILE
      ? await startProfile()
      : undefined;
    try {
      const base = `http://127.0.0.1:${backend.server.port()}/api/sla/portfolio`;
      for (const [label, query] of [
        ['all services', ''],
        ['one owner (50 services)', '?owner=team-7'],
      ] as const) {
        const { timings, body } = await timeRequests(
          base + query,
          mockCredentials.user.header(),
          ITERATIONS,
        );
        const bytes = Buffer.byteLength(JSON.stringify(body));
        console.log(
          `  GET /portfolio${query} over HTTP, ${label}: p50 ${percentile(
            timings,
            50,
          ).toFixed(1)} ms, p95 ${percentile(timings, 95).toFixed(1)} ms (${
            body.items.length
          } items, ${(bytes / 2 ** 20).toFixed(1)} MiB of JSON, statuses at ${
            body.statusesAt.current
          })`,
        );
      }
    } finally {
      await httpProfile?.stop(process.env.BENCH_HTTP_PROFILE!);
      await backend.stop();
    }
    console.log(
      `  peak RSS ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB`,
    );
  } finally {
    await close();
  }
}

/** Wall time per statement text while running (BENCH_SQL_TIMING=1). */
function timeStatements(db: import('knex').Knex) {
  const started = new Map<string, number>();
  const totals = new Map<string, { n: number; ms: number }>();
  db.on('query', (q: any) => started.set(q.__knexQueryUid, performance.now()));
  db.on('query-response', (_: unknown, q: any) => {
    const t0 = started.get(q.__knexQueryUid);
    if (t0 === undefined) return;
    const text = String(q.sql).slice(0, 110);
    const total = totals.get(text) ?? { n: 0, ms: 0 };
    total.n++;
    total.ms += performance.now() - t0;
    totals.set(text, total);
  });
  return {
    print() {
      for (const [text, t] of [...totals].sort((a, b) => b[1].ms - a[1].ms)) {
        console.log(`  ${t.ms.toFixed(0).padStart(7)} ms ${t.n}× ${text}`);
      }
    },
  };
}

/** A CPU profile of the timed calls (BENCH_CPU_PROFILE=file), for tuning. */
async function startProfile() {
  const { Session } = await import('node:inspector');
  const { writeFileSync } = await import('node:fs');
  const session = new Session();
  session.connect();
  const post = (method: string) =>
    new Promise<any>((resolve, reject) =>
      session.post(method, (error, result) =>
        error ? reject(error) : resolve(result),
      ),
    );
  await post('Profiler.enable');
  await post('Profiler.start');
  return {
    async stop(file: string) {
      const { profile } = await post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
