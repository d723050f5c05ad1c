/*
 * Benchmark of ingest under load (README "Benchmark", issue 13). Prints
 * figures and asserts nothing. A backend with the SLA plugin runs on the
 * chosen database with 1,000 services under an agreed SLA (availability
 * 99.9 % over a rolling day); separate client processes
 * (bench/ingestClient.mjs, bench/loadClient.mjs) send the requests:
 *
 * 1. POST /measurements with 10,000 items over 1,000 entities against the
 *    same 10,000 items for one entity (alternating, p50/p95);
 * 2. once the evaluation queue is empty (every entity evaluated once, as
 *    in a running portal), a sustained stream of batches of 2,000 samples
 *    over the 1,000 entities, with a breaching sample for a fresh entity every
 *    few seconds: how long after its POST was answered the breach is
 *    visible in GET /breaches (p50/p95), and the samples/s reached;
 * 3. autocannon: 50 connections for 60 s alternating GET /attainment and
 *    POST /measurements of 10 samples: p50/p95/p99 and errors.
 *
 * BENCH_ENTITIES, BENCH_ITERATIONS, BENCH_STREAM_SECONDS and
 * BENCH_LOAD_SECONDS change the sizes.
 */
import { execFile } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import path from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { Entity } from '@backstage/catalog-model';
import { slaPlugin } from '../src/plugin';
import { AgreementStore } from '../src/store/AgreementStore';
import { agreement, availability } from '../src/domain/viability/testGraph';
import {
  connectInMemoryOrSchema,
  percentile,
  timeStatements,
} from './benchSupport';

const ENTITIES = Number(process.env.BENCH_ENTITIES ?? 1000);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 20);
const STREAM_SECONDS = Number(process.env.BENCH_STREAM_SECONDS ?? 60);
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 60);
const HOUR = 3_600_000;

const refOf = (i: number) => `component:default/svc-${i}`;

function client(script: string, args: string[]): Promise<any> {
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      [path.join(__dirname, script), ...args],
      { maxBuffer: 64 * 2 ** 20 },
      (error, stdout, stderr) =>
        error
          ? reject(new Error(`${script}: ${error.message}\n${stderr}`))
          : resolve(JSON.parse(stdout.trim().split('\n').pop()!)),
    ),
  );
}

const ms = (v: number | null) => (v === null ? '–' : `${v.toFixed(0)} ms`);

async function main() {
  const kind = process.argv[2] ?? 'sqlite';
  const { db, close } = await connectInMemoryOrSchema(kind, 'sla_ingest_bench');
  try {
    await db.migrate.latest({
      directory: path.resolve(__dirname, '../migrations'),
    });
    const store = new AgreementStore(db);
    const agreedAt = new Date(Date.now() - 30 * 24 * HOUR).toISOString();
    const entities: Entity[] = [];
    // Twice the entities: the second half receive the breaching samples.
    for (let i = 0; i < 2 * ENTITIES; i++) {
      const sla = agreement(`svc-${i}-sla`, refOf(i), [
        {
          ...availability(99.9),
          window: { type: 'rolling', duration: 'P1D' },
        },
      ]);
      await store.insert(
        { ...sla, agreedAt },
        { type: 'created', summary: 'bench' },
      );
      entities.push({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: `svc-${i}`, namespace: 'default' },
        spec: { type: 'service', owner: `team-${i % 50}` },
        relations: [
          { type: 'ownedBy', targetRef: `group:default/team-${i % 50}` },
        ],
      });
    }
    const backend = await startTestBackend({
      features: [
        slaPlugin,
        mockServices.database.factory({ knex: db }),
        mockServices.rootConfig.factory({ data: {} }),
        catalogServiceMock.factory({ entities }),
      ],
    });
    const sql = process.env.BENCH_SQL_TIMING ? timeStatements(db) : undefined;
    const base = `http://127.0.0.1:${backend.server.port()}/api/sla`;
    const auth = mockCredentials.service.header();
    // Samples within the last hours, 1 ms apart, never repeated.
    let startTs = Date.now() - 6 * HOUR;
    const take = (n: number) => {
      const s = startTs;
      startTs += n + 1;
      return s;
    };
    console.log(
      `ingest bench on ${kind}: ${ENTITIES} services streaming (+${ENTITIES} for breaches), load average ${require('node:os')
        .loadavg()
        .map((l: number) => l.toFixed(1))
        .join(' ')}`,
    );
    try {
      // 1. 10,000 items over 1,000 entities vs for one entity.
      const spread: number[] = [];
      const one: number[] = [];
      for (let i = 0; i < ITERATIONS + 2; i++) {
        for (const [entities_, into] of [
          [ENTITIES, spread],
          [1, one],
        ] as const) {
          const { timings } = await client('ingestClient.mjs', [
            'batch',
            base,
            auth,
            JSON.stringify({
              count: 1,
              warmup: 0,
              items: 10_000,
              entities: entities_,
              startTs: take(10_000),
            }),
          ]);
          if (i >= 2) into.push(...timings);
        }
      }
      const [s50, s95, o50, o95] = [
        percentile(spread, 50),
        percentile(spread, 95),
        percentile(one, 50),
        percentile(one, 95),
      ];
      console.log(
        `  POST /measurements, 10,000 items over ${ENTITIES} entities: p50 ${ms(
          s50,
        )}, p95 ${ms(s95)}; for one entity: p50 ${ms(o50)}, p95 ${ms(
          o95,
        )}; ratio of p95s ${(s95 / o95).toFixed(2)}× (goal ≤ 1.5×)`,
      );

      // 2. Sustained ingest with breaches, from the steady state of a
      // running portal: every streaming entity evaluated once (their first
      // evaluation dates breaches back over the agreement's life), which
      // the queue does after step 1 before the stream starts.
      const drainStart = Date.now();
      while (Date.now() - drainStart < 600_000) {
        const [{ n }] = await db('sla_evaluation_queue').count({ n: '*' });
        if (Number(n) === 0) break;
        await new Promise(wake => setTimeout(wake, 500));
      }
      console.log(
        `  evaluation queue drained ${(
          (Date.now() - drainStart) /
          1000
        ).toFixed(
          1,
        )} s after step 1 (first evaluations of ${ENTITIES} entities)`,
      );
      // 2. Sustained ingest with breaches. The backend's event loop delay
      // is watched: a loop blocked longer than the server's keep-alive
      // timeout (5 s) resets connections that clients reuse.
      const loop = monitorEventLoopDelay({ resolution: 10 });
      loop.enable();
      sql?.reset();
      const stream = await client('ingestClient.mjs', [
        'stream',
        base,
        auth,
        JSON.stringify({
          seconds: STREAM_SECONDS,
          batchSize: 2_000,
          concurrency: 4,
          entities: ENTITIES,
          firstVictim: ENTITIES,
          injectEveryMs: 3_000,
          pollMs: 50,
          giveUpMs: 30_000,
          startTs: take(100_000_000),
        }),
      ]);
      for (const failure of stream.failures ?? []) {
        console.log(`  failed POST: ${failure}`);
      }
      console.log(
        `  sustained ingest: ${Math.round(
          stream.samplesPerSecond,
        )} samples/s over ${ENTITIES} entities for ${STREAM_SECONDS} s (POST p50 ${ms(
          stream.post.p50,
        )}, p95 ${ms(stream.post.p95)}, ${
          stream.errors
        } errors); breach visible after its data: p50 ${ms(
          stream.breachLatency.p50,
        )}, p95 ${ms(stream.breachLatency.p95)} (${
          stream.breachLatency.n
        } breaches, ${
          stream.missed.length
        } not seen within 30 s; goal p95 < 2 s); for an entity of the stream p50 ${ms(
          stream.streamBreachLatency.p50,
        )}, p95 ${ms(stream.streamBreachLatency.p95)}, for a fresh one p50 ${ms(
          stream.freshBreachLatency.p50,
        )}, p95 ${ms(
          stream.freshBreachLatency.p95,
        )}; backend event loop delay p99 ${ms(
          loop.percentile(99) / 1e6,
        )}, max ${ms(loop.max / 1e6)}`,
      );
      loop.disable();
      const queued = await db('sla_evaluation_queue')
        .select('worse')
        .count({ n: '*' })
        .groupBy('worse');
      const waiting = (worse: number) =>
        Number(queued.find(r => Number(r.worse) === worse)?.n ?? 0);
      console.log(
        `  evaluation queue when the stream ended: ${waiting(
          1,
        )} entities waiting with data that may worsen a status, ${waiting(
          0,
        )} with all-good data (evaluated after the others)`,
      );
      sql?.print();

      // 3. autocannon, GET /attainment and POST /measurements mixed.
      const load = await client('loadClient.mjs', [
        base,
        auth,
        JSON.stringify({
          connections: 50,
          seconds: LOAD_SECONDS,
          entities: ENTITIES,
          batch: 10,
          startTs: take(100_000_000),
        }),
      ]);
      console.log(
        `  autocannon, 50 connections for ${LOAD_SECONDS} s: ${
          load.requests
        } requests, p50 ${ms(load.p50)}, p95 ${ms(load.p95)}, p99 ${ms(
          load.p99,
        )}; GET /attainment p95 ${ms(
          load.get.p95,
        )}, POST /measurements p95 ${ms(load.post.p95)}; errors ${
          load.errors + load.timeouts
        }, non-2xx ${load.non2xx} ${JSON.stringify(
          load.failures,
        )} (goal 0 errors)`,
      );
      console.log(
        `  peak RSS ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB`,
      );
    } finally {
      await backend.stop();
    }
  } finally {
    await close();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
