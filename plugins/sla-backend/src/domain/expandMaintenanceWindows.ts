import {
  MaintenanceWindow,
  Weekday,
} from '@opensla/backstage-plugin-sla-common';
import { DateTime } from 'luxon';
import { Interval } from './Interval';
import { mergeIntervals } from './mergeIntervals';
import { DAY_MS, localTimeMs, weekdayOfDay, zoneTime } from './zoneTime';

const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/**
 * The instants covered by an agreement's maintenance windows within
 * [start, end), clipped, sorted and merged.
 *
 * One-off windows are ISO instants; one written without an offset is read in
 * the window's `timeZone` (UTC when it has none). Weekly windows repeat in
 * local time of their `timeZone` (falling back to `defaultTimeZone`, the
 * agreement's calendar zone when the caller knows one), and cover exactly the
 * instants whose wall clock shows a time in [from, to) on that weekday: on the
 * spring-forward night the skipped hour simply does not occur (Sunday
 * 02:00–04:00 in Europe/Berlin lasts one hour, 01:00–02:00 UTC), and on the
 * autumn night the repeated hour occurs twice (the same window lasts three
 * hours, 00:00–03:00 UTC). Malformed entries are skipped rather than
 * failing the whole evaluation; the API validates them on input.
 */
export function expandMaintenanceWindows(
  windows: MaintenanceWindow[],
  start: number,
  end: number,
  defaultTimeZone = 'UTC',
): Interval[] {
  if (end <= start) return [];
  const expanded: Interval[] = [];
  for (const window of windows) {
    if (window.weekly) {
      expanded.push(
        ...expandWeekly(
          window.weekly,
          window.timeZone ?? defaultTimeZone,
          start,
          end,
        ),
      );
    } else if (window.start !== undefined && window.end !== undefined) {
      const zone = window.timeZone ?? 'utc';
      const from = DateTime.fromISO(window.start, { zone }).toMillis();
      const to = DateTime.fromISO(window.end, { zone }).toMillis();
      if (Number.isFinite(from) && Number.isFinite(to)) {
        expanded.push({ start: from, end: to });
      }
    }
  }
  const clipped = expanded.map(i => ({
    start: Math.max(i.start, start),
    end: Math.min(i.end, end),
  }));
  return mergeIntervals(clipped);
}

function expandWeekly(
  weekly: NonNullable<MaintenanceWindow['weekly']>,
  timeZone: string,
  start: number,
  end: number,
): Interval[] {
  const weekday = WEEKDAYS.indexOf(weekly.day);
  const from = localTimeMs(weekly.from);
  const to = localTimeMs(weekly.to);
  if (weekday < 0 || !(to > from)) return [];
  const zone = zoneTime(timeZone);
  const intervals: Interval[] = [];
  // A window on local day d lies within that day, so the local days of the
  // range's ends bound the days worth looking at.
  const firstDay = zone.dayOf(start);
  const lastDay = zone.dayOf(end);
  const skip = (weekday - weekdayOfDay(firstDay) + 7) % 7;
  for (let day = firstDay + skip; day <= lastDay; day += 7) {
    const midnight = day * DAY_MS;
    intervals.push(...zone.wallRange(midnight + from, midnight + to));
  }
  return intervals;
}
