import type { Knex } from 'knex';

/** Rows per SQLite statement: under its bound-variable limit. */
const SQLITE_ROWS = 500;

const statements = new Map<string, string>();

/** Adds to the stored row instead of skipping: `key` columns identify it. */
export type AddOnConflict = { key: string[]; add: string[] };

function conflictClause(table: string, upsert?: AddOnConflict) {
  if (!upsert) return 'ON CONFLICT DO NOTHING';
  return `ON CONFLICT (${upsert.key.join(', ')}) DO UPDATE SET ${upsert.add
    .map(c => `${c} = ${table}.${c} + excluded.${c}`)
    .join(', ')}`;
}

/** `INSERT … VALUES (?, …), … ON CONFLICT …`, built once per shape. */
function valuesStatement(
  table: string,
  columns: string[],
  rows: number,
  upsert?: AddOnConflict,
) {
  const key = `${table}:${columns.join(',')}:${rows}:${upsert?.add ?? ''}`;
  let sql = statements.get(key);
  if (!sql) {
    const row = `(${columns.map(() => '?').join(', ')})`;
    sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array(rows)
      .fill(row)
      .join(', ')} ${conflictClause(table, upsert)}`;
    statements.set(key, sql);
  }
  return sql;
}

/**
 * The fastest plain insert of numeric rows each database offers through
 * knex: on PostgreSQL one statement per call, each column sent as one
 * array parameter and unnested; on SQLite multi-row VALUES statements of a
 * fixed text. Rows already present are skipped (ON CONFLICT DO NOTHING),
 * or with `upsert` added to; returns how many rows went in (or changed).
 * Used by ingest and, as the baseline, by the benchmark. Rows given to an
 * upsert must be distinct by its key.
 */
export async function bulkInsert(
  db: Knex | Knex.Transaction,
  table: string,
  columns: Array<[name: string, pgType: 'integer' | 'bigint' | 'float8']>,
  rows: number[][],
  upsert?: AddOnConflict,
): Promise<number> {
  if (!rows.length) return 0;
  const names = columns.map(([name]) => name);
  if (db.client.config.client === 'pg') {
    const arrays = columns.map((_, c) => `{${rows.map(r => r[c]).join(',')}}`);
    const result = await db.raw(
      `INSERT INTO ${table} (${names.join(', ')})
       SELECT * FROM unnest(${columns
         .map(([, type]) => `?::${type}[]`)
         .join(', ')}) ${conflictClause(table, upsert)}`,
      arrays,
    );
    return result.rowCount;
  }
  let inserted = 0;
  for (let i = 0; i < rows.length; i += SQLITE_ROWS) {
    const n = Math.min(SQLITE_ROWS, rows.length - i);
    const bindings = new Array<number>(n * names.length);
    let k = 0;
    for (let r = i; r < i + n; r++) {
      for (const value of rows[r]) bindings[k++] = value;
    }
    const result = await db.raw(
      valuesStatement(table, names, n, upsert),
      bindings,
    );
    inserted += result.changes;
  }
  return inserted;
}
