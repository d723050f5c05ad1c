import type { Interval } from '../domain';
import { DAY_MS, HOUR_MS, ceilTo, floorTo } from './rollupLevels';

/** Pieces of an interval set, by the level that answers each. */
export type Coverage = { raw: Interval[]; hour: Interval[]; day: Interval[] };

/**
 * Splits included intervals (a window minus maintenance, say) into pieces
 * that rollups answer: whole UTC days from daily sums, whole hours from
 * hourly sums, and only the ragged edges from raw rows. A year-long window
 * then reads about 400 daily rows instead of half a million samples.
 */
export function planCoverage(intervals: Interval[]): Coverage {
  const coverage: Coverage = { raw: [], hour: [], day: [] };
  for (const { start, end } of intervals) {
    if (end <= start) continue;
    const hourStart = ceilTo(start, HOUR_MS);
    const hourEnd = floorTo(end, HOUR_MS);
    if (hourStart >= hourEnd) {
      coverage.raw.push({ start, end });
      continue;
    }
    if (start < hourStart) coverage.raw.push({ start, end: hourStart });
    const dayStart = ceilTo(hourStart, DAY_MS);
    const dayEnd = floorTo(hourEnd, DAY_MS);
    if (dayStart < dayEnd) {
      if (hourStart < dayStart)
        coverage.hour.push({ start: hourStart, end: dayStart });
      coverage.day.push({ start: dayStart, end: dayEnd });
      if (dayEnd < hourEnd) coverage.hour.push({ start: dayEnd, end: hourEnd });
    } else {
      coverage.hour.push({ start: hourStart, end: hourEnd });
    }
    if (hourEnd < end) coverage.raw.push({ start: hourEnd, end });
  }
  return coverage;
}
