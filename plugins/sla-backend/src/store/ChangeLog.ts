import type { Knex } from 'knex';

/**
 * The tables whose writes the change log notes: a trigger on each
 * (migration 20261203060000_change_log) notes every write in the writing
 * transaction, whoever makes it.
 */
export const NOTED_TABLES = [
  'sla_agreements',
  'sla_reviews',
  'sla_breaches',
  'sla_feedback',
  'sla_target_states',
  'sla_target_snapshots',
  'sla_published_reports',
] as const;

/** A table whose writes the change log notes. */
export type NotedTable = (typeof NOTED_TABLES)[number];

/**
 * PostgreSQL: how many ids back a transaction that took its id earlier
 * than a later one but commits after it still moves the stamp (the rows
 * of a table among its last this many ids are counted, and never pruned).
 */
export const LATE_COMMIT_WINDOW = 100_000;

/** Rows deleted per statement when pruning (PostgreSQL). */
const PRUNE_CHUNK = 10_000;

/**
 * Constant-cost database stamps (issue 14): a string that moves whenever
 * one of the tables is written, by any replica, read with one indexed
 * statement whatever the tables' sizes (StampedCache's stamps).
 *
 * - SQLite writes one transaction at a time: the count of rows written
 *   per table, kept by the triggers.
 * - PostgreSQL appends one row per statement (writers never wait on each
 *   other): a table's latest id and how many of its rows lie in the last
 *   LATE_COMMIT_WINDOW ids, so a commit that lands behind a later id
 *   still changes the count. Pruning keeps those rows, so the count only
 *   grows while the latest id stays.
 * @internal
 */
export class ChangeLog {
  constructor(private readonly db: Knex) {}

  private get postgres() {
    return this.db.client.config.client === 'pg';
  }

  /** The stamp of the tables' writes so far. */
  async stamp(tables: NotedTable[]): Promise<string> {
    if (!this.postgres) {
      const rows: Array<{ source: string; n: number | string }> = await this.db(
        'sla_change_log',
      )
        .whereIn('source', tables)
        .select('source', 'n');
      const bySource = new Map(rows.map(r => [r.source, Number(r.n)]));
      return tables.map(t => bySource.get(t) ?? 0).join('/');
    }
    const result = await this.db.raw(
      `select s.source, m.latest,
        (select count(*) from sla_change_log c
          where c.source = s.source and c.id > m.latest - ?) as recent
       from (values ${tables.map(() => '(?::text)').join(', ')}) as s(source)
       cross join lateral (
         select max(l.id) as latest from sla_change_log l
         where l.source = s.source) m`,
      [LATE_COMMIT_WINDOW, ...tables],
    );
    const bySource = new Map<string, string>(
      result.rows.map(
        (r: { source: string; latest: unknown; recent: unknown }) => [
          r.source,
          `${Number(r.latest ?? 0)}.${Number(r.recent ?? 0)}`,
        ],
      ),
    );
    return tables.map(t => bySource.get(t) ?? '0.0').join('/');
  }

  /**
   * Deletes the rows no stamp needs any more (PostgreSQL: those more than
   * twice the window behind their table's latest id), in bounded chunks.
   * Returns the rows deleted.
   */
  async prune(signal?: AbortSignal): Promise<number> {
    if (!this.postgres) return 0;
    let deleted = 0;
    for (const source of NOTED_TABLES) {
      const row = await this.db('sla_change_log')
        .where('source', source)
        .max({ latest: 'id' })
        .first();
      if (row?.latest === null || row?.latest === undefined) continue;
      const below = Number(row.latest) - 2 * LATE_COMMIT_WINDOW;
      for (;;) {
        if (signal?.aborted) return deleted;
        const n = await this.db('sla_change_log')
          .whereIn(
            'id',
            this.db('sla_change_log')
              .select('id')
              .where('source', source)
              .andWhere('id', '<', below)
              .limit(PRUNE_CHUNK),
          )
          .delete();
        deleted += n;
        if (n < PRUNE_CHUNK) break;
      }
    }
    return deleted;
  }
}
