import { enqueueMeasured } from '../EvaluationQueueStore';
import type { Knex } from 'knex';
import type { ParsedMeasurement } from '@opensla/backstage-plugin-sla-common';
import { bulkInsert, insertNew } from '../bulkInsert';
import { ROLLUP_RESOLUTIONS, floorTo } from '../rollupLevels';
import { BySeriesAndTime, Series, chunks, num } from './common';
import { GroupCommit } from './GroupCommit';
import type { SeriesRegistry } from './SeriesRegistry';
import type { SliceRollups } from './SliceRollups';

/** What an ingest stored, skipped as duplicate, and refused as too old. */
export type IngestCounts = {
  accepted: number;
  duplicates: number;
  /** Samples and closed events older than their series keeps (retention). */
  beyondRetention?: number;
};

/** A sample of the `part`-th batch of a group. */
type Sample = { part: number; series: number; ts: number };
type RatioSample = Sample & { good: number; total: number };
type ThresholdSample = Sample & { value: number };

/** Groups in flight at once per replica, and the items a group holds. */
const GROUP_LANES = 1;
const GROUP_MAX_ITEMS = 40_000;

const RATIO_COLUMNS: Parameters<typeof insertNew>[2] = [
  ['series_id', 'integer'],
  ['ts', 'bigint'],
  ['good', 'float8'],
  ['total', 'float8'],
];
const THRESHOLD_COLUMNS: Parameters<typeof insertNew>[2] = [
  ['series_id', 'integer'],
  ['ts', 'bigint'],
  ['value', 'float8'],
];

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

  /**
   * Stores a validated batch; all or nothing. The samples go in first,
   * each table in one statement that answers which rows were new (ON
   * CONFLICT DO NOTHING RETURNING): nothing is read back, and a concurrent
   * ingest of the same samples waits for this one and then skips them.
   * Only then are the batch's series rows locked (in id order, on
   * PostgreSQL), for what batches share: the retention stamps read, the
   * rollups added to, the write stamps and the evaluation queue. Batches of
   * the same series thus wait for each other only for those.
   *
   * Batches that arrive while another is being written wait for it and
   * are then written together, one transaction for the group
   * (`GroupCommit`): what batches share (rollup rows, write stamps, queue
   * rows, whose locks they would wait on anyway) is written once per group.
   * Each caller is answered with its own counts, as if its batch had been
   * written alone in arrival order; a group that fails is written again
   * batch by batch, so a batch is refused for its own fault only.
   */
  async ingest(items: ParsedMeasurement[]): Promise<IngestCounts> {
    return this.groups.run(items);
  }

  private readonly groups = new GroupCommit<ParsedMeasurement[], IngestCounts>({
    commit: parts => this.ingestParts(parts),
    lanes: GROUP_LANES,
    maxWeight: GROUP_MAX_ITEMS,
    weight: items => items.length,
  });

  /** One transaction for the batches; their counts, in their order. */
  private async ingestParts(
    parts: ParsedMeasurement[][],
  ): Promise<IngestCounts[]> {
    const items = parts.length === 1 ? parts[0] : parts.flat();
    let resolved: Map<string, Series> | undefined;
    const result = await this.db.transaction(async tx => {
      const series = await this.series.resolveSeries(tx, items);
      resolved = series;
      const ratio: RatioSample[] = [];
      const threshold: ThresholdSample[] = [];
      const events: Array<
        Array<{
          series: number;
          item: Extract<ParsedMeasurement, { kind: 'duration' }>;
        }>
      > = parts.map(() => []);
      // Batches usually hold long runs of one series in time order: look
      // the series up once per run, and de-duplicate only when a sample
      // does not come after the series' previous one.
      const lastTs = new Map<number, number>();
      let ordered = true;
      let lastRef: string | undefined;
      let lastMetric: string | undefined;
      let s!: Series;
      let previous = -Infinity;
      parts.forEach((batch, part) => {
        for (const item of batch) {
          if (item.entityRef !== lastRef || item.metric !== lastMetric) {
            if (lastRef !== undefined) lastTs.set(s.id, previous);
            s = series.get(`${item.entityRef}\u0000${item.metric}`)!;
            lastRef = item.entityRef;
            lastMetric = item.metric;
            previous = lastTs.get(s.id) ?? -Infinity;
          }
          if (item.kind === 'duration') {
            events[part].push({ series: s.id, item });
            continue;
          }
          if (item.ts <= previous) ordered = false;
          previous = item.ts;
          if (item.kind === 'ratio') {
            ratio.push({
              part,
              series: s.id,
              ts: item.ts,
              good: item.good,
              total: item.total,
            });
          } else {
            threshold.push({
              part,
              series: s.id,
              ts: item.ts,
              value: item.value,
            });
          }
        }
      });
      // One copy of each (series, ts), the first batch's, in (series, ts)
      // order.
      const unique = <T extends Sample>(list: T[]) => {
        let out = list;
        if (!ordered) {
          const first = new BySeriesAndTime<T>();
          for (const sample of list) {
            if (!first.get(sample.series, sample.ts)) {
              first.set(sample.series, sample.ts, sample);
            }
          }
          out = first.values();
        }
        return [...out].sort((a, b) => a.series - b.series || a.ts - b.ts);
      };
      const ratioIn = await this.insertNew(
        tx,
        'sla_ratio_samples',
        RATIO_COLUMNS,
        unique(ratio),
        r => [r.series, r.ts, r.good, r.total],
      );
      const thresholdIn = await this.insertNew(
        tx,
        'sla_threshold_samples',
        THRESHOLD_COLUMNS,
        unique(threshold),
        t => [t.series, t.ts, t.value],
      );
      const { kept } = await this.series.lockSeries(tx, series);
      // Older than what the series keeps (read under the lock: the
      // retention task's stamp update waits for it): refused, since it
      // could no longer be told from a duplicate and the rollups would
      // count it twice; one this transaction inserted goes out again.
      const beyond = (sample: Sample) => {
        const from = kept.size ? kept.get(sample.series)?.raw : undefined;
        return from !== undefined && sample.ts < from;
      };
      const counts: IngestCounts[] = parts.map(() => ({
        accepted: 0,
        duplicates: 0,
      }));
      const count = (
        list: Sample[],
        key: 'accepted' | 'duplicates' | 'beyondRetention',
        sign = 1,
      ) => {
        for (const x of list)
          counts[x.part][key] = (counts[x.part][key] ?? 0) + sign;
      };
      // duplicates: all − beyond retention − fresh, per batch
      const keep = <T extends Sample>(all: T[], inserted: T[]) => {
        const stale = all.filter(beyond);
        const fresh = stale.length
          ? inserted.filter(x => !beyond(x))
          : inserted;
        count(all, 'duplicates');
        count(stale, 'beyondRetention');
        count(stale, 'duplicates', -1);
        count(fresh, 'accepted');
        count(fresh, 'duplicates', -1);
        return { fresh, refused: inserted.length - fresh.length };
      };
      const r = keep(ratio, ratioIn);
      const t = keep(threshold, thresholdIn);
      if (r.refused)
        await this.remove(tx, 'sla_ratio_samples', ratioIn.filter(beyond));
      if (t.refused)
        await this.remove(
          tx,
          'sla_threshold_samples',
          thresholdIn.filter(beyond),
        );
      await this.addRatioRollups(tx, r.fresh);
      if (t.fresh.length) {
        await this.slices.updateMinutesAndSlices(tx, t.fresh);
      }
      for (const [part, list] of events.entries()) {
        if (!list.length) continue;
        const e = await this.ingestEvents(
          tx,
          list.filter(({ series: id, item }) => {
            const from = kept.size ? kept.get(id)?.rollups : undefined;
            const old =
              from !== undefined && item.end !== undefined && item.end < from;
            if (old) {
              counts[part].beyondRetention =
                (counts[part].beyondRetention ?? 0) + 1;
            }
            return !old;
          }),
        );
        counts[part].accepted += e.accepted;
        counts[part].duplicates += e.duplicates;
      }
      await this.series.stampWrites(tx, [r.fresh, t.fresh]);
      // Durable with the data: the entities to evaluate again.
      const changed = parts.filter((_, part) => counts[part].accepted > 0);
      if (changed.length) await enqueueMeasured(tx, changed.flat());
      return counts.map(c =>
        c.beyondRetention
          ? c
          : { accepted: c.accepted, duplicates: c.duplicates },
      );
    });
    if (resolved) this.series.remember(resolved);
    return result;
  }

  /** Inserts the samples not stored yet; answers those that went in. */
  private async insertNew<T extends { series: number; ts: number }>(
    tx: Knex.Transaction,
    table: string,
    columns: Parameters<typeof insertNew>[2],
    samples: T[],
    values: (sample: T) => number[],
  ): Promise<T[]> {
    if (!samples.length) return [];
    const keys = await insertNew(tx, table, columns, samples.map(values), [
      'series_id',
      'ts',
    ]);
    if (keys.length === samples.length) return samples;
    const went = new BySeriesAndTime<true>();
    for (const [id, ts] of keys) went.set(id, ts, true);
    return samples.filter(x => went.get(x.series, x.ts));
  }

  /** Takes out samples this transaction inserted (beyond retention). */
  private async remove(
    tx: Knex.Transaction,
    table: string,
    samples: Array<{ series: number; ts: number }>,
  ) {
    for (const part of chunks(samples, 200)) {
      await tx(table)
        .where(qb => {
          for (const x of part) qb.orWhere({ series_id: x.series, ts: x.ts });
        })
        .delete();
    }
  }

  /** Adds new ratio samples to the hourly, daily and weekly rollups. */
  private async addRatioRollups(tx: Knex.Transaction, fresh: RatioSample[]) {
    if (!fresh.length) return;
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
