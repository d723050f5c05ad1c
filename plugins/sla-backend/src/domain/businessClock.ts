import {
  BusinessCalendar,
  Weekday,
} from '@opensla/backstage-plugin-sla-common';
import { Interval } from './Interval';
import { mergeIntervals } from './mergeIntervals';
import {
  DAY_MS,
  localDateDay,
  localTimeMs,
  weekdayOfDay,
  zoneTime,
} from './zoneTime';

const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/**
 * An SLA clock: how much counting time passes between two instants, and when
 * a given amount has passed. Time counts inside the calendar's opening hours
 * (all the time without a calendar) and never inside `excluded` intervals
 * (agreed maintenance: the clock is paused).
 */
export type BusinessClock = {
  /** Counting milliseconds in [from, to); 0 when to ≤ from. */
  elapsed(from: number, to: number): number;
  /**
   * The instant at which the counting time since `from` passes `durationMs`:
   * elapsed(from, t) > durationMs exactly for t > deadline. When the amount
   * is used up at a closing time, the deadline is the next moment the clock
   * runs again (the next opening), because until then nothing has been
   * exceeded. Infinity when the clock never runs (a calendar without any
   * opening hours).
   */
  deadline(from: number, durationMs: number): number;
};

/**
 * Builds a clock for one evaluation. Opening hours are resolved per local day
 * in the calendar's zone (so 09:00–17:00 is 8 h on both sides of a DST
 * change) and cached per day, because evaluating many long-open events asks
 * for the same days again and again.
 */
export function businessClock(
  calendar: BusinessCalendar | undefined,
  excluded: Interval[] = [],
): BusinessClock {
  const paused = mergeIntervals(excluded);
  const openings = calendar ? calendarOpenings(calendar) : undefined;

  // Index of the first paused interval that ends after t.
  const firstPausedEndingAfter = (t: number) => {
    let lo = 0;
    let hi = paused.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (paused[mid].end <= t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  };

  const runningWithin = (start: number, end: number) => {
    let total = end - start;
    for (let i = firstPausedEndingAfter(start); i < paused.length; i++) {
      const p = paused[i];
      if (p.start >= end) break;
      total -= Math.min(end, p.end) - Math.max(start, p.start);
    }
    return total;
  };

  // Consumes `remaining` ms of running time within [start, end); returns the
  // instant it runs out, or the ms still left when the span is used up.
  const consume = (
    start: number,
    end: number,
    remaining: number,
  ): { at: number } | { left: number } => {
    let cursor = start;
    let left = remaining;
    for (let i = firstPausedEndingAfter(start); cursor < end; i++) {
      const p = paused[i];
      const runUntil = p && p.start < end ? Math.max(p.start, cursor) : end;
      if (left < runUntil - cursor) return { at: cursor + left };
      left -= runUntil - cursor;
      if (!p || p.start >= end) break;
      cursor = Math.max(cursor, p.end);
    }
    return { left };
  };

  // A NaN budget or start would never run out and an infinite budget cannot:
  // each would spin the day loop forever.
  const checkBudget = (from: number, durationMs: number) => {
    if (!Number.isFinite(from)) {
      throw new Error(`Invalid instant: ${from}`);
    }
    if (Number.isNaN(durationMs) || durationMs < 0) {
      throw new Error(`Invalid duration: ${durationMs} ms`);
    }
    return durationMs !== Infinity;
  };

  if (!openings) {
    return {
      elapsed: (from, to) => (to > from ? runningWithin(from, to) : 0),
      deadline(from, durationMs) {
        if (!checkBudget(from, durationMs)) return Infinity;
        const result = consume(from, Infinity, durationMs);
        return 'at' in result ? result.at : Infinity;
      },
    };
  }

  return {
    elapsed(from, to) {
      if (to <= from) return 0;
      let total = 0;
      const lastDay = openings.dayOf(to);
      for (let day = openings.dayOf(from); day <= lastDay; day++) {
        for (const open of openings.ofDay(day)) {
          const start = Math.max(open.start, from);
          const end = Math.min(open.end, to);
          if (end > start) total += runningWithin(start, end);
        }
      }
      return total;
    },
    deadline(from, durationMs) {
      if (!checkBudget(from, durationMs) || !openings.everOpen) return Infinity;
      let left = durationMs;
      for (let day = openings.dayOf(from); ; day++) {
        for (const open of openings.ofDay(day)) {
          if (open.end <= from) continue;
          const result = consume(Math.max(open.start, from), open.end, left);
          if ('at' in result) return result.at;
          left = result.left;
        }
      }
    },
  };
}

type CalendarOpenings = {
  everOpen: boolean;
  dayOf(t: number): number;
  /** Opening intervals (instants) of a local day, sorted and disjoint. */
  ofDay(day: number): Interval[];
};

function calendarOpenings(calendar: BusinessCalendar): CalendarOpenings {
  const zone = zoneTime(calendar.timeZone);
  const weekly = WEEKDAYS.map(weekday =>
    (calendar.openingHours[weekday] ?? [])
      .map(([from, to]) => ({ from: localTimeMs(from), to: localTimeMs(to) }))
      .filter(({ from, to }) => to > from),
  );
  const holidays = new Set(
    (calendar.holidays ?? []).map(localDateDay).filter(Number.isFinite),
  );
  const cache = new Map<number, Interval[]>();
  return {
    everOpen: weekly.some(hours => hours.length > 0),
    dayOf: zone.dayOf,
    ofDay(day) {
      let intervals = cache.get(day);
      if (!intervals) {
        const midnight = day * DAY_MS;
        intervals = holidays.has(day)
          ? []
          : mergeIntervals(
              weekly[weekdayOfDay(day)].flatMap(({ from, to }) =>
                zone.wallRange(midnight + from, midnight + to),
              ),
            );
        cache.set(day, intervals);
      }
      return intervals;
    },
  };
}
