import { Interval } from './Interval';
import { mergeIntervals } from './mergeIntervals';

/**
 * Milliseconds of `interval` covered by `others`. `others` may overlap each
 * other: they are merged first so that shared time is counted once.
 */
export function intersectionLength(
  interval: Interval,
  others: Interval[],
): number {
  let total = 0;
  for (const other of mergeIntervals(others)) {
    if (other.start >= interval.end) break;
    const start = Math.max(interval.start, other.start);
    const end = Math.min(interval.end, other.end);
    if (end > start) total += end - start;
  }
  return total;
}
