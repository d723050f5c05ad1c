import { DateTime } from 'luxon';
import type { Interval } from '../Interval';

/** The longest period a report may cover (a year and a day, leap years included). */
export const MAX_REPORT_PERIOD_MS = 367 * 86_400_000;

/** A report period: [start, end) with its month label when it is one. */
export type ReportPeriod = Interval & { month?: string };

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The UTC calendar month `YYYY-MM` as [start, end). */
export function monthPeriod(month: string): ReportPeriod {
  const start = DateTime.fromFormat(month, 'yyyy-MM', { zone: 'utc' });
  return {
    start: start.toMillis(),
    end: start.plus({ months: 1 }).toMillis(),
    month,
  };
}

/** The last full UTC calendar month before `at` (the one before the month holding `at`). */
export function lastFullMonth(at: number): ReportPeriod {
  const month = DateTime.fromMillis(at, { zone: 'utc' })
    .startOf('month')
    .minus({ months: 1 })
    .toFormat('yyyy-MM');
  return monthPeriod(month);
}

/**
 * The period a report query asks for, at `at`: an explicit month, an
 * explicit from/to, or by default the last full calendar month. Months are
 * UTC months, so every service's report covers the same instants (§3: all
 * times are instants in UTC). Periods must have ended by `at`: a report is
 * about completed time. Returns the period, or the field errors.
 */
export function resolveReportPeriod(
  query: { month?: string; from?: string; to?: string },
  at: number,
): { period: ReportPeriod } | { errors: string[] } {
  const errors: string[] = [];
  let period: ReportPeriod | undefined;
  const hasRange = query.from !== undefined || query.to !== undefined;
  if (query.month !== undefined && hasRange) {
    return { errors: ['month cannot be combined with from/to'] };
  }
  if (query.month !== undefined) {
    if (!MONTH.test(query.month)) {
      errors.push(`month must be a month as YYYY-MM, e.g. 2026-10`);
    } else {
      period = monthPeriod(query.month);
    }
  } else if (hasRange) {
    const from = parseInstant(query.from);
    const to = parseInstant(query.to);
    if (from === undefined) {
      errors.push(
        'from must be an ISO 8601 instant, e.g. 2026-10-01T00:00:00Z',
      );
    }
    if (to === undefined) {
      errors.push('to must be an ISO 8601 instant, e.g. 2026-11-01T00:00:00Z');
    }
    if (from !== undefined && to !== undefined) {
      if (to <= from) errors.push('to must be later than from');
      else if (to - from > MAX_REPORT_PERIOD_MS) {
        errors.push('to must be at most 367 days after from');
      } else period = { start: from, end: to };
    }
  } else {
    period = lastFullMonth(at);
  }
  if (period && period.end > at) {
    errors.push(
      `${
        query.month !== undefined ? 'month' : 'to'
      } must have ended by at (${new Date(
        at,
      ).toISOString()}): a report covers completed time`,
    );
  }
  return errors.length || !period ? { errors } : { period };
}

function parseInstant(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  // An instant needs a date, a time and an offset (Z or ±hh:mm).
  if (
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(
      value,
    )
  ) {
    return undefined;
  }
  const t = Date.parse(value);
  return Number.isFinite(t) ? t : undefined;
}
