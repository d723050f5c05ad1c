import { Interval } from './Interval';

/**
 * Sorts intervals and unions those that overlap or touch; empty intervals
 * (end ≤ start) are dropped. The result is what the binary-searching helpers
 * (`isInside`) expect.
 */
export function mergeIntervals(intervals: Interval[]): Interval[] {
  const sorted = intervals
    .filter(i => i.end > i.start)
    .sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const last = merged[merged.length - 1];
    if (last && interval.start <= last.end) {
      last.end = Math.max(last.end, interval.end);
    } else {
      // Copy so that callers' objects are never mutated by a later union.
      merged.push({ start: interval.start, end: interval.end });
    }
  }
  return merged;
}
