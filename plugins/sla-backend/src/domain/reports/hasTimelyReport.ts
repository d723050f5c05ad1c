import { DateTime } from 'luxon';
import { lastFullMonth } from './reportPeriod';

/** Days after a period's end within which its report must be published. */
export const DEFAULT_REPORT_GRACE_DAYS = 5;

/** What the rule needs of a published report. */
export type ReportPublication = {
  /** Period start and end, epoch ms. */
  periodStart: number;
  periodEnd: number;
  publishedAt: number;
};

/**
 * Whether a service has timely reports at `at` (seed 000 Table 2.4: "timely
 * reports"). Reports are monthly (UTC months). The service is timely when the
 * report of its last completed month was published within `graceDays` after
 * that month ended. While `at` is itself within the grace of the last month,
 * the month before counts instead (its report was due already), and a last
 * month already published counts too. Publications after `at` are not seen.
 */
export function hasTimelyReport(
  publications: ReportPublication[],
  at: number,
  graceDays: number = DEFAULT_REPORT_GRACE_DAYS,
): boolean {
  return timelyReportRule(at, graceDays)(publications);
}

/**
 * hasTimelyReport at one `at` for many services: the months and their
 * deadlines are worked out once.
 */
export function timelyReportRule(
  at: number,
  graceDays: number = DEFAULT_REPORT_GRACE_DAYS,
): (publications: ReportPublication[]) => boolean {
  const graceMs = graceDays * 86_400_000;
  const last = lastFullMonth(at);
  const before = {
    start: DateTime.fromMillis(last.start, { zone: 'utc' })
      .minus({ months: 1 })
      .toMillis(),
    end: last.start,
  };
  const publishedInTime = (
    publications: ReportPublication[],
    period: { start: number; end: number },
  ) =>
    publications.some(
      p =>
        p.periodStart === period.start &&
        p.periodEnd === period.end &&
        p.publishedAt <= at &&
        p.publishedAt <= period.end + graceMs,
    );
  const beforeCounts = at < last.end + graceMs;
  return publications =>
    publishedInTime(publications, last) ||
    (beforeCounts && publishedInTime(publications, before));
}
