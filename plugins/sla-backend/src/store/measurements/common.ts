import type { Knex } from 'knex';
import type { ParsedMeasurement } from '@opensla/backstage-plugin-sla-common';
import { Interval } from '../../domain';

/** Rows per statement: keeps SQLite under its bound-variable limit. */
export const CHUNK = 500;

export type Series = { id: number; kind: ParsedMeasurement['kind'] };

export type SeriesKindConflict = {
  index: number;
  entityRef: string;
  metric: string;
  holds: string;
};

export class SeriesKindError extends Error {
  constructor(readonly conflicts: SeriesKindConflict[]) {
    super('series kind conflict');
  }
}

export const num = (v: unknown) => Number(v);

/** Values by (series, timestamp), without a string key per sample. */
export class BySeriesAndTime<T> {
  private readonly bySeries = new Map<number, Map<number, T>>();

  get(series: number, ts: number): T | undefined {
    return this.bySeries.get(series)?.get(ts);
  }

  set(series: number, ts: number, value: T) {
    let times = this.bySeries.get(series);
    if (!times) {
      times = new Map();
      this.bySeries.set(series, times);
    }
    times.set(ts, value);
  }

  values(): T[] {
    return [...this.bySeries.values()].flatMap(times => [...times.values()]);
  }
}

export function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(items.slice(i, i + size));
  return out;
}

export function rangeWhere(column: string, ranges: Interval[]) {
  return (qb: Knex.QueryBuilder) => {
    for (const r of ranges) {
      qb.orWhere(inner =>
        inner.where(column, '>=', r.start).andWhere(column, '<', r.end),
      );
    }
  };
}

export function worst(operator: 'lte' | 'gte', min: number, max: number) {
  return operator === 'lte' ? max : min;
}

export function isGood(
  operator: 'lte' | 'gte',
  threshold: number,
  value: number,
) {
  return operator === 'lte' ? value <= threshold : value >= threshold;
}

export const isPostgres = (db: Knex) => db.client.config.client === 'pg';
