import { DateTime } from 'luxon';

/** A month a report can be asked for: `2026-10` and "October 2026". */
export type ReportMonth = { value: string; label: string };

/**
 * The last `count` full UTC months before `now`, newest first: the first is
 * the backend's default period (the last full month). Months are UTC months
 * because the backend's are (docs/api.md).
 */
export function reportMonths(now: number, count = 12): ReportMonth[] {
  const current = DateTime.fromMillis(now, { zone: 'utc' }).startOf('month');
  return Array.from({ length: count }, (_, i) => {
    const month = current.minus({ months: i + 1 });
    return {
      value: month.toFormat('yyyy-MM'),
      label: month.setLocale('en-GB').toFormat('LLLL yyyy'),
    };
  });
}

/** "October 2026" for `2026-10`, or "1 Oct 2026 – 8 Oct 2026" for another period. */
export function describeReportPeriod(period: {
  start: string;
  end: string;
  month?: string;
}): string {
  if (period.month) {
    return DateTime.fromFormat(period.month, 'yyyy-MM', { zone: 'utc' })
      .setLocale('en-GB')
      .toFormat('LLLL yyyy');
  }
  const day = (iso: string) =>
    DateTime.fromISO(iso, { zone: 'utc' })
      .setLocale('en-GB')
      .toFormat('d LLL yyyy');
  // The end is exclusive: show the last day the period covers.
  const last = DateTime.fromISO(period.end, { zone: 'utc' }).minus({
    milliseconds: 1,
  });
  return `${day(period.start)} – ${day(last.toISO()!)}`;
}
