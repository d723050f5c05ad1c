import type { Knex } from 'knex';
import { ROLLUP_RESOLUTIONS } from '../rollupLevels';
import { chunks, isPostgres, num } from './common';

/** A series as the retention task sees it. */
export type RetainedSeries = {
  id: number;
  entityRef: string;
  metric: string;
  kind: 'ratio' | 'threshold' | 'duration';
  rawKeptFrom?: number;
  rawPrunedTo?: number;
  rollupsKeptFrom?: number;
  rollupsPrunedTo?: number;
};

/** Where a series' kept detail is to start. */
export type SeriesCut = { id: number; rawFrom: number; rollupsFrom: number };

/** A series whose rows before the cut are to go, with what its rows are keyed by. */
type Cut = {
  id: number;
  kind: RetainedSeries['kind'];
  raw?: number;
  rollups?: number;
};

/** The rows of one table that go, each range keyed by a prefix of its primary key. */
type DeleteSpec = {
  table: string;
  /** Key columns before the time column, with their PostgreSQL types. */
  keys: Array<[string, 'integer' | 'bigint' | 'text']>;
  time: string;
  /** For closed events only (`end_ts` set). */
  extra?: string;
};

const RAW_TABLES: Record<string, DeleteSpec[]> = {
  ratio: [
    {
      table: 'sla_ratio_samples',
      keys: [['series_id', 'integer']],
      time: 'ts',
    },
  ],
  threshold: [
    {
      table: 'sla_threshold_samples',
      keys: [['series_id', 'integer']],
      time: 'ts',
    },
    {
      table: 'sla_threshold_minutes',
      keys: [['series_id', 'integer']],
      time: 'minute',
    },
  ],
  duration: [],
};

/**
 * Retention of measurements (see RetentionService): moves a series' kept-
 * from stamps forward, then deletes what lies before them in bounded
 * chunks, each its own short statement (an index range per series and key,
 * a row limit per statement), so ingest is never held up for long. The
 * stamps move before any row goes and never back, so a read that misses a
 * deleted row also sees the stamp that says so (PlanReader.readPlans).
 */
export class MeasurementRetention {
  constructor(private readonly db: Knex) {}

  /** Series after `afterId` in id order, `limit` at a time. */
  async seriesPage(afterId: number, limit: number): Promise<RetainedSeries[]> {
    const rows = await this.db('sla_series')
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .select(
        'id',
        'entity_ref',
        'metric',
        'kind',
        'raw_kept_from',
        'raw_pruned_to',
        'rollups_kept_from',
        'rollups_pruned_to',
      );
    const opt = (v: unknown) =>
      v === null || v === undefined ? undefined : num(v);
    return rows.map(r => ({
      id: num(r.id),
      entityRef: r.entity_ref,
      metric: r.metric,
      kind: r.kind,
      rawKeptFrom: opt(r.raw_kept_from),
      rawPrunedTo: opt(r.raw_pruned_to),
      rollupsKeptFrom: opt(r.rollups_kept_from),
      rollupsPrunedTo: opt(r.rollups_pruned_to),
    }));
  }

  /**
   * Moves the kept-from stamps forward to the cuts (never back), in one
   * short statement per 100 series. Moving the rollups' stamp also moves
   * `late_writes`, so that no replica reuses a kept sum over rollups that
   * are going (KeptSums).
   */
  async advance(cuts: SeriesCut[]): Promise<void> {
    const row = isPostgres(this.db)
      ? '(?::integer, ?::bigint, ?::bigint)'
      : '(?, ?, ?)';
    for (const part of chunks(
      [...cuts].sort((a, b) => a.id - b.id),
      100,
    )) {
      await this.db.raw(
        `UPDATE sla_series SET
           late_writes = late_writes + CASE WHEN sla_series.rollups_kept_from
             IS NULL OR sla_series.rollups_kept_from < v.column3 THEN 1 ELSE 0 END,
           raw_kept_from = CASE WHEN sla_series.raw_kept_from IS NULL
             OR sla_series.raw_kept_from < v.column2 THEN v.column2
             ELSE sla_series.raw_kept_from END,
           rollups_kept_from = CASE WHEN sla_series.rollups_kept_from IS NULL
             OR sla_series.rollups_kept_from < v.column3 THEN v.column3
             ELSE sla_series.rollups_kept_from END
         FROM (VALUES ${part.map(() => row).join(', ')}) AS v
         WHERE sla_series.id = v.column1`,
        part.flatMap(c => [c.id, c.rawFrom, c.rollupsFrom]),
      );
    }
  }

  /**
   * Deletes, for each series, its rows before its kept-from stamps (as read
   * in `series`, after advance), at most `chunkSize` rows per statement,
   * until none are left or `signal` aborts; then records how far it got.
   * Returns the rows deleted and whether every series is done.
   */
  async prune(
    series: RetainedSeries[],
    chunkSize: number,
    signal?: AbortSignal,
  ): Promise<{ deleted: number; done: boolean }> {
    const cuts: Cut[] = series.flatMap(s => {
      const raw =
        s.rawKeptFrom !== undefined &&
        (s.rawPrunedTo === undefined || s.rawPrunedTo < s.rawKeptFrom)
          ? s.rawKeptFrom
          : undefined;
      const rollups =
        s.rollupsKeptFrom !== undefined &&
        (s.rollupsPrunedTo === undefined ||
          s.rollupsPrunedTo < s.rollupsKeptFrom)
          ? s.rollupsKeptFrom
          : undefined;
      return raw === undefined && rollups === undefined
        ? []
        : [{ id: s.id, kind: s.kind, raw, rollups }];
    });
    let deleted = 0;
    const jobs: Array<{
      spec: DeleteSpec;
      rows: Array<Array<number | string>>;
    }> = [];
    for (const kind of ['ratio', 'threshold', 'duration'] as const) {
      const raw = cuts.filter(c => c.kind === kind && c.raw !== undefined);
      for (const spec of RAW_TABLES[kind]) {
        if (raw.length) jobs.push({ spec, rows: raw.map(c => [c.id, c.raw!]) });
      }
    }
    const rollups = cuts.filter(c => c.rollups !== undefined);
    const ratio = rollups.filter(c => c.kind === 'ratio');
    if (ratio.length) {
      jobs.push({
        spec: {
          table: 'sla_ratio_rollups',
          keys: [
            ['series_id', 'integer'],
            ['resolution', 'bigint'],
          ],
          time: 'bucket',
        },
        rows: ratio.flatMap(c =>
          ROLLUP_RESOLUTIONS.map(r => [c.id, r, c.rollups!]),
        ),
      });
    }
    const threshold = rollups.filter(c => c.kind === 'threshold');
    if (threshold.length) {
      const definitions = await this.db('sla_slice_definitions')
        .whereIn(
          'series_id',
          threshold.map(c => c.id),
        )
        .select('series_id', 'slice_key');
      const cutOf = new Map(threshold.map(c => [c.id, c.rollups!]));
      jobs.push({
        spec: {
          table: 'sla_slice_rollups',
          keys: [
            ['series_id', 'integer'],
            ['slice_key', 'text'],
            ['resolution', 'bigint'],
          ],
          time: 'bucket',
        },
        rows: definitions.flatMap(d =>
          ROLLUP_RESOLUTIONS.map(r => [
            num(d.series_id),
            d.slice_key as string,
            r,
            cutOf.get(num(d.series_id))!,
          ]),
        ),
      });
    }
    const duration = rollups.filter(c => c.kind === 'duration');
    if (duration.length) {
      jobs.push({
        spec: {
          table: 'sla_events',
          keys: [['series_id', 'integer']],
          time: 'end_ts',
        },
        rows: duration.map(c => [c.id, c.rollups!]),
      });
    }
    for (const { spec, rows } of jobs) {
      for (const part of chunks(rows, 500)) {
        for (;;) {
          if (signal?.aborted) return { deleted, done: false };
          const n = await this.deleteChunk(spec, part, chunkSize);
          deleted += n;
          if (n < chunkSize) break;
        }
      }
    }
    await this.markPruned(cuts);
    return { deleted, done: true };
  }

  /** One bounded delete: rows of `spec.table` before each range's cut. */
  private async deleteChunk(
    spec: DeleteSpec,
    ranges: Array<Array<number | string>>,
    limit: number,
  ): Promise<number> {
    const keys = spec.keys.map(([name]) => name);
    const cutColumn = `c${keys.length}`;
    if (isPostgres(this.db)) {
      const types = [
        ...spec.keys.map(([, type], i) => `c${i} ${type}`),
        `${cutColumn} bigint`,
      ].join(', ');
      const on = [
        ...keys.map((k, i) => `${k} = q.c${i}`),
        `${spec.time} < q.${cutColumn}`,
      ].join(' AND ');
      // ctid = ANY(ARRAY(...)): a TID scan of exactly the rows found by
      // index range scans (LATERAL ... OFFSET 0 keeps them index scans).
      const result = await this.db.raw(
        `WITH q AS (SELECT * FROM json_to_recordset(?::json) AS r(${types})
           LIMIT ${ranges.length})
         DELETE FROM ${spec.table} WHERE ctid = ANY(ARRAY(
           SELECT x.ctid FROM q CROSS JOIN LATERAL (
             SELECT ctid FROM ${spec.table} WHERE ${on} LIMIT ? OFFSET 0) x
           LIMIT ?))`,
        [
          JSON.stringify(
            ranges.map(r => Object.fromEntries(r.map((v, i) => [`c${i}`, v]))),
          ),
          limit,
          limit,
        ],
      );
      return num(result.rowCount ?? 0);
    }
    const columns = ranges[0].map((_, i) => `value->>${i} AS c${i}`).join(', ');
    const on = [
      ...keys.map((k, i) => `x.${k} = q.c${i}`),
      `x.${spec.time} < q.${cutColumn}`,
    ].join(' AND ');
    const result = await this.db.raw(
      `WITH q AS MATERIALIZED (SELECT ${columns} FROM json_each(?))
       DELETE FROM ${spec.table} WHERE rowid IN (
         SELECT x.rowid FROM q JOIN ${spec.table} x ON ${on} LIMIT ?)`,
      [JSON.stringify(ranges), limit],
    );
    return this.changes(result);
  }

  /** Rows changed by the last statement on SQLite (better-sqlite3). */
  private async changes(result: unknown): Promise<number> {
    if (typeof (result as { changes?: number })?.changes === 'number') {
      return (result as { changes: number }).changes;
    }
    const [row] = await this.db.raw('SELECT changes() AS n');
    return num(row.n);
  }

  /** Records that the series' rows before the stamps are gone. */
  private async markPruned(cuts: Cut[]) {
    for (const part of chunks(cuts, 100)) {
      const raw = part.filter(c => c.raw !== undefined);
      const rollups = part.filter(c => c.rollups !== undefined);
      const row = isPostgres(this.db) ? '(?::integer, ?::bigint)' : '(?, ?)';
      for (const [column, list, value] of [
        ['raw_pruned_to', raw, (c: Cut) => c.raw!],
        ['rollups_pruned_to', rollups, (c: Cut) => c.rollups!],
      ] as const) {
        if (!list.length) continue;
        await this.db.raw(
          `UPDATE sla_series SET ${column} = v.column2
           FROM (VALUES ${list.map(() => row).join(', ')}) AS v
           WHERE sla_series.id = v.column1`,
          list.flatMap(c => [c.id, value(c)]),
        );
      }
    }
  }

  /**
   * Rows stored for the series of a kind (raw and rollups), for the bench
   * and tests: what retention leaves.
   */
  async rowCounts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const table of [
      'sla_ratio_samples',
      'sla_ratio_rollups',
      'sla_threshold_samples',
      'sla_threshold_minutes',
      'sla_slice_rollups',
      'sla_events',
    ]) {
      const [row] = await this.db(table).count({ n: '*' });
      out[table] = num(row.n);
    }
    return out;
  }
}
