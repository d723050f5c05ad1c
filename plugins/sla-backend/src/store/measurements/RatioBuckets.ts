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
    .select('resolution', 'bucket', 'good', 'total')
    .where('series_id', seriesId)
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
  const buckets: SampleBucket[] = rollups.map(r => {
    const start = Number(r.bucket);
    const good = Number(r.good);
    return {
      start,
      end: start + Number(r.resolution),
      good,
      bad: Number(r.total) - good,
    };
  });
  const raw = await db('sla_ratio_samples')
    .select('ts', 'good', 'total')
    .where('series_id', seriesId)
    .where('ts', '>=', rawFrom)
    .where('ts', '<', at);
  const minutes = new Map<number, SampleBucket>();
  for (const r of raw) {
    const start = floorTo(Number(r.ts), MINUTE_MS);
    let b = minutes.get(start);
    if (!b) {
      b = { start, end: start + MINUTE_MS, good: 0, bad: 0 };
      minutes.set(start, b);
    }
    b.good += Number(r.good);
    b.bad += Number(r.total) - Number(r.good);
  }
  buckets.push(...minutes.values());
  const next = await db('sla_ratio_samples')
    .where('series_id', seriesId)
    .where('ts', '>=', at)
    .min({ ts: 'ts' })
    .first();
  const nextDataAt =
    next?.ts === null || next?.ts === undefined ? undefined : Number(next.ts);
  return { buckets, nextDataAt };
}
