import { DateTime, Duration } from 'luxon';

const DATE_INTERVAL = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/;
const EXPLICIT_OFFSET = /(?:Z|[+-]\d\d:?\d\d)$/;

/** Sums already computed (the same agreements are read on every request). */
const sums = new Map<string, string>();

const daysInMonth = (year: number, month0: number) =>
  new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();

/**
 * `instant` plus an ISO 8601 interval, in UTC, as an ISO instant. Calendar
 * arithmetic as luxon's (years and months first, the day clamped to the
 * target month's length, then weeks and days). Plain date intervals on an
 * instant with an explicit offset take a fast path (a portfolio computes
 * tens of thousands of review schedules per request); anything else goes
 * through luxon.
 */
export function plusInterval(instant: string, interval: string): string {
  const key = `${instant}|${interval}`;
  let result = sums.get(key);
  if (result === undefined) {
    if (sums.size > 100_000) sums.clear();
    result = compute(instant, interval);
    sums.set(key, result);
  }
  return result;
}

function compute(instant: string, interval: string): string {
  const m = DATE_INTERVAL.exec(interval);
  const t = EXPLICIT_OFFSET.test(instant) ? Date.parse(instant) : NaN;
  if (!m || interval === 'P' || !Number.isFinite(t)) {
    return DateTime.fromISO(instant, { zone: 'utc' })
      .plus(Duration.fromISO(interval))
      .toISO()!;
  }
  const [years, months, weeks, days] = m
    .slice(1)
    .map(x => (x === undefined ? 0 : Number(x)));
  const d = new Date(t);
  const month0 = d.getUTCMonth() + months;
  const year = d.getUTCFullYear() + years + Math.floor(month0 / 12);
  const targetMonth = ((month0 % 12) + 12) % 12;
  const day =
    Math.min(d.getUTCDate(), daysInMonth(year, targetMonth)) + days + weeks * 7;
  return new Date(
    Date.UTC(
      year,
      targetMonth,
      day,
      d.getUTCHours(),
      d.getUTCMinutes(),
      d.getUTCSeconds(),
      d.getUTCMilliseconds(),
    ),
  ).toISOString();
}
