import type { Knex } from 'knex';
import { Interval, mergeIntervals } from '../../domain';
import { parseSliceKey } from '../rollupLevels';
import { isPostgres, num } from './common';
import { KeptSums, SeriesStamp, SumRead, rangeKey } from './KeptSums';

export type MinutePoint = { t: number; min: number; max: number };

/**
 * Where a series' kept detail starts (retention): raw samples and minute
 * extremes from `raw`, rollups and closed events from `rollups`; undefined
 * when nothing was pruned.
 */
export type KeptFrom = { raw?: number; rollups?: number };

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

/**
 * One row of the ranges table a plan statement reads: kind (t), range id
 * (i), series (s), resolution (r), start and end (a, b), sign (g) and
 * slice key or entity ref (k).
 */
type RangeRow = {
  t: number;
  i: number;
  s: number;
  r: number;
  a: number;
  b: number;
  g: number;
  k: string | null;
};

/** What AttainmentService asks readPlans for. */
export type PlanReads = {
  ratio: SumRange[];
  slices: SumRange[];
  minutes: Array<{ seriesId: number; ranges: Interval[] }>;
  /** Threshold samples read one by one (partial minutes at range ends). */
  samples?: Array<{ seriesId: number; ranges: Interval[] }>;
  /**
   * An entity (lower-case ref) whose agreements' ids and current versions
   * are read in the same statement, so that a caller who planned with
   * agreements read earlier learns whether they still hold, without a
   * statement of its own (ReadService's kept agreements).
   */
  agreementsOf?: string;
};

/** An agreement's id and current version, as readPlans saw it. */
export type AgreementVersion = { id: string; version: number };

/**
 * Plan reads: what coverage plans (planCoverage) ask for, read in one
 * statement per call, with sums over rollup buckets kept for reuse
 * (KeptSums); and the events of duration series.
 */
export class PlanReader {
  constructor(private readonly db: Knex, private readonly kept: KeptSums) {}

  /**
   * Ranges as a table both databases read from one JSON parameter: a fixed
   * statement text whatever the number of ranges (no bound-variable limit,
   * no expression depth). SQLite gets arrays, unpacked once into a
   * materialized table rather than re-parsed on every joined row.
   */
  private ranges(rows: RangeRow[]): { cte: string; binding: string } {
    if (isPostgres(this.db)) {
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
    return isPostgres(this.db)
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

  private async readPlansOnce(
    request: PlanReads,
    reuse: boolean,
    keepNew: boolean,
  ) {
    const ratio = new Map<number, { good: number; total: number }>();
    const slices = new Map<number, { good: number; bad: number }>();
    const minutes = new Map<number, MinutePoint[]>();
    const samples = new Map<number, MinutePoint[]>();
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

    const { toRead, reused } = this.kept.plan(distinct.values(), reuse, add);
    const stampOf = this.kept.enabled
      ? [...new Set([...distinct.values()].map(d => d.s))]
      : [];
    const rows: RangeRow[] = [
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
      // Kept-from stamps of every series read, in the same statement (one
      // snapshot): a read that misses pruned rows sees why.
      ...[
        ...new Set([
          ...[...distinct.values()].map(d => d.s),
          ...request.minutes.map(m => m.seriesId),
          ...(request.samples ?? []).map(m => m.seriesId),
        ]),
      ].map(s => ({ t: 5, i: 0, s, r: 0, a: 0, b: 0, g: 1, k: null })),
    ];
    if (request.agreementsOf !== undefined) {
      rows.push({
        t: 6,
        i: 0,
        s: 0,
        r: 0,
        a: 0,
        b: 0,
        g: 1,
        k: request.agreementsOf,
      });
    }
    const kept = new Map<number, KeptFrom>();
    const agreements: AgreementVersion[] = [];
    if (!rows.length) {
      return { ratio, slices, minutes, samples, kept, agreements };
    }
    const none = isPostgres(this.db) ? 'NULL::float8' : 'NULL';
    const noText = isPostgres(this.db) ? 'NULL::text' : 'NULL';
    const { cte, binding } = this.ranges(rows);
    const result = await this.db.raw(
      `WITH ${cte}
       SELECT 0 AS t, q.i AS i, SUM(x.good * q.g) AS x,
              SUM(x.total * q.g) AS y, ${none} AS z, ${noText} AS w
         FROM ${this.withinRanges(
           'sla_ratio_rollups',
           ['good', 'total'],
           `x.series_id = q.s AND x.resolution = q.r
            AND x.bucket >= q.a AND x.bucket < q.b`,
         )}
        WHERE q.t = 0 AND q.r > 0 GROUP BY q.i
       UNION ALL
       SELECT 0, q.i, SUM(x.good * q.g), SUM(x.total * q.g), ${none}, ${noText}
         FROM ${this.withinRanges(
           'sla_ratio_samples',
           ['good', 'total'],
           'x.series_id = q.s AND x.ts >= q.a AND x.ts < q.b',
         )}
        WHERE q.t = 0 AND q.r = 0 GROUP BY q.i
       UNION ALL
       SELECT 1, q.i, SUM(x.good * q.g), SUM(x.bad * q.g), ${none}, ${noText}
         FROM ${this.withinRanges(
           'sla_slice_rollups',
           ['good', 'bad'],
           `x.series_id = q.s AND x.slice_key = q.k AND x.resolution = q.r
            AND x.bucket >= q.a AND x.bucket < q.b`,
         )}
        WHERE q.t = 1 GROUP BY q.i
       UNION ALL
       SELECT 2, x.series_id, x.minute, x.min, x.max, ${noText}
         FROM ${this.withinRanges(
           'sla_threshold_minutes',
           ['series_id', 'minute', 'min', 'max'],
           'x.series_id = q.s AND x.minute >= q.a AND x.minute < q.b',
         )}
        WHERE q.t = 2
       UNION ALL
       SELECT 3, x.series_id, x.ts, x.value, x.value, ${noText}
         FROM ${this.withinRanges(
           'sla_threshold_samples',
           ['series_id', 'ts', 'value'],
           'x.series_id = q.s AND x.ts >= q.a AND x.ts < q.b',
         )}
        WHERE q.t = 3
       UNION ALL
       SELECT 4, x.id, x.high_ts, x.late_writes, ${none}, ${noText}
         FROM ${this.withinRanges(
           'sla_series',
           ['id', 'high_ts', 'late_writes'],
           'x.id = q.s',
         )}
        WHERE q.t = 4
       UNION ALL
       SELECT 5, x.id, x.raw_kept_from, x.rollups_kept_from, ${none}, ${noText}
         FROM ${this.withinRanges(
           'sla_series',
           ['id', 'raw_kept_from', 'rollups_kept_from'],
           'x.id = q.s',
         )}
        WHERE q.t = 5
       UNION ALL
       SELECT 6, x.version, ${none}, ${none}, ${none}, x.id
         FROM ${this.withinRanges(
           'sla_agreements',
           ['id', 'version'],
           'x.entity_ref = q.k',
         )}
        WHERE q.t = 6`,
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
      } else if (t === 5) {
        kept.set(id, {
          raw: row.x === null ? undefined : num(row.x),
          rollups: row.y === null ? undefined : num(row.y),
        });
      } else if (t === 6) {
        agreements.push({ id: row.w, version: id });
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
    if (!this.kept.observe(stamps, reused)) return undefined;
    toRead.forEach((d, n) => {
      const sum = summed.get(n) ?? { x: 0, y: 0 };
      if (keepNew) this.kept.keep(d, sum, stamps.get(d.s));
      add(d, sum.x, sum.y);
    });
    for (const points of [...minutes.values(), ...samples.values()]) {
      points.sort((p, q) => p.t - q.t);
    }
    return { ratio, slices, minutes, samples, kept, agreements };
  }

  /** Kept-from stamps of series (read after the data they qualify). */
  async keptFrom(seriesIds: number[]): Promise<Map<number, KeptFrom>> {
    const out = new Map<number, KeptFrom>();
    if (!seriesIds.length) return out;
    const rows = await this.db('sla_series')
      .whereIn('id', seriesIds)
      .select('id', 'raw_kept_from', 'rollups_kept_from');
    for (const row of rows) {
      out.set(num(row.id), {
        raw: row.raw_kept_from === null ? undefined : num(row.raw_kept_from),
        rollups:
          row.rollups_kept_from === null
            ? undefined
            : num(row.rollups_kept_from),
      });
    }
    return out;
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
