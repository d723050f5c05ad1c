import { Interval, mergeIntervals, subtractIntervals } from '../domain';
import { DAY_MS, HOUR_MS, WEEK_MS, ceilTo, floorTo } from './rollupLevels';

/** Pieces of an interval set, by the level that answers each. */
export type Coverage = {
  raw: Interval[];
  hour: Interval[];
  day: Interval[];
  week: Interval[];
};

/**
 * A range to count: what `plus` covers minus what `minus` covers, plus the
 * timeslices in `back` judged on the samples inside `back` only (threshold
 * targets; `back` is empty otherwise).
 */
export type SignedCoverage = {
  plus: Coverage;
  minus: Coverage;
  /**
   * The parts of the timeslices that straddle a maintenance boundary which
   * lie outside maintenance (and inside the range). All of them are judged
   * together, so a slice with a part on each side of a short maintenance
   * counts once, by its worst sample in either part.
   */
  back: Interval[];
};

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
 *
 * With `sliceMs` (threshold targets), a timeslice that straddles a
 * maintenance boundary must be judged on its samples outside maintenance
 * (product.md §3: samples inside are "as if there were no data"). The plus
 * side counts such a slice by all its samples and the rollups cannot say
 * which of them lie where, so the minus side takes the excluded parts
 * widened to whole slices (clipped to the range: removing exactly what the
 * plus side counted for those slices) and `back` holds the parts of the
 * widened spans outside maintenance, whose samples judge those slices anew.
 * Without `sliceMs` (ratio: no slices) nothing is widened.
 */
export function planSignedCoverage(
  range: Interval,
  excluded: Interval[],
  sliceMs?: number,
  options?: { alignEdges?: boolean },
): SignedCoverage {
  const clip = (within: Interval) => (e: Interval) => ({
    start: Math.max(e.start, within.start),
    end: Math.min(e.end, within.end),
  });
  let inside = excluded.map(clip(range)).filter(e => e.end > e.start);
  let read = range;
  if (options?.alignEdges) {
    const aligned = alignEdges(range);
    if (aligned.extra.length) {
      read = aligned.range;
      inside = mergeIntervals([...inside, ...aligned.extra]);
    }
  }
  if (!sliceMs) {
    return {
      plus: planCoverage([read]),
      minus: planCoverage(mergeIntervals(inside)),
      back: [],
    };
  }
  const widened = mergeIntervals(
    inside.map(e =>
      clip(read)({
        start: floorTo(e.start, sliceMs),
        end: ceilTo(e.end, sliceMs),
      }),
    ),
  );
  return {
    plus: planCoverage([read]),
    minus: planCoverage(widened),
    back: widened.flatMap(w => subtractIntervals(w, inside)),
  };
}

/**
 * A range whose ends lie close after (start) or before (end) an hour
 * boundary, widened to that boundary, and the added parts, to be planned
 * as excluded: a window whose start sits 5 minutes into an hour then reads
 * the hour's rollup minus 5 minutes of raw rows instead of 55 minutes of
 * them. Sums are the same; threshold slices cut by the old edge are judged
 * on their samples inside the range, as for maintenance.
 */
export function alignEdges(range: Interval): {
  range: Interval;
  extra: Interval[];
} {
  const extra: Interval[] = [];
  let { start, end } = range;
  const below = floorTo(start, HOUR_MS);
  const above = ceilTo(start, HOUR_MS);
  if (start > below && start - below < above - start && above <= end) {
    extra.push({ start: below, end: start });
    start = below;
  }
  const before = floorTo(end, HOUR_MS);
  const after = ceilTo(end, HOUR_MS);
  if (end < after && after - end < end - before && before >= start) {
    extra.push({ start: end, end: after });
    end = after;
  }
  return { range: { start, end }, extra };
}
