import { Interval } from './Interval';

/**
 * Whether instant `t` lies in one of `intervals`, which must be sorted and
 * disjoint (as `mergeIntervals` returns them). Binary search, because it runs
 * once per sample.
 */
export function isInside(t: number, intervals: Interval[]): boolean {
  let lo = 0;
  let hi = intervals.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const interval = intervals[mid];
    if (t < interval.start) {
      hi = mid - 1;
    } else if (t >= interval.end) {
      lo = mid + 1;
    } else {
      return true;
    }
  }
  return false;
}
