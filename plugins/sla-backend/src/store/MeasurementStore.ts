import type { Knex } from 'knex';
import type { ParsedMeasurement } from '@opensla/backstage-plugin-sla-common';
import { Interval, mergeIntervals } from '../domain';
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
export class MeasurementStore {
  constructor(private readonly db: Knex) {}

  /** Stores a validated batch; all or nothing. */
  async ingest(
    items: ParsedMeasurement[],
  ): Promise<{ accepted: number; duplicates: number }> {
    return this.db.transaction(async tx => {
      const series = await this.resolveSeries(tx, items);
      let accepted = 0;
      const ratio = new BySeriesAndTime<{
        series: number;
        ts: number;
        good: number;
        total: number;
      }>();
      const threshold = new BySeriesAndTime<{
        series: number;
        ts: number;
        value: number;
      }>();
      const events: Array<{
        series: number;
        item: Extract<ParsedMeasurement, { kind: 'duration' }>;
      }> = [];
      let duplicates = 0;
      // Batches usually hold long runs of one series: look it up once per run.
      let lastRef: string | undefined;
      let lastMetric: string | undefined;
      let s!: Series;
      for (const item of items) {
        if (item.entityRef !== lastRef || item.metric !== lastMetric) {
          s = series.get(`${item.entityRef}\u0000${item.metric}`)!;
          lastRef = item.entityRef;
          lastMetric = item.metric;
        }
        if (item.kind === 'ratio') {
          if (ratio.get(s.id, item.ts)) duplicates++;
          else
            ratio.set(s.id, item.ts, {
              series: s.id,
              ts: item.ts,
              good: item.good,
              total: item.total,
            });
        } else if (item.kind === 'threshold') {
          if (threshold.get(s.id, item.ts)) duplicates++;
          else
            threshold.set(s.id, item.ts, {
              series: s.id,
              ts: item.ts,
              value: item.value,
            });
        } else {
          events.push({ series: s.id, item });
        }
      }
      const r = await this.ingestRatio(tx, [...ratio.values()]);
      const t = await this.ingestThreshold(tx, [...threshold.values()]);
      const e = await this.ingestEvents(tx, events);
      accepted += r.accepted + t.accepted + e.accepted;
      duplicates += r.duplicates + t.duplicates + e.duplicates;
      return { accepted, duplicates };
    });
  }

  private async resolveSeries(
    tx: Knex.Transaction,
    items: ParsedMeasurement[],
  ): Promise<Map<string, Series>> {
    const wanted = new Map<
      string,
      { entityRef: string; metric: string; kind: string; index: number }
    >();
    items.forEach((item, index) => {
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
    const rows = [...wanted.values()];
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
    const found = new Map<string, Series>();
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
    items.forEach((item, index) => {
      const s = found.get(`${item.entityRef}\u0000${item.metric}`)!;
      if (s.kind !== item.kind) {
        conflicts.push({
          index,
          entityRef: item.entityRef,
          metric: item.metric,
          holds: s.kind,
        });
      }
    });
    if (conflicts.length) throw new SeriesKindError(conflicts);
    return found;
  }

  private async ingestRatio(
    tx: Knex.Transaction,
    samples: Array<{ series: number; ts: number; good: number; total: number }>,
  ) {
    let accepted = 0;
    const sums = new Map<
      string,
      {
        series_id: number;
        resolution: number;
        bucket: number;
        good: number;
        total: number;
      }
    >();
    for (const part of chunks(samples)) {
      const inserted: Array<{ series_id: number; ts: number }> = await tx(
        'sla_ratio_samples',
      )
        .insert(
          part.map(s => ({
            series_id: s.series,
            ts: s.ts,
            good: s.good,
            total: s.total,
          })),
        )
        .onConflict(['series_id', 'ts'])
        .ignore()
        .returning(['series_id', 'ts']);
      const byKey = new BySeriesAndTime<(typeof part)[number]>();
      for (const sample of part) byKey.set(sample.series, sample.ts, sample);
      for (const row of inserted) {
        const s = byKey.get(num(row.series_id), num(row.ts))!;
        accepted++;
        for (const resolution of ROLLUP_RESOLUTIONS) {
          const bucket = floorTo(s.ts, resolution);
          const key = `${s.series}:${resolution}:${bucket}`;
          const sum = sums.get(key) ?? {
            series_id: s.series,
            resolution,
            bucket,
            good: 0,
            total: 0,
          };
          sum.good += s.good;
          sum.total += s.total;
          sums.set(key, sum);
        }
      }
    }
    for (const part of chunks([...sums.values()])) {
      await tx('sla_ratio_rollups')
        .insert(part)
        .onConflict(['series_id', 'resolution', 'bucket'])
        .merge({
          good: tx.raw('?? + excluded.??', ['sla_ratio_rollups.good', 'good']),
          total: tx.raw('?? + excluded.??', [
            'sla_ratio_rollups.total',
            'total',
          ]),
        });
    }
    return { accepted, duplicates: samples.length - accepted };
  }

  private async ingestThreshold(
    tx: Knex.Transaction,
    samples: Array<{ series: number; ts: number; value: number }>,
  ) {
    let accepted = 0;
    const added: Array<{ series: number; ts: number; value: number }> = [];
    for (const part of chunks(samples)) {
      const inserted: Array<{ series_id: number; ts: number }> = await tx(
        'sla_threshold_samples',
      )
        .insert(
          part.map(s => ({ series_id: s.series, ts: s.ts, value: s.value })),
        )
        .onConflict(['series_id', 'ts'])
        .ignore()
        .returning(['series_id', 'ts']);
      const byKey = new BySeriesAndTime<(typeof part)[number]>();
      for (const sample of part) byKey.set(sample.series, sample.ts, sample);
      for (const row of inserted) {
        added.push(byKey.get(num(row.series_id), num(row.ts))!);
        accepted++;
      }
    }
    if (added.length) await this.updateMinutesAndSlices(tx, added);
    return { accepted, duplicates: samples.length - accepted };
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
        const start = floorTo(m.minute, sliceMs);
        slices.set(`${m.series}|${key}|${start}`, {
          series: m.series,
          key,
          start,
          sliceMs,
        });
      }
    }
    const before = new Map<string, { min: number; max: number } | undefined>();
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
      for (const [id, s] of slices) {
        const { operator, threshold } = parseSliceKey(s.key);
        const old = extremes(s.series, s.start, s.sliceMs, false);
        const now = extremes(s.series, s.start, s.sliceMs, true)!;
        before.set(id, old);
        const wasGood = old
          ? isGood(operator, threshold, worst(operator, old.min, old.max))
          : undefined;
        const isGoodNow = isGood(
          operator,
          threshold,
          worst(operator, now.min, now.max),
        );
        if (wasGood === isGoodNow) continue;
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
      }
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
      ).values(),
    ];
    for (const part of chunks(unique, 200)) {
      const rows = await this.db('sla_series')
        .where(qb => {
          for (const p of part) {
            qb.orWhere({ entity_ref: p.entityRef, metric: p.metric });
          }
        })
        .select('id', 'entity_ref', 'metric', 'kind');
      for (const row of rows) {
        found.set(`${row.entity_ref}\u0000${row.metric}`, {
          id: num(row.id),
          kind: row.kind,
        });
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
      return {
        cte: `q AS (SELECT * FROM json_to_recordset(?::json)
          AS r(i integer, s integer, r bigint, a bigint, b bigint, g integer, k text))`,
        binding: JSON.stringify(rows),
      };
    }
    return {
      cte: `q AS MATERIALIZED (SELECT value->>0 AS i, value->>1 AS s,
          value->>2 AS r, value->>3 AS a, value->>4 AS b, value->>5 AS g,
          value->>6 AS k FROM json_each(?))`,
      binding: JSON.stringify(
        rows.map(r => [r.i, r.s, r.r, r.a, r.b, r.g, r.k]),
      ),
    };
  }

  /**
   * Signed sums per range id, computed in the database: each range reads
   * one index range of raw rows (resolution 0) or of rollup buckets, and
   * only one row per id comes back, however many buckets it spans.
   */
  private async signedSums(
    ranges: SumRange[],
    sql: string,
  ): Promise<Map<number, [number, number]>> {
    const result = new Map<number, [number, number]>();
    if (!ranges.length) return result;
    const { cte, binding } = this.ranges(
      ranges.map(r => ({
        i: r.id,
        s: r.seriesId,
        r: r.resolution,
        a: r.start,
        b: r.end,
        g: r.sign,
        k: r.sliceKey ?? null,
      })),
    );
    const rows = await this.db.raw(`WITH ${cte} ${sql}`, [binding]);
    for (const row of rows.rows ?? rows) {
      const id = num(row.i);
      const prior = result.get(id) ?? [0, 0];
      result.set(id, [prior[0] + num(row.x), prior[1] + num(row.y)]);
    }
    return result;
  }

  /** Σgood and Σtotal of ratio series per range id (raw rows and rollups). */
  async ratioSums(ranges: SumRange[]) {
    const sums = await this.signedSums(
      ranges,
      `SELECT q.i AS i, SUM(x.good * q.g) AS x, SUM(x.total * q.g) AS y
          FROM q JOIN sla_ratio_rollups x
            ON x.series_id = q.s AND x.resolution = q.r
           AND x.bucket >= q.a AND x.bucket < q.b
         WHERE q.r > 0 GROUP BY q.i
        UNION ALL
        SELECT q.i, SUM(x.good * q.g), SUM(x.total * q.g)
          FROM q JOIN sla_ratio_samples x
            ON x.series_id = q.s AND x.ts >= q.a AND x.ts < q.b
         WHERE q.r = 0 GROUP BY q.i`,
    );
    return new Map(
      [...sums].map(([id, [good, total]]) => [id, { good, total }]),
    );
  }

  /** Good and bad slices of threshold series per range id, from slice rollups. */
  async sliceSums(ranges: SumRange[]) {
    const sums = await this.signedSums(
      ranges,
      `SELECT q.i AS i, SUM(x.good * q.g) AS x, SUM(x.bad * q.g) AS y
          FROM q JOIN sla_slice_rollups x
            ON x.series_id = q.s AND x.slice_key = q.k AND x.resolution = q.r
           AND x.bucket >= q.a AND x.bucket < q.b
         GROUP BY q.i`,
    );
    return new Map([...sums].map(([id, [good, bad]]) => [id, { good, bad }]));
  }

  /** Per-minute extremes of threshold series within ranges, by series, sorted. */
  async minuteRows(
    requests: Array<{ seriesId: number; ranges: Interval[] }>,
  ): Promise<Map<number, MinutePoint[]>> {
    const result = new Map<number, MinutePoint[]>();
    const list = requests.flatMap(r =>
      mergeIntervals(r.ranges).map(range => ({
        i: 0,
        s: r.seriesId,
        r: 0,
        a: range.start,
        b: range.end,
        g: 1,
        k: null,
      })),
    );
    if (!list.length) return result;
    const { cte, binding } = this.ranges(list);
    const rows = await this.db.raw(
      `WITH ${cte}
       SELECT x.series_id AS s, x.minute AS t, x.min AS lo, x.max AS hi
         FROM q JOIN sla_threshold_minutes x
           ON x.series_id = q.s AND x.minute >= q.a AND x.minute < q.b
        ORDER BY x.series_id, x.minute`,
      [binding],
    );
    for (const row of rows.rows ?? rows) {
      const id = num(row.s);
      let list = result.get(id);
      if (!list) {
        list = [];
        result.set(id, list);
      }
      list.push({ t: num(row.t), min: num(row.lo), max: num(row.hi) });
    }
    return result;
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
      const rows = await tx('sla_threshold_minutes')
        .where('series_id', seriesId)
        .select('minute', 'min', 'max');
      for (const row of rows) {
        const start = floorTo(num(row.minute), sliceMs);
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
