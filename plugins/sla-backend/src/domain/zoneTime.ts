import { IANAZone } from 'luxon';
import { Interval } from './Interval';

/** Milliseconds in a day of wall-clock time. */
export const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/**
 * Wall-clock arithmetic in one IANA time zone.
 *
 * A "wall" value is a local date and time written as if it were UTC epoch
 * milliseconds (2024-03-31 02:00 local → Date.UTC(2024, 2, 31, 2)), so that
 * local days are plain integer divisions and "24:00" is simply the next
 * midnight.
 */
export type ZoneTime = {
  /** UTC offset in milliseconds in force at instant `t`. */
  offset(t: number): number;
  /** Local day number (days since 1970-01-01 on the local calendar) of instant `t`. */
  dayOf(t: number): number;
  /**
   * The instants whose local wall-clock time lies in [wallStart, wallEnd):
   * usually one interval; none or a shorter one when the span falls into a
   * spring-forward gap; a longer one when it covers a repeated autumn hour.
   */
  wallRange(wallStart: number, wallEnd: number): Interval[];
};

/** 0 = Monday … 6 = Sunday of a local day number (1970-01-01 was a Thursday). */
export function weekdayOfDay(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/** Builds the wall-clock helpers of `timeZone`; throws on an unknown zone. */
const OFFSET_MEMO = new Map<string, Map<number, number>>();
const OFFSET_MEMO_LIMIT = 100_000;

export function zoneTime(timeZone: string): ZoneTime {
  const zone = IANAZone.create(timeZone);
  if (!zone.isValid) {
    throw new Error(`Unknown time zone: ${timeZone}`);
  }
  // luxon's offset look-up costs about 14 µs; the same instants (local
  // midnights, maintenance starts) come back for every target and request.
  let memo = OFFSET_MEMO.get(timeZone);
  if (!memo) {
    memo = new Map();
    OFFSET_MEMO.set(timeZone, memo);
  }
  const cache = memo;
  const offset = (t: number) => {
    let o = cache.get(t);
    if (o === undefined) {
      if (cache.size >= OFFSET_MEMO_LIMIT) cache.clear();
      o = zone.offset(t) * MINUTE_MS;
      cache.set(t, o);
    }
    return o;
  };

  // First instant in (lo, hi] whose offset differs from `before`; the caller
  // guarantees offset(lo) === before and offset(hi) !== before.
  const transitionBetween = (lo: number, hi: number, before: number) => {
    let a = lo;
    let b = hi;
    while (b - a > 1) {
      const mid = Math.floor((a + b) / 2);
      if (offset(mid) === before) {
        a = mid;
      } else {
        b = mid;
      }
    }
    return b;
  };

  return {
    offset,
    dayOf(t) {
      return Math.floor((t + offset(t)) / DAY_MS);
    },
    wallRange(wallStart, wallEnd) {
      if (wallEnd <= wallStart) return [];
      // Offsets are probed a day beyond the span on each side: real zones
      // change offset at most once in such a three-day stretch.
      const lo = wallStart - DAY_MS;
      const hi = wallEnd + DAY_MS;
      const before = offset(lo);
      const after = offset(hi);
      if (before === after) {
        return [{ start: wallStart - before, end: wallEnd - before }];
      }
      // Around a transition at T the instants before T read wall = t + before
      // and those from T on read wall = t + after; taking each regime's share
      // gives exactly the instants showing a wall time in the span, so a
      // skipped hour contributes nothing and a repeated hour counts twice.
      const transition = transitionBetween(lo, hi, before);
      const pieces: Interval[] = [];
      const early = {
        start: wallStart - before,
        end: Math.min(wallEnd - before, transition),
      };
      const late = {
        start: Math.max(wallStart - after, transition),
        end: wallEnd - after,
      };
      if (early.end > early.start) pieces.push(early);
      if (late.end > late.start) {
        const last = pieces[pieces.length - 1];
        if (last && late.start <= last.end) {
          last.end = Math.max(last.end, late.end);
        } else {
          pieces.push(late);
        }
      }
      return pieces;
    },
  };
}

/** "HH:mm" (or "24:00") → milliseconds after local midnight; NaN when malformed. */
export function localTimeMs(value: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(value);
  if (!match) return NaN;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes > 59 || hours * 60 + minutes > 24 * 60) return NaN;
  return (hours * 60 + minutes) * MINUTE_MS;
}

/** "YYYY-MM-DD" → local day number; NaN when malformed. */
export function localDateDay(value: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return NaN;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return ms / DAY_MS;
}
