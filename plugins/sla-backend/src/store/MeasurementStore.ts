import type { Knex } from 'knex';
import { enqueueMeasured } from './EvaluationQueueStore';
import type { ParsedMeasurement } from '@opensla/backstage-plugin-sla-common';
import { Interval, mergeIntervals } from '../domain';
import { bulkInsert } from './bulkInsert';
import {
  MINUTE_MS,
  ROLLUP_RESOLUTIONS,
  floorTo,
  parseSliceKey,
} from './rollupLevels';

/** Rows per statement: keeps SQLite under its bound-variable limit. */
const CHUNK = 500;

type Series = { id: number; kind: ParsedMeasurement['kind'] };
export type MinutePoint = { t: number; min: number; max: number };

/**
 * A range whose rows are summed with a sign: raw rows (resolution 0) or
 * rollup buckets of one resolution of a series (and slice definition),
 * with start ≤ t < end. Sums come back per `id`.
 */
export type SumRange = {
  id: number;
  seriesId: number;
  sliceKey?: string;
  resolution: number;
  start: number;
  end: number;
  sign: 1 | -1;
};

/** What AttainmentService asks readPlans for. */
export type PlanReads = {
  ratio: SumRange[];
  slices: SumRange[];
  minutes: Array<{ seriesId: number; ranges: Interval[] }>;
  /** Threshold samples read one by one (partial minutes at range ends). */
  samples?: Array<{ seriesId: number; ranges: Interval[] }>;
};

/** A series' write stamps (migration 20261122430000). */
type SeriesStamp = { high?: number; late: number };

/** A distinct range's identity (and, with the series' stamp, its kept sum's). */
const rangeKey = (
  t: number,
  seriesId: number,
  resolution: number,
  sliceKey: string | null,
  start: number,
  end: number,
) => `${t}|${seriesId}|${resolution}|${sliceKey}|${start}|${end}`;

/** One distinct range to sum, and the plan ranges that use it. */
type SumRead = {
  key: string;
  t: 0 | 1;
  s: number;
  r: number;
  a: number;
  b: number;
  k: string | null;
  /** Slice length of slice rollups (0 for ratio). */
  spare: number;
  uses: Array<{ id: number; sign: 1 | -1 }>;
};

export type SeriesKindConflict = {
  index: number;
  entityRef: string;
  metric: string;
  holds: string;
};

export class SeriesKindError extends Error {
  constructor(readonly conflicts: SeriesKindConflict[]) {
    super('series kind conflict');
  }
}

const num = (v: unknown) => Number(v);

/** Another ingest stored some of the same samples meanwhile: try again. */
class ConcurrentIngestError extends Error {}

/** Values by (series, timestamp), without a string key per sample. */
class BySeriesAndTime<T> {
  private readonly bySeries = new Map<number, Map<number, T>>();

  get(series: number, ts: number): T | undefined {
    return this.bySeries.get(series)?.get(ts);
  }

  set(series: number, ts: number, value: T) {
    let times = this.bySeries.get(series);
    if (!times) {
      times = new Map();
      this.bySeries.set(series, times);
    }
    times.set(ts, value);
  }

  values(): T[] {
    return [...this.bySeries.values()].flatMap(times => [...times.values()]);
  }
}

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(items.slice(i, i + size));
  return out;
}

function rangeWhere(column: string, ranges: Interval[]) {
  return (qb: Knex.QueryBuilder) => {
    for (const r of ranges) {
      qb.orWhere(inner =>
        inner.where(column, '>=', r.start).andWhere(column, '<', r.end),
      );
    }
  };
}

function worst(operator: 'lte' | 'gte', min: number, max: number) {
  return operator === 'lte' ? max : min;
}

function isGood(operator: 'lte' | 'gte', threshold: number, value: number) {
  return operator === 'lte' ? value <= threshold : value >= threshold;
}

/**
 * Measurements and their rollups. `ingest` is one transaction that stores
 * new samples and events, skips duplicates, and updates the hourly and
 * daily rollups by exactly what it added; reads fetch only what a coverage
 * plan (planCoverage) asks for.
 */
/**
 * Sums over ranges of stored data, least recently used first out. A sum is
 * kept under its series' `late_writes`, and only for a range that ends at
 * or before the series' `high_ts` (with a whole slice to spare for slice
 * rollups, whose slices may straddle a bucket edge): later samples in time
 * order cannot change it, and a late one moves `late_writes`, so a stale
 * sum is never found. The stamps are read from the database on every use,
 * so writes through other replicas count too.
 */
class RangeSums {
  // Two generations approximate least-recently-used cheaply: a hit in the
  // old one moves to the young one; when the young one is full it becomes
  // the old one, and what was old is dropped.
  private young = new Map<string, { x: number; y: number }>();
  private old = new Map<string, { x: number; y: number }>();
  constructor(private readonly capacity: number) {}

  get(key: string) {
    const young = this.young.get(key);
    if (young) return young;
    const old = this.old.get(key);
    if (old) this.set(key, old);
    return old;
  }

  set(key: string, sum: { x: number; y: number }) {
    this.young.set(key, sum);
    if (this.young.size >= this.capacity / 2) {
      this.old = this.young;
      this.young = new Map();
    }
  }
}

export class MeasurementStore {
  private readonly rangeSums: RangeSums | undefined;

  constructor(
    private readonly db: Knex,
    options?: {
      /** Sums over ranges kept for reuse (0: none); default 100,000. */
      rangeSumCapacity?: number;
    },
  ) {
    const capacity = options?.rangeSumCapacity ?? 100_000;
    this.rangeSums = capacity > 0 ? new RangeSums(capacity) : undefined;
  }

  /**
   * Committed series by "entityRef\u0000metric": a series row never changes
   * once written, so every replica may keep what it has read.
   */
  private readonly knownSeries = new Map<string, Series>();

  private remember(series: Map<string, Series>) {
    if (this.knownSeries.size > 100_000) this.knownSeries.clear();
    for (const [key, s] of series) this.knownSeries.set(key, s);
  }

  /** Stores a validated batch; all or nothing. */
  async ingest(
    items: ParsedMeasurement[],
  ): Promise<{ accepted: number; duplicates: number }> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.ingestOnce(items);
      } catch (error) {
        if (!(error instanceof ConcurrentIngestError) || attempt === 3) {
          throw error;
        }
      }
    }
  }

  private async ingestOnce(
    items: ParsedMeasurement[],
  ): Promise<{ accepted: number; duplicates: number }> {
    let resolved: Map<string, Series> | undefined;
    const result = await this.db.transaction(async tx => {
      const series = await this.resolveSeries(tx, items);
      resolved = series;
      await this.lockSeries(tx, series);
      let accepted = 0;
      const ratio: Array<{
        series: number;
        ts: number;
        good: number;
        total: number;
      }> = [];
      const threshold: Array<{ series: number; ts: number; value: number }> =
        [];
      const events: Array<{
        series: number;
        item: Extract<ParsedMeasurement, { kind: 'duration' }>;
      }> = [];
      // Batches usually hold long runs of one series in time order: look
      // the series up once per run, and de-duplicate only when a sample
      // does not come after the series' previous one.
      const lastTs = new Map<number, number>();
      let ordered = true;
      let lastRef: string | undefined;
      let lastMetric: string | undefined;
      let s!: Series;
      let previous = -Infinity;
      for (const item of items) {
        if (item.entityRef !== lastRef || item.metric !== lastMetric) {
          if (lastRef !== undefined) lastTs.set(s.id, previous);
          s = series.get(`${item.entityRef}\u0000${item.metric}`)!;
          lastRef = item.entityRef;
          lastMetric = item.metric;
          previous = lastTs.get(s.id) ?? -Infinity;
        }
        if (item.kind === 'duration') {
          events.push({ series: s.id, item });
          continue;
        }
        if (item.ts <= previous) ordered = false;
        previous = item.ts;
        if (item.kind === 'ratio') {
          ratio.push({
            series: s.id,
            ts: item.ts,
            good: item.good,
            total: item.total,
          });
        } else {
          threshold.push({ series: s.id, ts: item.ts, value: item.value });
        }
      }
      let duplicates = 0;
      const unique = <T extends { series: number; ts: number }>(list: T[]) => {
        if (ordered) return list;
        const first = new BySeriesAndTime<T>();
        for (const sample of list) {
          if (first.get(sample.series, sample.ts)) duplicates++;
          else first.set(sample.series, sample.ts, sample);
        }
        return first.values();
      };
      const r = await this.ingestRatio(tx, unique(ratio));
      const t = await this.ingestThreshold(tx, unique(threshold));
      const e = await this.ingestEvents(tx, events);
      await this.stampWrites(tx, [r.fresh, t.fresh]);
      accepted += r.accepted + t.accepted + e.accepted;
      // Durable with the data: the entities to evaluate again.
      if (accepted > 0) await enqueueMeasured(tx, items);
      duplicates += r.duplicates + t.duplicates + e.duplicates;
      return { accepted, duplicates };
    });
    if (resolved) this.remember(resolved);
    return result;
  }

  private async resolveSeries(
    tx: Knex.Transaction,
    items: ParsedMeasurement[],
  ): Promise<Map<string, Series>> {
    const wanted = new Map<
      string,
      { entityRef: string; metric: string; kind: string; index: number }
    >();
    let previous: ParsedMeasurement | undefined;
    items.forEach((item, index) => {
      // Batches usually hold long runs of one series: one key per run.
      if (
        previous?.entityRef === item.entityRef &&
        previous.metric === item.metric
      ) {
        return;
      }
      previous = item;
      const key = `${item.entityRef}\u0000${item.metric}`;
      if (!wanted.has(key)) {
        wanted.set(key, {
          entityRef: item.entityRef,
          metric: item.metric,
          kind: item.kind,
          index,
        });
      }
    });
    const found = new Map<string, Series>();
    const rows = [...wanted].flatMap(([key, w]) => {
      const known = this.knownSeries.get(key);
      if (known) found.set(key, known);
      return known ? [] : [w];
    });
    for (const part of chunks(rows)) {
      await tx('sla_series')
        .insert(
          part.map(w => ({
            entity_ref: w.entityRef,
            metric: w.metric,
            kind: w.kind,
          })),
        )
        .onConflict(['entity_ref', 'metric'])
        .ignore();
    }
    for (const part of chunks(rows, 200)) {
      const existing = await tx('sla_series')
        .where(qb => {
          for (const w of part) {
            qb.orWhere({ entity_ref: w.entityRef, metric: w.metric });
          }
        })
        .select('id', 'entity_ref', 'metric', 'kind');
      for (const row of existing) {
        found.set(`${row.entity_ref}\u0000${row.metric}`, {
          id: num(row.id),
          kind: row.kind,
        });
      }
    }
    const conflicts: SeriesKindConflict[] = [];
    let s: Series | undefined;
    let runOf: ParsedMeasurement | undefined;
    items.forEach((item, index) => {
      if (runOf?.entityRef !== item.entityRef || runOf.metric !== item.metric) {
        s = found.get(`${item.entityRef}\u0000${item.metric}`)!;
        runOf = item;
      }
      if (s!.kind !== item.kind) {
        conflicts.push({
          index,
          entityRef: item.entityRef,
          metric: item.metric,
          holds: s!.kind,
        });
      }
    });
    if (conflicts.length) throw new SeriesKindError(conflicts);
    return found;
  }

  /**
   * Inserts the samples not stored yet and returns them. What is stored is
   * read first, one index range per series (new data usually follows the
   * stored data, so the range is empty); the rows then go in by plain
   * multi-row inserts of a fixed statement text. Should a concurrent ingest
   * store some of them in between, the insert count tells, and the whole
   * batch is retried (ConcurrentIngestError), so rollups never count a
   * sample twice.
   */
  private async insertFresh<T extends { series: number; ts: number }>(
    tx: Knex.Transaction,
    table: string,
    columns: Array<[string, 'integer' | 'bigint' | 'float8']>,
    samples: T[],
    values: (sample: T) => number[],
  ): Promise<T[]> {
    const spans = new Map<number, { from: number; to: number; n: number }>();
    for (const s of samples) {
      const span = spans.get(s.series);
      if (!span) spans.set(s.series, { from: s.ts, to: s.ts, n: 1 });
      else {
        span.from = Math.min(span.from, s.ts);
        span.to = Math.max(span.to, s.ts);
        span.n++;
      }
    }
    const stored = new BySeriesAndTime<true>();
    for (const [series, span] of spans) {
      const result = await tx.raw(
        `SELECT ts FROM ${table} WHERE series_id = ? AND ts >= ? AND ts <= ?`,
        [series, span.from, span.to],
      );
      for (const row of result.rows ?? result) {
        stored.set(series, num(row.ts), true);
      }
    }
    const fresh = samples.filter(s => !stored.get(s.series, s.ts));
    const inserted = await bulkInsert(tx, table, columns, fresh.map(values));
    if (inserted !== fresh.length) throw new ConcurrentIngestError();
    return fresh;
  }

  private async ingestRatio(
    tx: Knex.Transaction,
    samples: Array<{ series: number; ts: number; good: number; total: number }>,
  ) {
    const fresh = await this.insertFresh(
      tx,
      'sla_ratio_samples',
      [
        ['series_id', 'integer'],
        ['ts', 'bigint'],
        ['good', 'float8'],
        ['total', 'float8'],
      ],
      samples,
      s => [s.series, s.ts, s.good, s.total],
    );
    // Sums per (series, level, bucket); samples come sorted in runs, so
    // the bucket of the previous sample is usually the one to add to.
    type Sum = {
      series_id: number;
      resolution: number;
      bucket: number;
      good: number;
      total: number;
    };
    const sums = new BySeriesAndTime<Sum>();
    const last: Array<Sum | undefined> = ROLLUP_RESOLUTIONS.map(
      () => undefined,
    );
    for (const s of fresh) {
      ROLLUP_RESOLUTIONS.forEach((resolution, level) => {
        const bucket = floorTo(s.ts, resolution);
        let sum = last[level];
        if (!sum || sum.bucket !== bucket || sum.series_id !== s.series) {
          // Buckets of a level are multiples of its resolution: adding the
          // level keeps the keys of the levels apart.
          sum = sums.get(s.series, bucket + level);
          if (!sum) {
            sum = {
              series_id: s.series,
              resolution,
              bucket,
              good: 0,
              total: 0,
            };
            sums.set(s.series, bucket + level, sum);
          }
          last[level] = sum;
        }
        sum.good += s.good;
        sum.total += s.total;
      });
    }
    await bulkInsert(
      tx,
      'sla_ratio_rollups',
      [
        ['series_id', 'integer'],
        ['resolution', 'bigint'],
        ['bucket', 'bigint'],
        ['good', 'float8'],
        ['total', 'float8'],
      ],
      sums
        .values()
        .map(r => [r.series_id, r.resolution, r.bucket, r.good, r.total]),
      { key: ['series_id', 'resolution', 'bucket'], add: ['good', 'total'] },
    );
    return {
      accepted: fresh.length,
      duplicates: samples.length - fresh.length,
      fresh,
    };
  }

  /**
   * On PostgreSQL, the batch's series rows are locked in id order first:
   * concurrent ingests of a series then take turns (the later one finds
   * the earlier one's samples stored), and two batches of several series
   * cannot deadlock on their stamps.
   */
  private async lockSeries(tx: Knex.Transaction, series: Map<string, Series>) {
    if (!this.isPostgres || !series.size) return;
    const ids = [...new Set([...series.values()].map(s => s.id))].sort(
      (a, b) => a - b,
    );
    await tx.raw(
      'SELECT id FROM sla_series WHERE id = ANY(?::integer[]) ORDER BY id FOR UPDATE',
      [ids],
    );
  }

  /**
   * Moves the write stamps of the series that got samples: `high_ts` to
   * the latest stored, and `late_writes` up by one where a sample went in
   * before the previous `high_ts` (see RangeSums).
   */
  private async stampWrites(
    tx: Knex.Transaction,
    written: Array<Array<{ series: number; ts: number }>>,
  ) {
    const bounds = new Map<number, { lo: number; hi: number }>();
    for (const list of written) {
      for (const { series, ts } of list) {
        const b = bounds.get(series);
        if (!b) bounds.set(series, { lo: ts, hi: ts });
        else {
          if (ts < b.lo) b.lo = ts;
          if (ts > b.hi) b.hi = ts;
        }
      }
    }
    const rows = [...bounds].sort((a, b) => a[0] - b[0]);
    const row = this.isPostgres
      ? '(?::integer, ?::bigint, ?::bigint)'
      : '(?, ?, ?)';
    for (const part of chunks(rows, 100)) {
      await tx.raw(
        `UPDATE sla_series SET
           late_writes = late_writes +
             CASE WHEN sla_series.high_ts > v.column2 THEN 1 ELSE 0 END,
           high_ts = CASE WHEN sla_series.high_ts IS NULL
             OR sla_series.high_ts < v.column3 THEN v.column3
             ELSE sla_series.high_ts END
         FROM (VALUES ${part.map(() => row).join(', ')}) AS v
         WHERE sla_series.id = v.column1`,
        part.flatMap(([id, b]) => [id, b.lo, b.hi]),
      );
    }
  }

  private async ingestThreshold(
    tx: Knex.Transaction,
    samples: Array<{ series: number; ts: number; value: number }>,
  ) {
    const added = await this.insertFresh(
      tx,
      'sla_threshold_samples',
      [
        ['series_id', 'integer'],
        ['ts', 'bigint'],
        ['value', 'float8'],
      ],
      samples,
      s => [s.series, s.ts, s.value],
    );
    const accepted = added.length;
    if (added.length) await this.updateMinutesAndSlices(tx, added);
    return { accepted, duplicates: samples.length - accepted, fresh: added };
  }

  /**
   * Folds new threshold samples into the per-minute extremes and into the
   * good/bad slice counts of every slice definition kept for their series:
   * a slice whose worst value changes side moves from one count to the other.
   */
  private async updateMinutesAndSlices(
    tx: Knex.Transaction,
    added: Array<{ series: number; ts: number; value: number }>,
  ) {
    const seriesIds = [...new Set(added.map(a => a.series))];
    const definitions = await tx('sla_slice_definitions')
      .whereIn('series_id', seriesIds)
      .select('series_id', 'slice_key');
    const keysBySeries = new Map<number, string[]>();
    for (const d of definitions) {
      const id = num(d.series_id);
      keysBySeries.set(id, [...(keysBySeries.get(id) ?? []), d.slice_key]);
    }

    // New extremes per minute from this batch.
    const minutes = new Map<
      string,
      { series: number; minute: number; min: number; max: number }
    >();
    for (const a of added) {
      const minute = floorTo(a.ts, MINUTE_MS);
      const key = `${a.series}:${minute}`;
      const m = minutes.get(key);
      if (m) {
        m.min = Math.min(m.min, a.value);
        m.max = Math.max(m.max, a.value);
      } else {
        minutes.set(key, {
          series: a.series,
          minute,
          min: a.value,
          max: a.value,
        });
      }
    }

    // For slices of kept definitions: their state before this batch.
    type SliceRef = {
      series: number;
      key: string;
      start: number;
      sliceMs: number;
    };
    const slices = new Map<string, SliceRef>();
    for (const m of minutes.values()) {
      for (const key of keysBySeries.get(m.series) ?? []) {
        const { sliceMs } = parseSliceKey(key);
        if (sliceMs % MINUTE_MS !== 0) continue;
        const start = floorTo(m.minute, sliceMs);
        slices.set(`${m.series}|${key}|${start}`, {
          series: m.series,
          key,
          start,
          sliceMs,
        });
      }
    }
    // Slices that are not whole minutes (PT90S) cut minutes in two: they
    // are judged on their samples, by the slice each new sample falls in.
    const sampleSlices = new Map<string, SliceRef>();
    for (const a of added) {
      for (const key of keysBySeries.get(a.series) ?? []) {
        const { sliceMs } = parseSliceKey(key);
        if (sliceMs % MINUTE_MS === 0) continue;
        const start = floorTo(a.ts, sliceMs);
        sampleSlices.set(`${a.series}|${key}|${start}`, {
          series: a.series,
          key,
          start,
          sliceMs,
        });
      }
    }
    const deltas = new Map<
      string,
      {
        series_id: number;
        slice_key: string;
        resolution: number;
        bucket: number;
        good: number;
        bad: number;
      }
    >();
    /** Moves a slice from one count to the other when its verdict changed. */
    const move = (
      s: SliceRef,
      old: { min: number; max: number } | undefined,
      now: { min: number; max: number },
    ) => {
      const { operator, threshold } = parseSliceKey(s.key);
      const wasGood = old
        ? isGood(operator, threshold, worst(operator, old.min, old.max))
        : undefined;
      const isGoodNow = isGood(
        operator,
        threshold,
        worst(operator, now.min, now.max),
      );
      if (wasGood === isGoodNow) return;
      for (const resolution of ROLLUP_RESOLUTIONS) {
        const bucket = floorTo(s.start, resolution);
        const key = `${s.series}|${s.key}|${resolution}|${bucket}`;
        const d = deltas.get(key) ?? {
          series_id: s.series,
          slice_key: s.key,
          resolution,
          bucket,
          good: 0,
          bad: 0,
        };
        if (wasGood === true) d.good--;
        if (wasGood === false) d.bad--;
        if (isGoodNow) d.good++;
        else d.bad++;
        deltas.set(key, d);
      }
    };
    if (sampleSlices.size) {
      // The new samples are stored already: "before" is the slice without
      // them, "now" the slice with them.
      const fresh = new BySeriesAndTime<true>();
      for (const a of added) fresh.set(a.series, a.ts, true);
      const ranges = new Map<number, Interval[]>();
      for (const s of sampleSlices.values()) {
        ranges.set(s.series, [
          ...(ranges.get(s.series) ?? []),
          { start: s.start, end: s.start + s.sliceMs },
        ]);
      }
      const stored = new Map<number, Array<{ ts: number; value: number }>>();
      for (const [series, list] of ranges) {
        const merged = mergeIntervals(list);
        const values: Array<{ ts: number; value: number }> = [];
        for (const part of chunks(merged, 200)) {
          const rows = await tx('sla_threshold_samples')
            .where('series_id', series)
            .andWhere(rangeWhere('ts', part))
            .select('ts', 'value');
          for (const row of rows) {
            values.push({ ts: num(row.ts), value: num(row.value) });
          }
        }
        values.sort((a, b) => a.ts - b.ts);
        stored.set(series, values);
      }
      const extend = (
        into: { min: number; max: number } | undefined,
        value: number,
      ) =>
        into
          ? { min: Math.min(into.min, value), max: Math.max(into.max, value) }
          : { min: value, max: value };
      for (const s of sampleSlices.values()) {
        let old: { min: number; max: number } | undefined;
        let now: { min: number; max: number } | undefined;
        const values = stored.get(s.series) ?? [];
        let lo = 0;
        let hi = values.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (values[mid].ts < s.start) lo = mid + 1;
          else hi = mid;
        }
        for (let i = lo; i < values.length; i++) {
          const v = values[i];
          if (v.ts >= s.start + s.sliceMs) break;
          now = extend(now, v.value);
          if (!fresh.get(s.series, v.ts)) old = extend(old, v.value);
        }
        if (now) move(s, old, now);
      }
    }
    if (slices.size) {
      const ranges = new Map<number, Interval[]>();
      for (const s of slices.values()) {
        ranges.set(s.series, [
          ...(ranges.get(s.series) ?? []),
          { start: s.start, end: s.start + s.sliceMs },
        ]);
      }
      const existing = new Map<string, { min: number; max: number }>();
      for (const [series, list] of ranges) {
        for (const part of chunks(list, 200)) {
          const rows = await tx('sla_threshold_minutes')
            .where('series_id', series)
            .andWhere(rangeWhere('minute', part))
            .select('minute', 'min', 'max');
          for (const row of rows) {
            existing.set(`${series}:${num(row.minute)}`, {
              min: num(row.min),
              max: num(row.max),
            });
          }
        }
      }
      const extremes = (
        series: number,
        start: number,
        sliceMs: number,
        extra: boolean,
      ) => {
        let result: { min: number; max: number } | undefined;
        for (
          let minute = start;
          minute < start + sliceMs;
          minute += MINUTE_MS
        ) {
          const parts = [existing.get(`${series}:${minute}`)];
          if (extra) parts.push(minutes.get(`${series}:${minute}`));
          for (const p of parts) {
            if (!p) continue;
            result = result
              ? {
                  min: Math.min(result.min, p.min),
                  max: Math.max(result.max, p.max),
                }
              : { ...p };
          }
        }
        return result;
      };
      for (const s of slices.values()) {
        const old = extremes(s.series, s.start, s.sliceMs, false);
        const now = extremes(s.series, s.start, s.sliceMs, true)!;
        move(s, old, now);
      }
    }
    if (deltas.size) {
      for (const part of chunks([...deltas.values()])) {
        await tx('sla_slice_rollups')
          .insert(part)
          .onConflict(['series_id', 'slice_key', 'resolution', 'bucket'])
          .merge({
            good: tx.raw('?? + excluded.??', [
              'sla_slice_rollups.good',
              'good',
            ]),
            bad: tx.raw('?? + excluded.??', ['sla_slice_rollups.bad', 'bad']),
          });
      }
    }

    for (const part of chunks([...minutes.values()])) {
      await tx('sla_threshold_minutes')
        .insert(
          part.map(m => ({
            series_id: m.series,
            minute: m.minute,
            min: m.min,
            max: m.max,
          })),
        )
        .onConflict(['series_id', 'minute'])
        .merge({
          min: tx.raw(
            'CASE WHEN ?? < excluded.?? THEN ?? ELSE excluded.?? END',
            [
              'sla_threshold_minutes.min',
              'min',
              'sla_threshold_minutes.min',
              'min',
            ],
          ),
          max: tx.raw(
            'CASE WHEN ?? > excluded.?? THEN ?? ELSE excluded.?? END',
            [
              'sla_threshold_minutes.max',
              'max',
              'sla_threshold_minutes.max',
              'max',
            ],
          ),
        });
    }
  }

  private async ingestEvents(
    tx: Knex.Transaction,
    events: Array<{
      series: number;
      item: Extract<ParsedMeasurement, { kind: 'duration' }>;
    }>,
  ) {
    let accepted = 0;
    let duplicates = 0;
    // The last copy of an event in a batch wins over earlier ones, but an
    // end once known is never forgotten.
    const latest = new Map<string, (typeof events)[number]>();
    for (const e of events) {
      const key = `${e.series}\u0000${e.item.eventId}`;
      const prior = latest.get(key);
      if (prior) {
        duplicates++;
        if (prior.item.end !== undefined && e.item.end === undefined) continue;
      }
      latest.set(key, e);
    }
    const list = [...latest.values()];
    for (const part of chunks(list, 200)) {
      const existing = await tx('sla_events')
        .where(qb => {
          for (const e of part) {
            qb.orWhere({ series_id: e.series, event_id: e.item.eventId });
          }
        })
        .select('series_id', 'event_id', 'end_ts');
      const known = new Map(
        existing.map(row => [
          `${num(row.series_id)}\u0000${row.event_id}`,
          row.end_ts,
        ]),
      );
      const fresh = [];
      for (const e of part) {
        const key = `${e.series}\u0000${e.item.eventId}`;
        if (!known.has(key)) {
          fresh.push({
            series_id: e.series,
            event_id: e.item.eventId,
            start_ts: e.item.start,
            end_ts: e.item.end ?? null,
            priority: e.item.priority ?? null,
          });
          continue;
        }
        if (known.get(key) === null && e.item.end !== undefined) {
          await tx('sla_events')
            .where({ series_id: e.series, event_id: e.item.eventId })
            .whereNull('end_ts')
            .update({ end_ts: e.item.end });
          accepted++;
        } else {
          duplicates++;
        }
      }
      if (fresh.length) {
        await tx('sla_events').insert(fresh);
        accepted += fresh.length;
      }
    }
    return { accepted, duplicates };
  }

  async getSeries(
    entityRef: string,
    metric: string,
  ): Promise<Series | undefined> {
    const row = await this.db('sla_series')
      .where({ entity_ref: entityRef.toLocaleLowerCase('en-US'), metric })
      .first('id', 'kind');
    return row ? { id: num(row.id), kind: row.kind } : undefined;
  }

  /** Series by "entityRef\u0000metric" (entity refs lower-cased), in one query. */
  async getSeriesMany(
    pairs: Array<{ entityRef: string; metric: string }>,
  ): Promise<Map<string, Series>> {
    const found = new Map<string, Series>();
    const unique = [
      ...new Map(
        pairs.map(p => {
          const entityRef = p.entityRef.toLocaleLowerCase('en-US');
          return [
            `${entityRef}\u0000${p.metric}`,
            { entityRef, metric: p.metric },
          ];
        }),
      ),
    ].flatMap(([key, p]) => {
      const known = this.knownSeries.get(key);
      if (known) found.set(key, known);
      return known ? [] : [p];
    });
    for (const part of chunks(unique, 200)) {
      const rows = await this.db('sla_series')
        .where(qb => {
          for (const p of part) {
            qb.orWhere({ entity_ref: p.entityRef, metric: p.metric });
          }
        })
        .select('id', 'entity_ref', 'metric', 'kind');
      for (const row of rows) {
        const s = { id: num(row.id), kind: row.kind };
        found.set(`${row.entity_ref}\u0000${row.metric}`, s);
        this.knownSeries.set(`${row.entity_ref}\u0000${row.metric}`, s);
      }
    }
    return found;
  }

  private get isPostgres() {
    return this.db.client.config.client === 'pg';
  }

  /**
   * Ranges as a table both databases read from one JSON parameter: a fixed
   * statement text whatever the number of ranges (no bound-variable limit,
   * no expression depth). SQLite gets arrays, unpacked once into a
   * materialized table rather than re-parsed on every joined row.
   */
  private ranges(
    rows: Array<{
      t: number;
      i: number;
      s: number;
      r: number;
      a: number;
      b: number;
      g: number;
      k: string | null;
    }>,
  ): { cte: string; binding: string } {
    if (this.isPostgres) {
      // The LIMIT tells the planner how many ranges there are (it assumes
      // 100 for a function), so that a short read does not pay for JIT.
      return {
        cte: `q AS (SELECT * FROM json_to_recordset(?::json)
          AS r(t integer, i integer, s integer, r bigint, a bigint, b bigint, g integer, k text)
          LIMIT ${rows.length})`,
        binding: JSON.stringify(rows),
      };
    }
    return {
      cte: `q AS MATERIALIZED (SELECT value->>0 AS t, value->>1 AS i,
          value->>2 AS s, value->>3 AS r, value->>4 AS a, value->>5 AS b,
          value->>6 AS g, value->>7 AS k FROM json_each(?))`,
      binding: JSON.stringify(
        rows.map(r => [r.t, r.i, r.s, r.r, r.a, r.b, r.g, r.k]),
      ),
    };
  }

  /**
   * Rows of `table` within each range of q: an index range scan per range.
   * PostgreSQL is told so with LATERAL and OFFSET 0, which keeps the
   * subquery from being flattened (its planner would otherwise hash the
   * ranges and filter a scan of the whole table); SQLite's planner already
   * loops over the ranges.
   */
  private withinRanges(table: string, columns: string[], on: string): string {
    return this.isPostgres
      ? `q CROSS JOIN LATERAL (SELECT ${columns.join(', ')} FROM ${table}
           WHERE ${on.replace(/\bx\./g, '')} OFFSET 0) x`
      : `q JOIN ${table} x ON ${on}`;
  }

  /**
   * Everything a set of attainment plans reads, in one statement: signed
   * sums per range id of ratio series (raw rows and rollups) and of slice
   * rollups, computed by the database (each range one index range scan),
   * and the per-minute extremes of threshold series in their raw ranges
   * (the ragged edges, sliced by the domain code), and the threshold samples
   * themselves where a range starts or ends inside a minute (as points whose
   * min and max are the value). One round trip: on a small machine three
   * parallel statements cost more in waking database processes than they
   * save.
   *
   * Sums over rollup buckets before a series' latest sample are kept
   * (RangeSums) and reused while the series' `late_writes` stays. The
   * statement also answers the series' stamps; the kept sums used were
   * chosen by the stamps seen last, and should a series' `late_writes` have
   * moved since, the read is made again without them.
   */
  async readPlans(
    request: PlanReads,
    options?: {
      /** false: use sums kept already but keep no new ones (bulk reads). */
      keep?: boolean;
    },
  ) {
    for (let attempt = 0; ; attempt++) {
      const result = await this.readPlansOnce(
        request,
        attempt < 2,
        options?.keep !== false,
      );
      if (result) return result;
    }
  }

  /** Stamps seen last per series id (see readPlans). */
  private readonly seenStamps = new Map<number, SeriesStamp>();

  private async readPlansOnce(
    request: PlanReads,
    reuse: boolean,
    keepNew: boolean,
  ) {
    const ratio = new Map<number, { good: number; total: number }>();
    const slices = new Map<number, { good: number; bad: number }>();
    const minutes = new Map<number, MinutePoint[]>();
    const samples = new Map<number, MinutePoint[]>();
    const keep = this.rangeSums;
    // Each distinct range is summed once, however many plans use it.
    const distinct = new Map<string, SumRead>();
    for (const [t, list] of [
      [0, request.ratio],
      [1, request.slices],
    ] as const) {
      for (const r of list) {
        const k = r.sliceKey ?? null;
        const key = rangeKey(t, r.seriesId, r.resolution, k, r.start, r.end);
        let d = distinct.get(key);
        if (!d) {
          d = {
            key,
            t,
            s: r.seriesId,
            r: r.resolution,
            a: r.start,
            b: r.end,
            spare: k === null ? 0 : parseSliceKey(k).sliceMs,
            k,
            uses: [],
          };
          distinct.set(key, d);
        }
        d.uses.push({ id: r.id, sign: r.sign });
      }
    }
    const add = (d: SumRead, x: number, y: number) => {
      for (const { id, sign } of d.uses) {
        if (d.t === 0) {
          const prior = ratio.get(id) ?? { good: 0, total: 0 };
          prior.good += sign * x;
          prior.total += sign * y;
          ratio.set(id, prior);
        } else {
          const prior = slices.get(id) ?? { good: 0, bad: 0 };
          prior.good += sign * x;
          prior.bad += sign * y;
          slices.set(id, prior);
        }
      }
    };

    // Kept sums, by the stamps seen last; the unkept ends of split ranges
    // once each (plans ending alike share them).
    const toRead: SumRead[] = [];
    const reused = new Map<number, number>();
    const tails = new Map<string, SumRead>();
    for (const d of distinct.values()) {
      const seen = reuse ? this.seenStamps.get(d.s) : undefined;
      // Raw ranges are short edges that move with `at`: read, not kept.
      if (!keep || seen?.high === undefined || d.r === 0) {
        toRead.push(d);
        continue;
      }
      const cut = Math.min(d.b, floorTo(seen.high - d.spare, d.r));
      if (cut <= d.a) {
        toRead.push(d);
        continue;
      }
      const head =
        cut === d.b
          ? d
          : { ...d, key: rangeKey(d.t, d.s, d.r, d.k, d.a, cut), b: cut };
      const kept = keep.get(`${head.key}|${seen.late}`);
      if (kept) {
        add(head, kept.x, kept.y);
        reused.set(d.s, seen.late);
      } else toRead.push(head);
      if (cut < d.b) {
        const key = rangeKey(d.t, d.s, d.r, d.k, cut, d.b);
        const same = tails.get(key);
        if (same) same.uses.push(...d.uses);
        else {
          const tail = { ...d, key, a: cut, uses: [...d.uses] };
          tails.set(key, tail);
          toRead.push(tail);
        }
      }
    }
    const stampOf = keep
      ? [...new Set([...distinct.values()].map(d => d.s))]
      : [];
    const rows = [
      ...toRead.map((d, n) => ({
        t: d.t,
        i: n,
        s: d.s,
        r: d.r,
        a: d.a,
        b: d.b,
        g: 1,
        k: d.k,
      })),
      ...[
        ...request.minutes.map(m => ({ ...m, t: 2 })),
        ...(request.samples ?? []).map(m => ({ ...m, t: 3 })),
      ].flatMap(m =>
        mergeIntervals(m.ranges).map(range => ({
          t: m.t,
          i: 0,
          s: m.seriesId,
          r: 0,
          a: range.start,
          b: range.end,
          g: 1,
          k: null,
        })),
      ),
      ...stampOf.map(s => ({ t: 4, i: 0, s, r: 0, a: 0, b: 0, g: 1, k: null })),
    ];
    if (!rows.length) return { ratio, slices, minutes, samples };
    const none = this.isPostgres ? 'NULL::float8' : 'NULL';
    const { cte, binding } = this.ranges(rows);
    const result = await this.db.raw(
      `WITH ${cte}
       SELECT 0 AS t, q.i AS i, SUM(x.good * q.g) AS x,
              SUM(x.total * q.g) AS y, ${none} AS z
         FROM ${this.withinRanges(
           'sla_ratio_rollups',
           ['good', 'total'],
           `x.series_id = q.s AND x.resolution = q.r
            AND x.bucket >= q.a AND x.bucket < q.b`,
         )}
        WHERE q.t = 0 AND q.r > 0 GROUP BY q.i
       UNION ALL
       SELECT 0, q.i, SUM(x.good * q.g), SUM(x.total * q.g), ${none}
         FROM ${this.withinRanges(
           'sla_ratio_samples',
           ['good', 'total'],
           'x.series_id = q.s AND x.ts >= q.a AND x.ts < q.b',
         )}
        WHERE q.t = 0 AND q.r = 0 GROUP BY q.i
       UNION ALL
       SELECT 1, q.i, SUM(x.good * q.g), SUM(x.bad * q.g), ${none}
         FROM ${this.withinRanges(
           'sla_slice_rollups',
           ['good', 'bad'],
           `x.series_id = q.s AND x.slice_key = q.k AND x.resolution = q.r
            AND x.bucket >= q.a AND x.bucket < q.b`,
         )}
        WHERE q.t = 1 GROUP BY q.i
       UNION ALL
       SELECT 2, x.series_id, x.minute, x.min, x.max
         FROM ${this.withinRanges(
           'sla_threshold_minutes',
           ['series_id', 'minute', 'min', 'max'],
           'x.series_id = q.s AND x.minute >= q.a AND x.minute < q.b',
         )}
        WHERE q.t = 2
       UNION ALL
       SELECT 3, x.series_id, x.ts, x.value, x.value
         FROM ${this.withinRanges(
           'sla_threshold_samples',
           ['series_id', 'ts', 'value'],
           'x.series_id = q.s AND x.ts >= q.a AND x.ts < q.b',
         )}
        WHERE q.t = 3
       UNION ALL
       SELECT 4, x.id, x.high_ts, x.late_writes, ${none}
         FROM ${this.withinRanges(
           'sla_series',
           ['id', 'high_ts', 'late_writes'],
           'x.id = q.s',
         )}
        WHERE q.t = 4`,
      [binding],
    );
    const summed = new Map<number, { x: number; y: number }>();
    const stamps = new Map<number, SeriesStamp>();
    for (const row of result.rows ?? result) {
      const t = num(row.t);
      const id = num(row.i);
      if (t === 0 || t === 1) {
        const prior = summed.get(id) ?? { x: 0, y: 0 };
        prior.x += num(row.x);
        prior.y += num(row.y);
        summed.set(id, prior);
      } else if (t === 4) {
        stamps.set(id, {
          high: row.x === null ? undefined : num(row.x),
          late: num(row.y),
        });
      } else {
        const into = t === 2 ? minutes : samples;
        let points = into.get(id);
        if (!points) {
          points = [];
          into.set(id, points);
        }
        points.push({ t: num(row.x), min: num(row.y), max: num(row.z) });
      }
    }
    for (const [id, stamp] of stamps) this.seenStamps.set(id, stamp);
    if (this.seenStamps.size > 100_000) this.seenStamps.clear();
    for (const [id, late] of reused) {
      // A late write since the stamps were seen: kept sums may be stale.
      if (stamps.get(id)?.late !== late) return undefined;
    }
    toRead.forEach((d, n) => {
      const sum = summed.get(n) ?? { x: 0, y: 0 };
      const stamp = stamps.get(d.s);
      if (keepNew && keep && stamp?.high !== undefined && d.r > 0) {
        if (d.b + d.spare <= stamp.high)
          keep.set(`${d.key}|${stamp.late}`, sum);
      }
      add(d, sum.x, sum.y);
    });
    for (const points of [...minutes.values(), ...samples.values()]) {
      points.sort((p, q) => p.t - q.t);
    }
    return { ratio, slices, minutes, samples };
  }

  private readonly knownDefinitions = new Set<string>();

  /** ensureSliceDefinition for several at once; known ones cost nothing. */
  async ensureSliceDefinitions(list: Array<{ seriesId: number; key: string }>) {
    const unknown = list.filter(
      d => !this.knownDefinitions.has(`${d.seriesId}|${d.key}`),
    );
    for (const d of unknown) {
      await this.ensureSliceDefinition(d.seriesId, d.key);
      this.knownDefinitions.add(`${d.seriesId}|${d.key}`);
    }
  }

  /** Makes sure slice rollups exist for a definition, building them once. */
  async ensureSliceDefinition(seriesId: number, key: string): Promise<void> {
    const exists = await this.db('sla_slice_definitions')
      .where({ series_id: seriesId, slice_key: key })
      .first('slice_key');
    if (exists) return;
    await this.db.transaction(async tx => {
      const inserted = await tx('sla_slice_definitions')
        .insert({ series_id: seriesId, slice_key: key })
        .onConflict(['series_id', 'slice_key'])
        .ignore()
        .returning('slice_key');
      if (!inserted.length) return;
      const { operator, threshold, sliceMs } = parseSliceKey(key);
      const slices = new Map<number, { min: number; max: number }>();
      // Slices that are not whole minutes (PT90S) cut minutes in two: they
      // are built from the samples themselves.
      const rows =
        sliceMs % MINUTE_MS === 0
          ? await tx('sla_threshold_minutes')
              .where('series_id', seriesId)
              .select('minute AS t', 'min', 'max')
          : await tx('sla_threshold_samples')
              .where('series_id', seriesId)
              .select('ts AS t', 'value AS min', 'value AS max');
      for (const row of rows) {
        const start = floorTo(num(row.t), sliceMs);
        const s = slices.get(start);
        const min = num(row.min);
        const max = num(row.max);
        slices.set(
          start,
          s
            ? { min: Math.min(s.min, min), max: Math.max(s.max, max) }
            : { min, max },
        );
      }
      const counts = new Map<
        string,
        {
          series_id: number;
          slice_key: string;
          resolution: number;
          bucket: number;
          good: number;
          bad: number;
        }
      >();
      for (const [start, s] of slices) {
        const good = isGood(operator, threshold, worst(operator, s.min, s.max));
        for (const resolution of ROLLUP_RESOLUTIONS) {
          const bucket = floorTo(start, resolution);
          const k = `${resolution}:${bucket}`;
          const c = counts.get(k) ?? {
            series_id: seriesId,
            slice_key: key,
            resolution,
            bucket,
            good: 0,
            bad: 0,
          };
          if (good) c.good++;
          else c.bad++;
          counts.set(k, c);
        }
      }
      for (const part of chunks([...counts.values()])) {
        await tx('sla_slice_rollups').insert(part);
      }
    });
  }

  /** Events that may count in a window ending at `at`: closed since `since`, or open. */
  async events(seriesId: number, since: number, at: number) {
    const rows = await this.db('sla_events')
      .where('series_id', seriesId)
      .andWhere('start_ts', '<', at)
      .andWhere(qb => qb.whereNull('end_ts').orWhere('end_ts', '>=', since))
      .select('event_id', 'start_ts', 'end_ts', 'priority');
    return rows.map((r: any) => ({
      eventId: r.event_id as string,
      start: num(r.start_ts),
      ...(r.end_ts === null || r.end_ts === undefined
        ? {}
        : { end: num(r.end_ts) }),
      ...(r.priority ? { priority: r.priority as string } : {}),
    }));
  }
}
