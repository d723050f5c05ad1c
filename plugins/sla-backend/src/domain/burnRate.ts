import { allowedBadFraction } from './allowedBadFraction';
import { roundSignificant } from './roundSignificant';

/**
 * The burn rate reported when something went bad under a 100 % objective,
 * whose budget is 0: the rate is infinite, but JSON has no Infinity
 * (JSON.stringify turns it into null, which means "no data" here). The
 * largest double stays a number, sorts above every real rate and fires every
 * alert; UIs may show it as "∞".
 */
export const INFINITE_BURN_RATE = Number.MAX_VALUE;

/**
 * How fast the error budget burns over a look-back: (bad / total) / (1 − o).
 * 1 spends exactly the budget over the window's length; null without data.
 * Nothing bad is a rate of 0 even under a 100 % objective.
 */
export function burnRate(
  { bad, total }: { bad: number; total: number },
  objective: number,
): number | null {
  if (!(total > 0)) return null;
  if (!(bad > 0)) return 0;
  const allowed = allowedBadFraction(objective);
  if (!(allowed > 0)) return INFINITE_BURN_RATE;
  return roundSignificant(bad / total / allowed);
}
