/*
 * Benchmark of the attainment path (README "Benchmark"). Prints figures and
 * asserts nothing. For one database (argv: sqlite | postgres):
 *   1. ingest throughput through MeasurementStore.ingest (rollups included)
 *      against a raw bulk insert of the same rows into a bare table;
 *   2. p50/p95 of attainment for one service with 10 targets × a year of
 *      1-minute data, in a database that also holds 100,000 other services
 *      (an agreement with two targets, their two series and a little data
 *      each), at the service layer and as GET /attainment over HTTP, with
 *      where the time of a request goes (the plugin's Server-Timing header,
 *      sla.debug.serverTiming), against the same figures computed by
 *      scanning the raw rows (the results are compared: they must be equal);
 *   3. the process's peak resident memory.
 * Sizes scale with BENCH_SCALE (default 1 = the full year);
 * BENCH_OTHER_SERVICES sets the number of other services (default 100,000,
 * fewer below BENCH_SCALE 0.25) and BENCH_OTHER_SAMPLES the samples each of
 * their series gets (default 12, 5 minutes apart).
 */
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import knexFactory, { Knex } from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {
  Agreement,
  ParsedMeasurement,
  Target,
} from '@opensla/backstage-plugin-sla-common';
import {
  LOOKBACKS,
  countRatioSamples,
  evaluateThresholdSlices,
  expandMaintenanceWindows,
  resolveWindow,
} from '../src/domain';
import { AgreementStore, newAgreementRows } from '../src/store/AgreementStore';
import { MeasurementStore } from '../src/store/MeasurementStore';
import { bulkInsert } from '../src/store/bulkInsert';
import { percentile, serverTimingParts, timeRequests } from './benchSupport';
import { AttainmentService } from '../src/service/AttainmentService';
import { slaPlugin } from '../src/plugin';

const MINUTE = 60_000;
const DAY = 86_400_000;
const scale = Number(process.env.BENCH_SCALE ?? 1);
const YEAR_MINUTES = Math.round(365 * 1440 * scale);
const OTHER_SERVICES = Number(
  process.env.BENCH_OTHER_SERVICES ??
    Math.round(100_000 * Math.min(scale * 4, 1)),
);
const OTHER_SAMPLES = Number(process.env.BENCH_OTHER_SAMPLES ?? 12);
const ITERATIONS = 200;
/** Requests to a freshly started backend that are not counted. */
const HTTP_WARMUP = 25;
const AT = Date.parse('2026-11-22T12:00:00Z');
const ENTITY = 'component:default/bench-service';

let peakRss = 0;
/** Samples the resident memory; also called between steps, since a
 * synchronous driver can keep the timer below from running for long. */
function sampleMemory() {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}
const sampler = setInterval(sampleMemory, 50);

const fmt = (n: number, digits = 1) => n.toFixed(digits);

/** BENCH_KEEP=1 keeps the loaded database (sla_bench_kept, or
 * $TMPDIR/sla-bench-kept.sqlite; BENCH_KEEP_NAME names it otherwise) and
 * reuses it on the next run, which then measures the reads only. */
const keep = process.env.BENCH_KEEP === '1';
const keptName = process.env.BENCH_KEEP_NAME ?? 'sla_bench_kept';

async function connect(
  kind: string,
): Promise<{ db: Knex; close: () => Promise<void> }> {
  if (kind === 'postgres') {
    const url = process.env.BENCH_POSTGRES_URL;
    if (!url) throw new Error('BENCH_POSTGRES_URL is not set');
    const admin = knexFactory({ client: 'pg', connection: url });
    const name = keep ? keptName : `sla_bench_${process.pid}`;
    const exists = await admin('pg_database').where({ datname: name }).first();
    if (!exists) await admin.raw(`CREATE DATABASE ${name}`);
    const db = knexFactory({
      client: 'pg',
      connection: `${url.replace(/\/$/, '')}/${name}`,
      pool: { min: 1, max: 5 },
    });
    return {
      db,
      close: async () => {
        await db.destroy();
        if (!keep) await admin.raw(`DROP DATABASE ${name}`);
        await admin.destroy();
      },
    };
  }
  const dir = keep
    ? os.tmpdir()
    : fs.mkdtempSync(path.join(os.tmpdir(), 'sla-bench-'));
  const db = knexFactory({
    client: 'better-sqlite3',
    connection: {
      filename: path.join(
        dir,
        keep ? `${keptName.replace(/_/g, '-')}.sqlite` : 'bench.sqlite',
      ),
    },
    useNullAsDefault: true,
  });
  await db.raw('PRAGMA journal_mode = WAL');
  return {
    db,
    close: async () => {
      await db.destroy();
      if (!keep) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function target(i: number): Target {
  const common = {
    id: `t${i}`,
    name: `Target ${i}`,
    metric: `metric_${i}`,
    window:
      i % 3 === 2
        ? ({
            type: 'calendar',
            unit: 'year',
            timeZone: 'Europe/Berlin',
          } as const)
        : ({
            type: 'rolling',
            duration: i % 3 === 0 ? 'P28D' : 'P90D',
          } as const),
  };
  return i < 6
    ? {
        ...common,
        aspect: 'availability',
        sli: { kind: 'ratio' },
        objective: 99.9,
      }
    : {
        ...common,
        aspect: 'performance',
        sli: { kind: 'threshold', operator: 'lte', threshold: 300, unit: 'ms' },
        objective: 99,
      };
}

function agreement(
  id: string,
  entityRef: string,
  targets: Target[],
): Agreement {
  return {
    id,
    kind: 'SLA',
    entityRef,
    title: id,
    status: 'agreed',
    version: 1,
    agreedAt: '2025-01-01T00:00:00.000Z',
    maintenanceWindows: [
      {
        weekly: { day: 'sun', from: '02:00', to: '04:00' },
        timeZone: 'Europe/Berlin',
      },
    ],
    targets,
    createdAt: '2025-01-01T00:00:00.000Z',
    createdBy: 'bench',
    updatedAt: '2025-01-01T00:00:00.000Z',
    updatedBy: 'bench',
  };
}

/** Deterministic noise in [0, 1). */
function noise(a: number, b: number): number {
  let h = (a * 374761393 + b * 668265263) | 0;
  h = Math.imul(h ^ (h >>> 13), 1274126177);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

function samplesOf(
  t: Target,
  index: number,
  from: number,
  count: number,
): ParsedMeasurement[] {
  const out: ParsedMeasurement[] = [];
  for (let k = 0; k < count; k++) {
    const ts = from + k * MINUTE;
    const r = noise(index, k);
    if (t.sli.kind === 'ratio') {
      const total = 1000;
      out.push({
        kind: 'ratio',
        entityRef: ENTITY,
        metric: t.metric,
        ts,
        good: total - (r < 0.02 ? Math.floor(r * 1000) : 0),
        total,
      });
    } else {
      out.push({
        kind: 'threshold',
        entityRef: ENTITY,
        metric: t.metric,
        ts,
        value: r < 0.008 ? 450 : 100 + r * 150,
      });
    }
  }
  return out;
}

/** The other services' agreements and data, in bulk. */
async function loadOtherServices(db: Knex, store: MeasurementStore) {
  const chunk = 1000;
  const change = { type: 'created', summary: 'bench' } as const;
  for (let i = 0; i < OTHER_SERVICES; i += chunk) {
    const rows = Array.from(
      { length: Math.min(chunk, OTHER_SERVICES - i) },
      (_, k) =>
        newAgreementRows(
          agreement(`other-${i + k}`, `component:default/other-${i + k}`, [
            target(0),
            target(6),
          ]),
          change,
        ),
    );
    await db.transaction(async tx => {
      await tx.batchInsert(
        'sla_agreements',
        rows.map(r => r.agreement),
        100,
      );
      await tx.batchInsert(
        'sla_agreement_versions',
        rows.map(r => r.version),
        100,
      );
      await tx.batchInsert(
        'sla_targets',
        rows.flatMap(r => r.targets),
        100,
      );
    });
    sampleMemory();
  }
  // Data: OTHER_SAMPLES samples 5 minutes apart before AT per series,
  // 500 services (1,000 series) per ingest batch.
  const perBatch = 500;
  for (let i = 0; i < OTHER_SERVICES; i += perBatch) {
    const items: ParsedMeasurement[] = [];
    for (let s = i; s < Math.min(i + perBatch, OTHER_SERVICES); s++) {
      const entityRef = `component:default/other-${s}`;
      for (let k = 1; k <= OTHER_SAMPLES; k++) {
        const ts = AT - k * 5 * MINUTE;
        const r = noise(s, k);
        items.push({
          kind: 'ratio',
          entityRef,
          metric: 'metric_0',
          ts,
          good: 1000 - (r < 0.05 ? 3 : 0),
          total: 1000,
        });
        items.push({
          kind: 'threshold',
          entityRef,
          metric: 'metric_6',
          ts,
          value: r < 0.01 ? 450 : 100 + r * 150,
        });
      }
    }
    if (items.length) await store.ingest(items);
    sampleMemory();
  }
}

async function main() {
  const kind = process.argv[2] ?? 'sqlite';
  const { db, close } = await connect(kind);
  await db.migrate.latest({
    directory: resolvePackagePath(
      '@opensla/backstage-plugin-sla-backend',
      'migrations',
    ),
  });
  const agreements = new AgreementStore(db);
  const store = new MeasurementStore(db);
  console.log(
    `\n== ${kind}: ${YEAR_MINUTES} minutes × 10 targets, ${OTHER_SERVICES} other services`,
  );

  const targets = Array.from({ length: 10 }, (_, i) => target(i));
  const subject = agreement('bench-sla', ENTITY, targets);
  const from = AT - YEAR_MINUTES * MINUTE;
  const reuse = keep && (await agreements.get('bench-sla')) !== undefined;
  if (reuse) console.log('reusing the kept database: reads only');
  else {
    // 100,000 other services: an agreement each (the rows insert writes,
    // in bulk), and through ingest a little data for both its targets,
    // which creates their series.
    let started = Date.now();
    await loadOtherServices(db, store);
    console.log(
      `other services: ${OTHER_SERVICES} agreements, ${
        OTHER_SERVICES * 2
      } series, ${OTHER_SERVICES * 2 * OTHER_SAMPLES} samples in ${fmt(
        (Date.now() - started) / 1000,
      )} s`,
    );

    await agreements.insert(subject, { type: 'created', summary: 'bench' });

    // 1. Ingest against a raw bulk insert of the same rows (one series).
    const probe = samplesOf(
      targets[0],
      0,
      from,
      Math.min(YEAR_MINUTES, 200_000),
    );
    await db.schema.createTable('bench_raw', table => {
      table.integer('series_id');
      table.bigInteger('ts');
      table.double('good');
      table.double('total');
      table.primary(['series_id', 'ts']);
    });
    // Batches of 10,000 alternate between the two, so that both see the same
    // machine; the first pair warms up and is not counted.
    let rawMs = 0;
    let ingestMs = 0;
    let counted = 0;
    for (let i = 0; i < probe.length; i += 10_000) {
      const batch = probe.slice(i, i + 10_000);
      const rows = batch.map(p => {
        const r = p as Extract<ParsedMeasurement, { kind: 'ratio' }>;
        return [1, r.ts, r.good, r.total];
      });
      let t0 = process.hrtime.bigint();
      await db.transaction(tx =>
        bulkInsert(
          tx,
          'bench_raw',
          [
            ['series_id', 'integer'],
            ['ts', 'bigint'],
            ['good', 'float8'],
            ['total', 'float8'],
          ],
          rows,
        ),
      );
      const raw = Number(process.hrtime.bigint() - t0) / 1e6;
      t0 = process.hrtime.bigint();
      await store.ingest(batch);
      const ingest = Number(process.hrtime.bigint() - t0) / 1e6;
      if (i > 0) {
        rawMs += raw;
        ingestMs += ingest;
        counted += batch.length;
      }
    }
    const rawRate = counted / (rawMs / 1000);
    const ingestRate = counted / (ingestMs / 1000);
    console.log(
      `ingest: ${fmt(
        ingestRate,
        0,
      )} samples/s through ingest (rollups kept) vs ${fmt(
        rawRate,
        0,
      )} rows/s plain bulk insert: ${fmt(ingestRate / rawRate, 2)}×`,
    );

    // The rest of the year of data for all 10 targets.
    started = Date.now();
    let loaded = probe.length;
    for (let i = 0; i < targets.length; i++) {
      const offset = i === 0 ? probe.length : 0;
      for (let k = offset; k < YEAR_MINUTES; k += 10_000) {
        const batch = samplesOf(
          targets[i],
          i,
          from + k * MINUTE,
          Math.min(10_000, YEAR_MINUTES - k),
        );
        await store.ingest(batch);
        loaded += batch.length;
        sampleMemory();
      }
    }
    console.log(
      `loaded ${loaded} samples in ${fmt(
        (Date.now() - started) / 1000,
      )} s; peak resident memory so far ${fmt(peakRss / 2 ** 20, 0)} MiB`,
    );
  }

  // 2. Attainment through the rollups, as a service page is viewed again
  // and again: at instants 3 s apart from AT on (no data after AT), so the
  // window edges move as they do live. "Repeat" reads reuse the sums kept
  // by the store (MeasurementStore's range sums); "first" reads keep none,
  // as for a service nobody viewed since the backend started.
  const ats = Array.from({ length: ITERATIONS + 5 }, (_, i) => AT + i * 3000);
  const readAll = async (source: MeasurementStore) => {
    const service = new AttainmentService(source);
    const timings: number[] = [];
    for (const [i, at] of ats.entries()) {
      const t0 = process.hrtime.bigint();
      const current = await agreements.list({
        entityRef: ENTITY,
        status: 'agreed',
      });
      await service.forAgreements(current, at);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      sampleMemory();
      if (i >= 5) timings.push(ms);
    }
    return { timings, service };
  };
  const cold = new MeasurementStore(db, { rangeSumCapacity: 0 });
  const { timings: firstTimings } = await readAll(cold);
  const { timings, service: repeated } = await readAll(store);
  const subjectNow = await agreements.list({
    entityRef: ENTITY,
    status: 'agreed',
  });
  const fast = await new AttainmentService(cold).forAgreements(subjectNow, AT);
  const fastKept = await repeated.forAgreements(subjectNow, AT);
  if (JSON.stringify(fastKept) !== JSON.stringify(fast)) {
    throw new Error('kept sums answered other figures than a fresh read');
  }

  // The same through the plugin's HTTP API: GET /attainment on a backend
  // started with the plugin on this database (auth, validation, JSON), with
  // kept sums (the default) and without.
  const overHttp = async (options: {
    cacheSize?: number;
    serverTiming?: boolean;
  }) => {
    const sla: Record<string, unknown> = {};
    if (options.cacheSize !== undefined) {
      sla.measurements = { rangeSumCacheSize: options.cacheSize };
    }
    if (options.serverTiming) sla.debug = { serverTiming: true };
    const backend = await startTestBackend({
      features: [
        slaPlugin,
        mockServices.database.factory({ knex: db }),
        mockServices.rootConfig.factory({ data: { sla } }),
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: { name: 'bench-service', namespace: 'default' },
              spec: {
                type: 'service',
                lifecycle: 'production',
                owner: 'bench',
              },
            },
          ],
        }),
      ],
    });
    const base = `http://127.0.0.1:${backend.server.port()}/api/sla/attainment?entityRef=${ENTITY}&at=`;
    // From a separate client process, as a browser would send them. The
    // first HTTP_WARMUP requests after the backend started are not counted:
    // they time V8 compiling the HTTP path and the pools filling, not a
    // page of a running portal.
    const result = await timeRequests(
      Array.from(
        { length: ITERATIONS + HTTP_WARMUP },
        (_, i) => base + new Date(AT + i * 3000).toISOString(),
      ),
      mockCredentials.user.header(),
      ITERATIONS,
      HTTP_WARMUP,
    );
    if (result.body.items.length !== 10) {
      throw new Error(
        `GET /attainment answered ${result.body.items.length} items`,
      );
    }
    sampleMemory();
    await backend.stop();
    return result;
  };
  const httpTimings = (await overHttp({})).timings;
  const httpFirstTimings = (await overHttp({ cacheSize: 0 })).timings;
  // Again with Server-Timing: where the time of a request goes.
  const timedFirst = await overHttp({ cacheSize: 0, serverTiming: true });
  const timedRepeat = await overHttp({ serverTiming: true });
  const servingPeak = peakRss;

  // The same figures by scanning raw rows (compared with first reads).
  const scanTimings: number[] = [];
  let scanned: Array<{ targetId: string; good: number; bad: number }> = [];
  for (let i = 0; i < (scale >= 0.5 ? 5 : 10); i++) {
    const t0 = process.hrtime.bigint();
    scanned = [];
    for (const t of targets) {
      const window = resolveWindow(t.window, AT);
      const start = Math.min(window.start, AT - LOOKBACKS['3d']);
      const excluded = expandMaintenanceWindows(
        subject.maintenanceWindows!,
        start,
        AT,
      );
      const series = await store.getSeries(ENTITY, t.metric);
      if (t.sli.kind === 'ratio') {
        const rows = await db('sla_ratio_samples')
          .where('series_id', series!.id)
          .andWhere('ts', '>=', start)
          .andWhere('ts', '<', AT)
          .select('ts', 'good', 'total');
        const samples = rows.map((r: any) => ({
          t: Number(r.ts),
          good: Number(r.good),
          total: Number(r.total),
        }));
        const sums = countRatioSamples(samples, {
          start: window.start,
          end: AT,
          excluded,
        });
        for (const l of Object.values(LOOKBACKS))
          countRatioSamples(samples, { start: AT - l, end: AT, excluded });
        scanned.push({
          targetId: t.id,
          good: sums.good,
          bad: sums.total - sums.good,
        });
      } else {
        const rows = await db('sla_threshold_samples')
          .where('series_id', series!.id)
          .andWhere('ts', '>=', start)
          .andWhere('ts', '<', AT)
          .select('ts', 'value');
        const samples = rows.map((r: any) => ({
          t: Number(r.ts),
          value: Number(r.value),
        }));
        const sli = t.sli as { operator: 'lte'; threshold: number };
        const options = {
          operator: sli.operator,
          threshold: sli.threshold,
          sliceMs: MINUTE,
          excluded,
        };
        const slices = evaluateThresholdSlices(samples, {
          ...options,
          start: window.start,
          end: AT,
        });
        for (const l of Object.values(LOOKBACKS))
          evaluateThresholdSlices(samples, {
            ...options,
            start: AT - l,
            end: AT,
          });
        scanned.push({ targetId: t.id, good: slices.good, bad: slices.bad });
      }
    }
    scanTimings.push(Number(process.hrtime.bigint() - t0) / 1e6);
    sampleMemory();
  }

  const mismatches = scanned.filter(s => {
    const f = fast.find(a => a.targetId === s.targetId)!;
    return f.counted !== s.good + s.bad || f.errorBudget.consumed !== s.bad;
  });
  const p50 = percentile(firstTimings, 50);
  const p95 = percentile(firstTimings, 95);
  const scanP50 = percentile(scanTimings, 50);
  const scanP95 = percentile(scanTimings, 95);
  const line = (label: string, list: number[]) =>
    console.log(
      `${label}: p50 ${fmt(percentile(list, 50), 2)} ms, p95 ${fmt(
        percentile(list, 95),
        2,
      )} ms over ${list.length}`,
    );
  line('attainment (10 targets), service layer, first read', firstTimings);
  line('attainment (10 targets), service layer, repeat read', timings);
  line('GET /attainment over HTTP, first read', httpFirstTimings);
  line('GET /attainment over HTTP, repeat read', httpTimings);
  // Where the time goes: the Server-Timing parts (the permission decision
  // and the agreements read run at once, so parts may add up to more than
  // the total), and what the client saw beyond the server's total (HTTP,
  // the backend's own middleware before the plugin's router).
  const breakdown = (
    label: string,
    run: { timings: number[]; serverTimings: string[] },
  ) => {
    const parts = serverTimingParts(run.serverTimings);
    const total = parts.get('total') ?? [];
    const outside = run.timings.map((ms, n) => ms - (total[n] ?? 0));
    const order = [
      'auth',
      'permission',
      'catalog',
      'agreements',
      'planning',
      'database',
      'compute',
      'json',
      'total',
    ];
    const cell = (list: number[] | undefined) =>
      list
        ? `${fmt(percentile(list, 50), 2)} / ${fmt(percentile(list, 95), 2)}`
        : 'not asked';
    console.log(
      `${label}: p50 ${fmt(percentile(run.timings, 50), 2)} ms, p95 ${fmt(
        percentile(run.timings, 95),
        2,
      )} ms at the client; where it goes (p50 / p95 ms):`,
    );
    for (const part of order) {
      console.log(`  ${part.padEnd(12)} ${cell(parts.get(part))}`);
    }
    console.log(
      `  ${'outside'.padEnd(12)} ${cell(
        outside,
      )}  (HTTP, the backend's middleware)`,
    );
  };
  breakdown('GET /attainment with Server-Timing, first read', timedFirst);
  breakdown('GET /attainment with Server-Timing, repeat read', timedRepeat);
  console.log(
    `raw scan of the same figures: p50 ${fmt(scanP50)} ms, p95 ${fmt(
      scanP95,
    )} ms: rollups are ${fmt(scanP50 / p50, 0)}× (p50) / ${fmt(
      scanP95 / p95,
      0,
    )}× (p95) faster`,
  );
  console.log(
    mismatches.length
      ? `RESULTS DIFFER for ${mismatches.map(m => m.targetId).join(', ')}`
      : 'results: rollups and raw scan agree on every target',
  );
  console.log(
    `peak resident memory: ${fmt(
      servingPeak / 2 ** 20,
      0,
    )} MiB through ingest and attainment; ${fmt(
      peakRss / 2 ** 20,
      0,
    )} MiB once the raw scan has loaded a year of rows`,
  );
  clearInterval(sampler);
  await close();
}

main().catch(error => {
  clearInterval(sampler);
  console.error(error);
  process.exit(1);
});
