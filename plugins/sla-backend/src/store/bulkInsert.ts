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
  tail: string,
) {
  const key = `${table}:${columns.join(',')}:${rows}:${tail}`;
  let sql = statements.get(key);
  if (!sql) {
    const row = `(${columns.map(() => '?').join(', ')})`;
    sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array(rows)
      .fill(row)
      .join(', ')} ${tail}`;
    statements.set(key, sql);
  }
  return sql;
}

type Columns = Array<[name: string, pgType: 'integer' | 'bigint' | 'float8']>;

/**
 * Runs the insert: on PostgreSQL one statement, each column sent as one
 * array parameter and unnested (rows go in in the order given); on SQLite
 * multi-row VALUES statements of a fixed text. Answers each statement's
 * result.
 */
async function insertRows(
  db: Knex | Knex.Transaction,
  table: string,
  columns: Columns,
  rows: number[][],
  tail: string,
): Promise<any[]> {
  const names = columns.map(([name]) => name);
  if (db.client.config.client === 'pg') {
    const arrays = columns.map((_, c) => `{${rows.map(r => r[c]).join(',')}}`);
    return [
      await db.raw(
        `INSERT INTO ${table} (${names.join(', ')})
       SELECT * FROM unnest(${columns
         .map(([, type]) => `?::${type}[]`)
         .join(', ')}) ${tail}`,
        arrays,
      ),
    ];
  }
  const results = [];
  for (let i = 0; i < rows.length; i += SQLITE_ROWS) {
    const n = Math.min(SQLITE_ROWS, rows.length - i);
    const bindings = new Array<number>(n * names.length);
    let k = 0;
    for (let r = i; r < i + n; r++) {
      for (const value of rows[r]) bindings[k++] = value;
    }
    results.push(
      await db.raw(valuesStatement(table, names, n, tail), bindings),
    );
  }
  return results;
}

/**
 * The fastest plain insert of numeric rows each database offers through
 * knex (see insertRows). Rows already present are skipped (ON CONFLICT DO
 * NOTHING), or with `upsert` added to; returns how many rows went in (or
 * changed). Used by ingest and, as the baseline, by the benchmark. Rows
 * given to an upsert must be distinct by its key.
 */
export async function bulkInsert(
  db: Knex | Knex.Transaction,
  table: string,
  columns: Columns,
  rows: number[][],
  upsert?: AddOnConflict,
): Promise<number> {
  if (!rows.length) return 0;
  const results = await insertRows(
    db,
    table,
    columns,
    rows,
    conflictClause(table, upsert),
  );
  let changed = 0;
  for (const result of results) changed += result.rowCount ?? result.changes;
  return changed;
}

/**
 * Inserts the rows not present yet (ON CONFLICT DO NOTHING) and answers
 * which went in, as their `returning` columns (numbers). One statement on
 * PostgreSQL: rows go in in the order given, so concurrent callers that
 * give theirs in one order never deadlock on rows they both insert.
 */
export async function insertNew(
  db: Knex | Knex.Transaction,
  table: string,
  columns: Columns,
  rows: number[][],
  returning: string[],
): Promise<number[][]> {
  if (!rows.length) return [];
  const results = await insertRows(
    db,
    table,
    columns,
    rows,
    `ON CONFLICT DO NOTHING RETURNING ${returning.join(', ')}`,
  );
  const out: number[][] = [];
  for (const result of results) {
    for (const row of result.rows ?? result) {
      out.push(returning.map(c => Number(row[c])));
    }
  }
  return out;
}
