import { burnRate } from './burnRate';
import { budgetWarningLevel, BudgetWarningLevel } from './budgetWarningLevel';
import { errorBudget, ErrorBudget } from './errorBudget';
import { BurnAlert, evaluateBurnAlerts } from './evaluateBurnAlerts';
import { LOOKBACKS, Lookback } from './lookbacks';
import { targetStatus, TargetStatus } from './targetStatus';

/** Good and bad units (requests, slices, events) counted in a range. */
export type Tally = { good: number; bad: number };

export const LOOKBACK_KEYS = Object.keys(LOOKBACKS) as Lookback[];

/**
 * A target's figures from what was counted in its window and in each
 * burn-rate look-back: attainment, error budget, burn rates, alerts, the
 * status and the budget warning level the breach evaluator keeps (0 when
 * nothing was counted).
 */
export function statusOfTallies(
  objective: number,
  window: Tally,
  lookbacks: Record<Lookback, Tally>,
): {
  attainment: number | null;
  budget: ErrorBudget;
  burnRates: Record<Lookback, number | null>;
  alerts: BurnAlert[];
  status: TargetStatus;
  warningLevel: BudgetWarningLevel;
  counted: number;
} {
  const base = window.good + window.bad;
  const attainment = base > 0 ? (window.good * 100) / base : null;
  const budget = errorBudget({
    objective,
    allowedBase: base,
    consumed: window.bad,
  });
  const burnRates = Object.fromEntries(
    LOOKBACK_KEYS.map(k => {
      const l = lookbacks[k];
      return [k, burnRate({ bad: l.bad, total: l.good + l.bad }, objective)];
    }),
  ) as Record<Lookback, number | null>;
  const alerts = evaluateBurnAlerts(burnRates);
  return {
    attainment,
    budget,
    burnRates,
    alerts,
    status: targetStatus({
      counted: base,
      attainment,
      objective,
      remaining: budget.remaining,
      alerts,
    }),
    warningLevel: base > 0 ? budgetWarningLevel(budget.remaining) : 0,
    counted: base,
  };
}
