/*
 * Benchmark of storage and retention (README "Benchmark", issue 14.2).
 * Prints figures and asserts nothing. For one database (argv: sqlite |
 * postgres): BENCH_STORAGE_SERVICES services (default 20), each with an
 * agreed SLA of two targets (availability: ratio, P28D; latency: threshold,
 * PT1M slices, P28D), and BENCH_STORAGE_DAYS days (default 42) of 1-minute
 * data for both, through the real ingest path (rollups kept). Then:
 * 1. bytes per stored sample, table + indexes, per table (SQLite: dbstat;
 *    PostgreSQL: pg_relation_size / pg_indexes_size after VACUUM ANALYZE);
 * 2. the retention task (RetentionService, default policy: raw for 28 d +
 *    the 3-day look-back + the 7-day margin, rollups 400 d) at the end of
 *    the data: rows deleted, time, and the latency of ingest batches sent
 *    while it runs (PostgreSQL; SQLite has one writer at a time);
 * 3. the steady-state size for 10,000 services x 2 targets of 1-minute data
 *    with 28-day windows after retention, extrapolated from the measured
 *    bytes per row (the full size is too slow to load on a shared machine).
 */
import {
  connectInMemoryOrSchema,
  percentile,
  random,
  time,
} from './benchSupport';
import path from 'node:path';
import type { Agreement } from '@opensla/backstage-plugin-sla-common';
import type { Knex } from 'knex';
import { AgreementStore } from '../src/store/AgreementStore';
import { MeasurementStore } from '../src/store/MeasurementStore';
import { MeasurementRetention } from '../src/store/measurements/MeasurementRetention';
import { RetentionService } from '../src/service/RetentionService';
import {
  agreement,
  availability,
  latency,
} from '../src/domain/viability/testGraph';

const SERVICES = Number(process.env.BENCH_STORAGE_SERVICES ?? 20);
const DAYS = Number(process.env.BENCH_STORAGE_DAYS ?? 42);
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const AT = Math.floor(Date.now() / HOUR) * HOUR;
const TABLES = [
  'sla_ratio_samples',
  'sla_ratio_rollups',
  'sla_threshold_samples',
  'sla_threshold_minutes',
  'sla_slice_rollups',
];
const POLICY = {
  rawMarginMs: 7 * DAY,
  unreadWindow: 'P28D',
  rollupsMs: 400 * DAY,
};

const refOf = (i: number) => `component:default/svc-${i}`;

type Sizes = Record<string, { rows: number; table: number; indexes: number }>;

async function sizes(db: Knex, postgres: boolean): Promise<Sizes> {
  const out: Sizes = {};
  if (postgres) {
    for (const table of TABLES) await db.raw(`VACUUM ANALYZE ${table}`);
  }
  for (const table of TABLES) {
    const [{ n }] = await db(table).count({ n: '*' });
    if (postgres) {
      const {
        rows: [row],
      } = await db.raw(
        `SELECT pg_relation_size(?::regclass) + COALESCE(pg_relation_size(
           (SELECT reltoastrelid FROM pg_class WHERE oid = ?::regclass)), 0) AS t,
           pg_indexes_size(?::regclass) AS i`,
        [table, table, table],
      );
      out[table] = {
        rows: Number(n),
        table: Number(row.t),
        indexes: Number(row.i),
      };
    } else {
      const rows = await db.raw(
        `SELECT s.name AS name, m.type AS type, SUM(s.pgsize) AS bytes
           FROM dbstat s JOIN sqlite_master m ON m.name = s.name
          WHERE m.tbl_name = ? GROUP BY s.name, m.type`,
        [table],
      );
      let t = 0;
      let i = 0;
      for (const r of rows) {
        if (r.type === 'table') t += Number(r.bytes);
        else i += Number(r.bytes);
      }
      out[table] = { rows: Number(n), table: t, indexes: i };
    }
  }
  return out;
}

const mib = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MiB`;
const gib = (b: number) => `${(b / 1024 ** 3).toFixed(1)} GiB`;

function print(label: string, s: Sizes) {
  console.log(label);
  for (const [table, v] of Object.entries(s)) {
    const per = v.rows ? (v.table + v.indexes) / v.rows : 0;
    console.log(
      `  ${table.padEnd(24)} ${String(v.rows).padStart(10)} rows  table ${mib(
        v.table,
      ).padStart(10)}  indexes ${mib(v.indexes).padStart(10)}  ${per.toFixed(
        1,
      )} B/row`,
    );
  }
}

async function main() {
  const kind = process.argv[2] ?? 'sqlite';
  const postgres = kind === 'postgres';
  const next = random(14);
  const { db, close } = await connectInMemoryOrSchema(
    kind,
    'sla_storage_bench',
  );
  try {
    await db.migrate.latest({
      directory: path.resolve(__dirname, '../migrations'),
    });
    const store = new AgreementStore(db);
    const measurements = new MeasurementStore(db);
    const agreements: Agreement[] = [];
    for (let i = 0; i < SERVICES; i++) {
      agreements.push(
        agreement(`svc-${i}-sla`, refOf(i), [
          availability(99.5),
          { ...latency('latency', 300), timeslice: 'PT1M' },
        ]),
      );
    }
    for (const a of agreements) {
      await store.insert(a, { type: 'created', summary: 'bench' });
    }
    // Day by day, every service: batches of 2 series x 1,440 samples x
    // `per` services (at most 10,000 items, as POST /measurements allows).
    const per = 3;
    const start = AT - DAYS * DAY;
    const batch = (day: number, from: number) => {
      const items: any[] = [];
      for (let s = from; s < Math.min(from + per, SERVICES); s++) {
        for (let m = 0; m < 1440; m++) {
          const ts = start + day * DAY + m * MINUTE;
          const bad = next() < 0.01 ? 5 : 0;
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
      return items;
    };
    const [ingestMs] = await time(async () => {
      for (let day = 0; day < DAYS; day++) {
        for (let s = 0; s < SERVICES; s += per) {
          await measurements.ingest(batch(day, s));
        }
      }
    });
    const samples = SERVICES * 2 * DAYS * 1440;
    console.log(
      `storage bench on ${kind}: ${SERVICES} services x 2 targets, ${DAYS} days of 1-minute data = ${samples} samples, ingested in ${(
        ingestMs / 1000
      ).toFixed(1)} s (${Math.round(samples / (ingestMs / 1000))}/s)`,
    );
    // A slice definition for the latency target, as the first read makes it.
    await measurements.ensureSliceDefinitions(
      [
        ...(
          await measurements.getSeriesMany(
            agreements.map(a => ({
              entityRef: a.entityRef,
              metric: 'latency',
            })),
          )
        ).values(),
      ].map(s => ({ seriesId: s.id, key: 'lte:300:60000' })),
    );
    const before = await sizes(db, postgres);
    print('before retention', before);
    const b = (t: string) => before[t].table + before[t].indexes;
    const ratioPerSample =
      b('sla_ratio_samples') / before.sla_ratio_samples.rows;
    const thresholdPerSample =
      (b('sla_threshold_samples') + b('sla_threshold_minutes')) /
      before.sla_threshold_samples.rows;
    const rollupPerRatioRow =
      b('sla_ratio_rollups') / before.sla_ratio_rollups.rows;
    const rollupPerSliceRow =
      b('sla_slice_rollups') / before.sla_slice_rollups.rows;
    console.log(
      `bytes per stored sample (table + indexes): ratio ${ratioPerSample.toFixed(
        1,
      )} B, threshold ${thresholdPerSample.toFixed(
        1,
      )} B (sample + its minute's extremes); rollup rows ${rollupPerRatioRow.toFixed(
        1,
      )} B (ratio), ${rollupPerSliceRow.toFixed(1)} B (slices)`,
    );

    // Retention at the end of the data, with ingest of the next hours
    // alongside (PostgreSQL lets them run at once).
    const retention = new RetentionService({
      agreements: store,
      store: new MeasurementRetention(db),
      policy: POLICY,
      chunkSize: 5000,
    });
    const ingestLatencies: number[] = [];
    let pruning = true;
    const alongside = async () => {
      let minute = 0;
      while (pruning && postgres) {
        const ts = AT + minute * MINUTE;
        minute++;
        const items = Array.from({ length: SERVICES }, (_, s) => ({
          kind: 'ratio' as const,
          entityRef: refOf(s),
          metric: 'requests',
          ts,
          good: 1000,
          total: 1000,
        }));
        const [ms] = await time(() => measurements.ingest(items));
        ingestLatencies.push(ms);
      }
    };
    const side = alongside();
    const [pruneMs, result] = await time(() => retention.run(AT));
    pruning = false;
    await side;
    console.log(
      `retention run: ${result.deleted} rows deleted over ${
        result.series
      } series in ${(pruneMs / 1000).toFixed(1)} s (${Math.round(
        result.deleted / (pruneMs / 1000),
      )} rows/s), done: ${result.done}`,
    );
    if (ingestLatencies.length) {
      console.log(
        `ingest alongside (${
          ingestLatencies.length
        } batches of ${SERVICES} samples): p50 ${percentile(
          ingestLatencies,
          50,
        ).toFixed(1)} ms, p95 ${percentile(ingestLatencies, 95).toFixed(
          1,
        )} ms, max ${Math.max(...ingestLatencies).toFixed(1)} ms`,
      );
    }
    const after = await sizes(db, postgres);
    print('after retention', after);
    const keptDays = after.sla_ratio_samples.rows / (SERVICES * 1440);
    console.log(
      `raw kept: ${keptDays.toFixed(
        1,
      )} days per series (28 d window + 3 d look-back + 7 d margin, whole hours)`,
    );

    // Steady state for 10,000 services x 2 targets, 1-minute data, P28D
    // windows: raw for 38 days (+ up to an hour between runs), rollups for
    // 400 days (hourly, daily and weekly buckets per series and per slice
    // definition), from the bytes per row measured above.
    const services = 10_000;
    const rawDays = 38 + 1 / 24;
    const rawRows = services * rawDays * 1440;
    const rollupRows = services * (400 * 24 + 400 + 400 / 7);
    const ratioBytes =
      rawRows * ratioPerSample + rollupRows * rollupPerRatioRow;
    const thresholdBytes =
      rawRows * thresholdPerSample + rollupRows * rollupPerSliceRow;
    console.log(
      `steady state, 10,000 services x 2 targets, 1-minute data, 28-day windows (extrapolated): raw ${(
        (rawRows * 2) /
        1e9
      ).toFixed(2)} billion samples + ${((rollupRows * 2) / 1e6).toFixed(
        0,
      )} million rollup rows = ${gib(ratioBytes + thresholdBytes)} (ratio ${gib(
        ratioBytes,
      )}, threshold ${gib(thresholdBytes)})`,
    );
  } finally {
    await close();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
