import { Interval } from './Interval';
import { isInside } from './isInside';
import { mergeIntervals } from './mergeIntervals';

/** The timeslice a threshold target uses when it names none. */
export const DEFAULT_TIMESLICE = 'PT1M';

/** @see evaluateThresholdSlices */
export type ThresholdOptions = {
  operator: 'lte' | 'gte';
  threshold: number;
  /** Slice length; slices are aligned to the Unix epoch. */
  sliceMs: number;
  /** Maintenance: samples inside are left out, as if there were no data. */
  excluded: Interval[];
  /** The window [start, end). */
  start: number;
  end: number;
};

/**
 * Counts good and bad timeslices. A slice counts only when it holds at least
 * one sample in the window and outside `excluded`; it is judged by its worst
 * value (the highest for `lte`, the lowest for `gte`), so one bad reading
 * spoils the slice. Non-finite values are not data and are ignored.
 */
export function evaluateThresholdSlices(
  samples: Array<{ t: number; value: number }>,
  options: ThresholdOptions,
): { good: number; bad: number } {
  const { operator, threshold, sliceMs, start, end } = options;
  if (!(sliceMs > 0)) {
    throw new Error(`Invalid timeslice length: ${sliceMs} ms`);
  }
  const excluded = mergeIntervals(options.excluded);
  const worse =
    operator === 'lte'
      ? (a: number, b: number) => Math.max(a, b)
      : (a: number, b: number) => Math.min(a, b);
  const worst = new Map<number, number>();
  for (const { t, value } of samples) {
    if (t < start || t >= end || !Number.isFinite(value)) continue;
    if (isInside(t, excluded)) continue;
    const slice = Math.floor(t / sliceMs);
    const previous = worst.get(slice);
    worst.set(slice, previous === undefined ? value : worse(previous, value));
  }
  let good = 0;
  for (const value of worst.values()) {
    const meets = operator === 'lte' ? value <= threshold : value >= threshold;
    if (meets) good++;
  }
  return { good, bad: worst.size - good };
}
