/* Helpers the benchmarks share: deterministic randomness, timing, databases. */
import knexFactory, { Knex } from 'knex';
import { execFile } from 'node:child_process';
import path from 'node:path';

/** Deterministic pseudo-random numbers (mulberry32). */
export function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
}

/** Runs `fn` and answers how long it took (ms) with its result. */
export async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = process.hrtime.bigint();
  const result = await fn();
  return [Number(process.hrtime.bigint() - start) / 1e6, result];
}

/** SQLite in memory, or a schema of its own (named after `name`) in PostgreSQL. */
export async function connectInMemoryOrSchema(
  kind: string,
  name: string,
): Promise<{ db: Knex; close: () => Promise<void> }> {
  if (kind !== 'postgres') {
    const db = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: ':memory:' },
      useNullAsDefault: true,
      pool: { min: 1, max: 1 },
    });
    return { db, close: () => db.destroy() };
  }
  const url = process.env.BENCH_POSTGRES_URL;
  if (!url) throw new Error('BENCH_POSTGRES_URL is not set');
  const schema = `${name}_${process.pid}`;
  const db = knexFactory({
    client: 'pg',
    connection: url,
    searchPath: [schema],
    pool: { min: 1, max: 5 },
  });
  await db.raw(`CREATE SCHEMA ${schema}`);
  return {
    db,
    close: async () => {
      await db.raw(`DROP SCHEMA ${schema} CASCADE`);
      await db.destroy();
    },
  };
}

/**
 * Times GET requests from a separate client process (bench/httpClient.mjs),
 * so that the client's work does not run on the server's event loop.
 */
export async function timeRequests(
  url: string | string[],
  authorization: string,
  count: number,
  warmup = 5,
): Promise<{ timings: number[]; serverTimings: string[]; body: any }> {
  const script = path.join(__dirname, 'httpClient.mjs');
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      [
        script,
        typeof url === 'string' ? url : JSON.stringify(url),
        authorization,
        String(count),
        String(warmup),
      ],
      { maxBuffer: 64 * 2 ** 20 },
      (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout))),
    ),
  );
}

/**
 * Server-Timing headers ("auth;dur=0.1, database;dur=2.3, total;dur=4")
 * as milliseconds per part, one list per part (0 where a request did not
 * report the part).
 */
export function serverTimingParts(headers: string[]): Map<string, number[]> {
  const parts = new Map<string, number[]>();
  headers.forEach((header, n) => {
    for (const entry of header.split(',')) {
      const [name, ...params] = entry.trim().split(';');
      const dur = params.find(p => p.trim().startsWith('dur='));
      if (!dur) continue;
      let list = parts.get(name);
      if (!list) {
        list = new Array<number>(headers.length).fill(0);
        parts.set(name, list);
      }
      list[n] = Number(dur.trim().slice(4));
    }
  });
  return parts;
}

/** Wall time per statement text while running (BENCH_SQL_TIMING=1);
 * `reset` starts the totals again. */
export function timeStatements(db: Knex) {
  const startedAt = new Map<string, number>();
  const totals = new Map<string, { n: number; ms: number }>();
  db.on('query', (q: any) =>
    startedAt.set(q.__knexQueryUid, performance.now()),
  );
  db.on('query-response', (_: unknown, q: any) => {
    const t0 = startedAt.get(q.__knexQueryUid);
    if (t0 === undefined) return;
    const text = String(q.sql).slice(0, 110);
    const total = totals.get(text) ?? { n: 0, ms: 0 };
    total.n++;
    total.ms += performance.now() - t0;
    totals.set(text, total);
  });
  return {
    reset() {
      totals.clear();
    },
    print() {
      for (const [text, t] of [...totals]
        .sort((a, b) => b[1].ms - a[1].ms)
        .slice(0, 25)) {
        console.log(`  ${t.ms.toFixed(0).padStart(7)} ms ${t.n}× ${text}`);
      }
    },
  };
}
