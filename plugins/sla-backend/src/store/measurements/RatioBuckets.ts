import type { Knex } from 'knex';
import type { SampleBucket } from '../../domain/statusHoldsUntil';
import { DAY_MS, HOUR_MS, MINUTE_MS, ceilTo, floorTo } from '../rollupLevels';

/** Recent detail read sample by sample (minute buckets). */
const RAW_SPAN_MS = 2 * HOUR_MS;
/** Detail read by the hour before the raw span (daily sums before). */
const HOURLY_SPAN_MS = 3 * DAY_MS;

/**
 * What a ratio series stored in [from, at) as buckets, finer towards `at`
 * (what leaves the short burn-rate look-backs first): minute buckets from
 * the raw samples of the last two whole hours and the current one, hourly
 * sums for the three days before, daily sums before that (hourly at the
 * ragged start). The first bucket may start before `from`. Also the
 * earliest sample stored at or after `at`. Three statements.
 * @internal
 */
export async function readRatioBuckets(
  db: Knex,
  seriesId: number,
  from: number,
  at: number,
): Promise<{ buckets: SampleBucket[]; nextDataAt?: number }> {
  return (await readRatioBucketsMany(db, [seriesId], from, at)).get(seriesId)!;
}

/**
 * readRatioBuckets for several series over the same [from, at): the same
 * three statements whatever their number (the evaluation queue's claims).
 * @internal
 */
export async function readRatioBucketsMany(
  db: Knex,
  seriesIds: number[],
  from: number,
  at: number,
): Promise<Map<number, { buckets: SampleBucket[]; nextDataAt?: number }>> {
  const out = new Map<
    number,
    { buckets: SampleBucket[]; nextDataAt?: number }
  >();
  const ids = [...new Set(seriesIds)];
  for (const id of ids) out.set(id, { buckets: [] });
  if (!ids.length) return out;
  const rawFrom = floorTo(at, HOUR_MS) - RAW_SPAN_MS;
  const h0 = Math.min(floorTo(from, HOUR_MS), rawFrom);
  const d0 = ceilTo(h0, DAY_MS);
  const d1 = floorTo(rawFrom - HOURLY_SPAN_MS, DAY_MS);
  const ranges: Array<{ resolution: number; start: number; end: number }> =
    d0 < d1
      ? [
          { resolution: HOUR_MS, start: h0, end: d0 },
          { resolution: DAY_MS, start: d0, end: d1 },
          { resolution: HOUR_MS, start: d1, end: rawFrom },
        ]
      : [{ resolution: HOUR_MS, start: h0, end: rawFrom }];
  const rollups = await db('sla_ratio_rollups')
    .select('series_id', 'resolution', 'bucket', 'good', 'total')
    .whereIn('series_id', ids)
    .where(qb => {
      for (const r of ranges) {
        if (r.end <= r.start) continue;
        qb.orWhere(q =>
          q
            .where('resolution', r.resolution)
            .where('bucket', '>=', r.start)
            .where('bucket', '<', r.end),
        );
      }
    });
  for (const r of rollups) {
    const start = Number(r.bucket);
    const good = Number(r.good);
    out.get(Number(r.series_id))!.buckets.push({
      start,
      end: start + Number(r.resolution),
      good,
      bad: Number(r.total) - good,
    });
  }
  const raw = await db('sla_ratio_samples')
    .select('series_id', 'ts', 'good', 'total')
    .whereIn('series_id', ids)
    .where('ts', '>=', rawFrom)
    .where('ts', '<', at);
  const minutes = new Map<number, Map<number, SampleBucket>>();
  for (const r of raw) {
    const id = Number(r.series_id);
    let ofSeries = minutes.get(id);
    if (!ofSeries) minutes.set(id, (ofSeries = new Map()));
    const start = floorTo(Number(r.ts), MINUTE_MS);
    let b = ofSeries.get(start);
    if (!b) {
      b = { start, end: start + MINUTE_MS, good: 0, bad: 0 };
      ofSeries.set(start, b);
    }
    b.good += Number(r.good);
    b.bad += Number(r.total) - Number(r.good);
  }
  for (const [id, ofSeries] of minutes) {
    out.get(id)!.buckets.push(...ofSeries.values());
  }
  const next: Array<{ series_id: number | string; ts: unknown }> = await db(
    'sla_ratio_samples',
  )
    .select('series_id')
    .min({ ts: 'ts' })
    .whereIn('series_id', ids)
    .where('ts', '>=', at)
    .groupBy('series_id');
  for (const r of next) {
    if (r.ts !== null && r.ts !== undefined) {
      out.get(Number(r.series_id))!.nextDataAt = Number(r.ts);
    }
  }
  return out;
}

/**
 * The start of the earliest hour of a ratio series with a rollup: no sample
 * of the series is earlier (ingest adds every sample to its hour), so a
 * window ending before it holds no data. Undefined when nothing is stored.
 * One index lookup.
 * @internal
 */
export async function readFirstRatioHour(
  db: Knex,
  seriesId: number,
): Promise<number | undefined> {
  const row = await db('sla_ratio_rollups')
    .where({ series_id: seriesId, resolution: HOUR_MS })
    .min({ bucket: 'bucket' })
    .first();
  return row?.bucket === null || row?.bucket === undefined
    ? undefined
    : Number(row.bucket);
}
