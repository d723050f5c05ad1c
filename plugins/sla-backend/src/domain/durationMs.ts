import { Duration } from 'luxon';

/**
 * Fixed length of an ISO 8601 duration in milliseconds, for lengths that are
 * not anchored to a date (maximum durations, timeslices): luxon's casual
 * conversion, so 1 D = 24 h, 1 W = 7 D, 1 M = 30 D, 1 Y = 365 D. Throws on
 * an invalid duration: targets are validated before they reach the engine.
 */
export function durationMs(iso: string): number {
  const duration = Duration.fromISO(iso);
  if (!duration.isValid) {
    throw new Error(`Invalid ISO 8601 duration: ${iso}`);
  }
  return duration.toMillis();
}
