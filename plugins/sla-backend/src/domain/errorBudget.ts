import { allowedBadFraction } from './allowedBadFraction';
import { roundSignificant } from './roundSignificant';

/**
 * `allowed` and `consumed` in the target's unit (events for ratio, slices
 * for threshold, events for duration); `remaining` is a fraction of
 * `allowed`, below 0 once overspent, and null for "minus infinity" (something
 * was consumed from a budget of 0).
 */
export type ErrorBudget = {
  allowed: number;
  consumed: number;
  remaining: number | null;
};

/**
 * The error budget of a target: allowed = (1 − o) × base, where base is
 * Σtotal (ratio), slices with data (threshold) or counted events (duration);
 * remaining = 1 − consumed / allowed. With nothing allowed (objective 100 %,
 * or no data) the budget is whole while nothing is consumed and gone (null)
 * as soon as anything is.
 */
export function errorBudget({
  objective,
  allowedBase,
  consumed,
}: {
  objective: number;
  allowedBase: number;
  consumed: number;
}): ErrorBudget {
  const allowed = roundSignificant(allowedBadFraction(objective) * allowedBase);
  if (!(allowed > 0)) {
    return { allowed, consumed, remaining: consumed > 0 ? null : 1 };
  }
  return {
    allowed,
    consumed,
    remaining: roundSignificant(1 - consumed / allowed),
  };
}
