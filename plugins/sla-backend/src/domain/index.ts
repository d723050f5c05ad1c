/**
 * The math of service level management (product reference §3): pure
 * functions over plain data. Instants are epoch milliseconds; the evaluation
 * instant `at` is always a parameter, never the clock.
 */
export type { Interval } from './Interval';
export { mergeIntervals } from './mergeIntervals';
export { subtractIntervals } from './subtractIntervals';
export { intersectionLength } from './intersectionLength';
export { isInside } from './isInside';
export type { ZoneTime } from './zoneTime';
export {
  zoneTime,
  weekdayOfDay,
  localTimeMs,
  localDateDay,
  DAY_MS,
} from './zoneTime';
export { durationMs } from './durationMs';
export { resolveWindow } from './resolveWindow';
export { expandMaintenanceWindows } from './expandMaintenanceWindows';
export type { BusinessClock } from './businessClock';
export { businessClock } from './businessClock';
export { businessElapsed } from './businessElapsed';
export { businessDeadline } from './businessDeadline';
export { countRatioSamples } from './countRatioSamples';
export { ratioAttainment } from './ratioAttainment';
export type { ThresholdOptions } from './evaluateThresholdSlices';
export {
  evaluateThresholdSlices,
  DEFAULT_TIMESLICE,
} from './evaluateThresholdSlices';
export { evaluateThresholdBuckets } from './evaluateThresholdBuckets';
export type { DurationEvent } from './evaluateDurationEvents';
export { evaluateDurationEvents } from './evaluateDurationEvents';
export { roundSignificant } from './roundSignificant';
export { allowedBadFraction } from './allowedBadFraction';
export type { ErrorBudget } from './errorBudget';
export { errorBudget } from './errorBudget';
export { burnRate, INFINITE_BURN_RATE } from './burnRate';
export type { Lookback } from './lookbacks';
export { LOOKBACKS } from './lookbacks';
export type { BurnAlert } from './evaluateBurnAlerts';
export { evaluateBurnAlerts, BURN_ALERT_RULES } from './evaluateBurnAlerts';
export type { TargetStatus } from './targetStatus';
export { targetStatus, AT_RISK_REMAINING } from './targetStatus';
export type { BudgetWarningLevel } from './budgetWarningLevel';
export { budgetWarningLevel } from './budgetWarningLevel';
export type { Tally } from './statusOfTallies';
export { statusOfTallies, LOOKBACK_KEYS } from './statusOfTallies';
export type { HoldsInput, SampleBucket } from './statusHoldsUntil';
export { statusHoldsUntil, HOLDS_FOREVER } from './statusHoldsUntil';
