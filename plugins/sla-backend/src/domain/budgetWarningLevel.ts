/** How much of the error budget is gone, in steps worth a notification. */
export type BudgetWarningLevel = 0 | 50 | 75 | 100;

/**
 * The highest of 50 / 75 / 100 % of the error budget consumed (consumed
 * fraction = 1 − remaining; null, an infinitely overspent budget, is 100).
 * Compared on `remaining` directly so that 0.25 left is exactly 75 % used.
 */
export function budgetWarningLevel(
  remaining: number | null,
): BudgetWarningLevel {
  if (remaining === null || remaining <= 0) return 100;
  if (remaining <= 0.25) return 75;
  if (remaining <= 0.5) return 50;
  return 0;
}
