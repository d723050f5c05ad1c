import { BusinessCalendar } from '@opensla/backstage-plugin-sla-common';
import { Interval } from './Interval';
import { businessClock } from './businessClock';
import { durationMs } from './durationMs';

/** A duration measurement: an incident, a request, a ticket. */
export type DurationEvent = {
  eventId: string;
  start: number;
  end?: number;
  priority?: string;
};

/**
 * Judges the events of a `duration` target for the window [windowStart, at).
 *
 * - Events of another priority than the target's are ignored (exact match;
 *   a target without priority takes every event). Events starting at or
 *   after `at` have not happened yet.
 * - An event closed before `at` belongs to the window holding its end and
 *   meets the target when its elapsed time is ≤ maxDuration.
 * - An event still open at `at` (no end, or an end not reached yet) counts,
 *   as failed, once its elapsed time exceeds maxDuration, and then belongs
 *   to the window holding the instant it failed; otherwise it is left out.
 *
 * Elapsed time is business time when the target has a calendar, and time in
 * `excluded` (maintenance) never counts. `excluded` must cover the events'
 * whole span (from the earliest event start to `at`), not only the window.
 * Events are expected deduplicated by eventId (the store's job).
 */
export function evaluateDurationEvents(
  events: DurationEvent[],
  target: {
    maxDuration: string;
    priority?: string;
    calendar?: BusinessCalendar;
  },
  options: { excluded: Interval[]; windowStart: number; at: number },
): { met: number; failed: number; counted: number; failedEvents: string[] } {
  const { windowStart, at } = options;
  const maxMs = durationMs(target.maxDuration);
  const clock = businessClock(target.calendar, options.excluded);
  let met = 0;
  const failedEvents: string[] = [];
  for (const event of events) {
    if (target.priority !== undefined && event.priority !== target.priority) {
      continue;
    }
    if (event.start >= at) continue;
    if (event.end !== undefined && event.end < at) {
      if (event.end < windowStart) continue;
      if (clock.elapsed(event.start, event.end) <= maxMs) {
        met++;
      } else {
        failedEvents.push(event.eventId);
      }
    } else {
      // The deadline is the instant the elapsed time passes maxDuration, so
      // "failed by `at`" and "failed inside this window" are both simple
      // comparisons with it.
      const failedAt = clock.deadline(event.start, maxMs);
      if (failedAt < at && failedAt >= windowStart) {
        failedEvents.push(event.eventId);
      }
    }
  }
  const failed = failedEvents.length;
  return { met, failed, counted: met + failed, failedEvents };
}
