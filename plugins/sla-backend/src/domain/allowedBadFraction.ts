import { roundSignificant } from './roundSignificant';

/** 1 − o for an objective o in percent: the fraction allowed to be bad. */
export function allowedBadFraction(objectivePercent: number): number {
  return roundSignificant((100 - objectivePercent) / 100);
}
