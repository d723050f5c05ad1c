/**
 * Attainment in percent: good / total × 100, or null when nothing was counted
 * (no data is not 0 %). Also serves threshold (good slices / slices with data)
 * and duration targets (met / counted events).
 */
export function ratioAttainment({
  good,
  total,
}: {
  good: number;
  total: number;
}): number | null {
  if (!(total > 0)) return null;
  // Multiplying first keeps exact ratios exact (999 of 1000 → 99.9, not
  // 99.90000000000001), so attainment equal to the objective is not a breach.
  return (good * 100) / total;
}
