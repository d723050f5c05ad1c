import type { Knex } from 'knex';
import type { ParsedMeasurement } from '@opensla/backstage-plugin-sla-common';
import {
  Series,
  SeriesKindConflict,
  SeriesKindError,
  chunks,
  isPostgres,
  num,
} from './common';

/**
 * Series (`sla_series`): one row per (entity, metric), created on first
 * ingest, with the write stamps (`high_ts`, `late_writes`) that tell the
 * kept sums (KeptSums) when a sum may have gone stale.
 */
export class SeriesRegistry {
  constructor(private readonly db: Knex) {}

  /**
   * Committed series by "entityRef\u0000metric": a series row never changes
   * once written, so every replica may keep what it has read.
   */
  private readonly knownSeries = new Map<string, Series>();

  remember(series: Map<string, Series>) {
    if (this.knownSeries.size > 100_000) this.knownSeries.clear();
    for (const [key, s] of series) this.knownSeries.set(key, s);
  }

  async resolveSeries(
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
   * On PostgreSQL, the batch's series rows are locked in id order: batches
   * of the same series then take turns for the rows they share (rollups,
   * write stamps, the evaluation queue), and two batches of several series
   * cannot deadlock on them. Answers each series' retention stamps, read
   * under the lock (only where something was pruned).
   */
  async lockSeries(
    tx: Knex.Transaction,
    series: Map<string, Series>,
  ): Promise<{ kept: Map<number, { raw?: number; rollups?: number }> }> {
    const kept = new Map<number, { raw?: number; rollups?: number }>();
    if (!series.size) return { kept };
    const ids = [...new Set([...series.values()].map(s => s.id))].sort(
      (a, b) => a - b,
    );
    // The retention stamps, read under the lock (the retention task's
    // stamp update waits for it): samples before them are refused.
    const rows = isPostgres(this.db)
      ? (
          await tx.raw(
            'SELECT id, raw_kept_from, rollups_kept_from FROM sla_series WHERE id = ANY(?::integer[]) ORDER BY id FOR UPDATE',
            [ids],
          )
        ).rows
      : (
          await Promise.all(
            chunks(ids).map(part =>
              tx('sla_series')
                .whereIn('id', part)
                .select('id', 'raw_kept_from', 'rollups_kept_from'),
            ),
          )
        ).flat();
    for (const row of rows) {
      if (row.raw_kept_from === null && row.rollups_kept_from === null)
        continue;
      kept.set(num(row.id), {
        raw: row.raw_kept_from === null ? undefined : num(row.raw_kept_from),
        rollups:
          row.rollups_kept_from === null
            ? undefined
            : num(row.rollups_kept_from),
      });
    }
    return { kept };
  }

  /**
   * Moves the write stamps of the series that got samples: `high_ts` to
   * the latest stored, and `late_writes` up by one where a sample went in
   * before the previous `high_ts` (see RangeSums).
   */
  async stampWrites(
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
    if (!rows.length) return;
    const set = `late_writes = late_writes +
             CASE WHEN sla_series.high_ts > v.lo THEN 1 ELSE 0 END,
           high_ts = CASE WHEN sla_series.high_ts IS NULL
             OR sla_series.high_ts < v.hi THEN v.hi
             ELSE sla_series.high_ts END`;
    if (isPostgres(this.db)) {
      // One statement: the columns as arrays.
      await tx.raw(
        `UPDATE sla_series SET ${set}
         FROM unnest(?::integer[], ?::bigint[], ?::bigint[]) AS v (id, lo, hi)
         WHERE sla_series.id = v.id`,
        [rows.map(r => r[0]), rows.map(r => r[1].lo), rows.map(r => r[1].hi)],
      );
      return;
    }
    for (const part of chunks(rows, 300)) {
      await tx.raw(
        `WITH v (id, lo, hi) AS (VALUES ${part
          .map(() => '(?, ?, ?)')
          .join(', ')})
         UPDATE sla_series SET ${set}
         FROM v WHERE sla_series.id = v.id`,
        part.flatMap(([id, b]) => [id, b.lo, b.hi]),
      );
    }
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
}
