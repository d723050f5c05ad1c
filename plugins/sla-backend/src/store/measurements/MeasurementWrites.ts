import { enqueueMeasured } from '../EvaluationQueueStore';
import type { Knex } from 'knex';
import type { ParsedMeasurement } from '@opensla/backstage-plugin-sla-common';
import { bulkInsert } from '../bulkInsert';
import { ROLLUP_RESOLUTIONS, floorTo } from '../rollupLevels';
import {
  BySeriesAndTime,
  ConcurrentIngestError,
  Series,
  chunks,
  num,
} from './common';
import type { SeriesRegistry } from './SeriesRegistry';
import type { SliceRollups } from './SliceRollups';

/** What an ingest stored, skipped as duplicate, and refused as too old. */
export type IngestCounts = {
  accepted: number;
  duplicates: number;
  /** Samples and closed events older than their series keeps (retention). */
  beyondRetention?: number;
};

/**
 * Writes: `ingest` is one transaction that stores new samples and events,
 * skips duplicates, and updates the hourly, daily and weekly rollups (and,
 * through SliceRollups, the per-minute extremes and slice counts) by
 * exactly what it added.
 */
export class MeasurementWrites {
  constructor(
    private readonly db: Knex,
    private readonly series: SeriesRegistry,
    private readonly slices: SliceRollups,
  ) {}

  /** Stores a validated batch; all or nothing. */
  async ingest(items: ParsedMeasurement[]): Promise<IngestCounts> {
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

  private async ingestOnce(items: ParsedMeasurement[]): Promise<IngestCounts> {
    let resolved: Map<string, Series> | undefined;
    const result = await this.db.transaction(async tx => {
      const series = await this.series.resolveSeries(tx, items);
      resolved = series;
      const { kept, high } = await this.series.lockSeries(tx, series);
      let beyondRetention = 0;
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
        // Older than what the series keeps: it could no longer be told
        // from a duplicate, and the rollups would count it twice.
        const from = kept.size ? kept.get(s.id) : undefined;
        if (
          from &&
          (item.kind === 'duration'
            ? item.end !== undefined &&
              from.rollups !== undefined &&
              item.end < from.rollups
            : from.raw !== undefined && item.ts < from.raw)
        ) {
          beyondRetention++;
          continue;
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
      const r = await this.ingestRatio(tx, unique(ratio), high);
      const t = await this.ingestThreshold(tx, unique(threshold), high);
      const e = await this.ingestEvents(tx, events);
      await this.series.stampWrites(tx, [r.fresh, t.fresh]);
      accepted += r.accepted + t.accepted + e.accepted;
      // Durable with the data: the entities to evaluate again.
      if (accepted > 0) await enqueueMeasured(tx, items);
      duplicates += r.duplicates + t.duplicates + e.duplicates;
      return beyondRetention
        ? { accepted, duplicates, beyondRetention }
        : { accepted, duplicates };
    });
    if (resolved) this.series.remember(resolved);
    return result;
  }

  /**
   * Inserts the samples not stored yet and returns them. A sample after
   * its series' latest stored one (`high`, read under the series lock) is
   * not stored: the usual case of data that follows what came before,
   * which costs no read. For the others, what is stored is read first, one
   * index range per series; the rows then go in by plain
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
    high: Map<number, number>,
  ): Promise<T[]> {
    const spans = new Map<number, { from: number; to: number; n: number }>();
    for (const s of samples) {
      const latest = high.get(s.series);
      if (latest !== undefined && s.ts > latest) continue;
      const span = spans.get(s.series);
      if (!span) spans.set(s.series, { from: s.ts, to: s.ts, n: 1 });
      else {
        span.from = Math.min(span.from, s.ts);
        span.to = Math.max(span.to, s.ts);
        span.n++;
      }
    }
    // The samples already stored in each series' span: one statement per
    // 300 series (a batch over 1,000 entities costs about what one does).
    const stored = new BySeriesAndTime<true>();
    for (const part of chunks([...spans], 300)) {
      const result = await tx.raw(
        `WITH q (series_id, lo, hi) AS (VALUES ${part
          .map(
            () => '(CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT))',
          )
          .join(', ')})
         SELECT s.series_id, s.ts FROM q
         JOIN ${table} s ON s.series_id = q.series_id
           AND s.ts >= q.lo AND s.ts <= q.hi`,
        part.flatMap(([series, span]) => [series, span.from, span.to]),
      );
      for (const row of result.rows ?? result) {
        stored.set(num(row.series_id), num(row.ts), true);
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
    high: Map<number, number>,
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
      high,
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

  private async ingestThreshold(
    tx: Knex.Transaction,
    samples: Array<{ series: number; ts: number; value: number }>,
    high: Map<number, number>,
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
      high,
    );
    const accepted = added.length;
    if (added.length) await this.slices.updateMinutesAndSlices(tx, added);
    return { accepted, duplicates: samples.length - accepted, fresh: added };
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
}
