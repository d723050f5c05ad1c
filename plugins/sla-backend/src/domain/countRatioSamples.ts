import { Interval } from './Interval';
import { isInside } from './isInside';
import { mergeIntervals } from './mergeIntervals';

/**
 * Σgood and Σtotal of ratio measurements in [start, end), leaving out those
 * timestamped inside `excluded` (maintenance) as if there were no data. The
 * store sums in SQL; this is the in-memory reference of the same rule.
 */
export function countRatioSamples(
  samples: Array<{ t: number; good: number; total: number }>,
  options: { start: number; end: number; excluded: Interval[] },
): { good: number; total: number } {
  const excluded = mergeIntervals(options.excluded);
  let good = 0;
  let total = 0;
  for (const sample of samples) {
    if (sample.t < options.start || sample.t >= options.end) continue;
    if (isInside(sample.t, excluded)) continue;
    good += sample.good;
    total += sample.total;
  }
  return { good, total };
}
