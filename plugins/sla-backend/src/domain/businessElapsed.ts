import { BusinessCalendar } from '@opensla/backstage-plugin-sla-common';
import { Interval } from './Interval';
import { businessClock } from './businessClock';

/**
 * Counting milliseconds between `from` and `to`: wall time without a
 * calendar, the overlap with opening hours (in the calendar's zone, holidays
 * closed) with one; time inside `excluded` (maintenance) never counts. For
 * many calls in one evaluation build a `businessClock` once instead.
 */
export function businessElapsed(
  calendar: BusinessCalendar | undefined,
  from: number,
  to: number,
  excluded: Interval[] = [],
): number {
  return businessClock(calendar, excluded).elapsed(from, to);
}
