import { BusinessCalendar } from '@opensla/backstage-plugin-sla-common';
import { Interval } from './Interval';
import { businessClock } from './businessClock';

/**
 * The instant at which the counting time since `from` passes
 * `maxDurationMs` — the moment an event open since `from` fails. An event is
 * failed at `at` exactly when its deadline is before `at`. Infinity when a
 * calendar never opens.
 */
export function businessDeadline(
  calendar: BusinessCalendar | undefined,
  from: number,
  maxDurationMs: number,
  excluded: Interval[] = [],
): number {
  return businessClock(calendar, excluded).deadline(from, maxDurationMs);
}
