/** The state of a target at an instant. */
export type TargetStatus = 'no-data' | 'breached' | 'at-risk' | 'met';

/** Below this share of its error budget left, a target is at risk. */
export const AT_RISK_REMAINING = 0.25;

/**
 * no-data when nothing was counted in the window; breached when attainment
 * is below the objective or the budget is infinitely overspent (remaining
 * null: something bad under a 100 % objective); at-risk when less than 25 %
 * of the budget is left or a page or ticket burn alert fires; met otherwise.
 */
export function targetStatus({
  counted,
  attainment,
  objective,
  remaining,
  alerts,
}: {
  counted: number;
  attainment: number | null;
  objective: number;
  remaining: number | null;
  alerts: Array<{ severity: 'page' | 'ticket' }>;
}): TargetStatus {
  if (!(counted > 0) || attainment === null) return 'no-data';
  if (attainment < objective || remaining === null) return 'breached';
  if (remaining < AT_RISK_REMAINING || alerts.length > 0) return 'at-risk';
  return 'met';
}
