import {
  evaluateThresholdSlices,
  ThresholdOptions,
} from './evaluateThresholdSlices';

/**
 * `evaluateThresholdSlices` over pre-aggregated buckets (e.g. per-minute
 * min/max rollups). Each bucket stands for its samples at its own timestamp
 * `t`: it must be aligned to the epoch and its length must divide the slice
 * length, so that a PT5M slice combines five 1-minute buckets and the worst
 * of them wins. Only the extreme that can spoil a slice matters (max for
 * `lte`, min for `gte`). A bucket counts or is excluded as a whole, decided
 * at `t`; this matches per-sample evaluation when window ends and
 * maintenance boundaries fall on bucket boundaries.
 */
export function evaluateThresholdBuckets(
  buckets: Array<{ t: number; min: number; max: number }>,
  options: ThresholdOptions,
): { good: number; bad: number } {
  const useMax = options.operator === 'lte';
  return evaluateThresholdSlices(
    buckets.map(b => ({ t: b.t, value: useMax ? b.max : b.min })),
    options,
  );
}
