import type { Interval } from '../domain';
import { DAY_MS, HOUR_MS, WEEK_MS, ceilTo, floorTo } from './rollupLevels';

/** Pieces of an interval set, by the level that answers each. */
export type Coverage = {
  raw: Interval[];
  hour: Interval[];
  day: Interval[];
  week: Interval[];
};

/** A range to count: what `plus` covers minus what `minus` covers. */
export type SignedCoverage = { plus: Coverage; minus: Coverage };

const LEVELS: Array<[keyof Coverage, number]> = [
  ['week', WEEK_MS],
  ['day', DAY_MS],
  ['hour', HOUR_MS],
];

export const emptyCoverage = (): Coverage => ({
  raw: [],
  hour: [],
  day: [],
  week: [],
});

function decompose(start: number, end: number, level: number, into: Coverage) {
  if (end <= start) return;
  if (level >= LEVELS.length) {
    into.raw.push({ start, end });
    return;
  }
  const [name, size] = LEVELS[level];
  const inner = ceilTo(start, size);
  const outer = floorTo(end, size);
  if (inner >= outer) {
    decompose(start, end, level + 1, into);
    return;
  }
  decompose(start, inner, level + 1, into);
  into[name].push({ start: inner, end: outer });
  decompose(outer, end, level + 1, into);
}

/**
 * Splits intervals into pieces that rollups answer: whole epoch-aligned
 * weeks, UTC days and hours from their sums, and only the ragged edges from
 * raw rows. A year reads about 52 weekly rows instead of half a million
 * samples.
 */
export function planCoverage(intervals: Interval[]): Coverage {
  const coverage = emptyCoverage();
  for (const { start, end } of intervals) decompose(start, end, 0, coverage);
  return coverage;
}

/**
 * A range minus excluded intervals (maintenance), planned as the whole range
 * minus the excluded parts inside it: the range's big rollup buckets stay
 * whole, and only the short excluded spans are read at a finer level.
 */
export function planSignedCoverage(
  range: Interval,
  excluded: Interval[],
): SignedCoverage {
  const inside = excluded
    .map(e => ({
      start: Math.max(e.start, range.start),
      end: Math.min(e.end, range.end),
    }))
    .filter(e => e.end > e.start);
  return { plus: planCoverage([range]), minus: planCoverage(inside) };
}
