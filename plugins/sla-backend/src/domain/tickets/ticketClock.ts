import {
  BusinessCalendar,
  DEFAULT_TICKET_PAUSE_STATES,
  TICKET_STATES,
  TicketState,
} from '@opensla/backstage-plugin-sla-common';
import { Interval } from '../Interval';
import { businessClock } from '../businessClock';

/** One stored state change of a ticket; `at` in epoch milliseconds. */
export type TicketChange = {
  at: number;
  state: TicketState;
  priority?: string;
};

/** What a ticket clock measures and how (a ticket target's SLI). */
export type TicketClockRule = {
  measure: 'response' | 'resolution';
  maxDurationMs: number;
  /** States that pause the resolution clock (default: waiting on customer or vendor). */
  pauseStates?: readonly TicketState[];
  calendar?: BusinessCalendar;
  /** Agreed maintenance: time inside never counts (a paused clock). */
  maintenance?: Interval[];
};

/** A ticket's clock at one instant (all times epoch ms). */
export type TicketClockReading = {
  /** The ticket's first state change: the clock starts here. */
  startedAt: number;
  elapsedMs: number;
  allowedMs: number;
  clockState: 'running' | 'paused' | 'stopped';
  pausedIn?: TicketState;
  /** Counting at `at` itself (running, open hours, no maintenance). */
  counting: boolean;
  /** When the allowed time runs out if the clock keeps running; undefined when paused or stopped (or never). */
  deadline?: number;
  breached: boolean;
  /** The instant the allowed time ran out, when breached. */
  breachedAt?: number;
  /** When the clock stopped: the response, or the resolution still in force. */
  stoppedAt?: number;
};

const STOP_STATES: readonly TicketState[] = ['resolved', 'closed'];
const rank = (state: TicketState) => TICKET_STATES.indexOf(state);

/**
 * Orders a ticket's changes: by instant, and changes at the same instant in
 * the order of TICKET_STATES (new before in-progress before ... closed), so
 * every replica and every arrival order reads the same history.
 */
export function sortTicketChanges<T extends TicketChange>(changes: T[]): T[] {
  return [...changes].sort(
    (a, b) => a.at - b.at || rank(a.state) - rank(b.state),
  );
}

/** The priority of the latest change up to `at` that carries one. */
export function ticketPriorityAt(
  sortedChanges: TicketChange[],
  at: number,
): string | undefined {
  let priority: string | undefined;
  for (const c of sortedChanges) {
    if (c.at > at) break;
    if (c.priority !== undefined) priority = c.priority;
  }
  return priority;
}

/**
 * A ticket's response or resolution clock at `at`, from its state changes
 * sorted by sortTicketChanges (changes after `at` have not happened yet).
 *
 * - Both clocks start at the ticket's first change (normally `new`).
 * - Response: runs until the first change to any state other than `new`
 *   (the first response), then stops for good.
 * - Resolution: runs in `new`, `in-progress` and any state that is not a
 *   pause state; pauses in the pause states; stops in `resolved`/`closed`;
 *   a later `new`/`in-progress` reopens it and it counts on from where it
 *   stopped (the time spent resolved never counts).
 * - Counting time is business time with a calendar, and time inside
 *   maintenance never counts (product.md §3), exactly as for `duration`
 *   events: the non-running spans are added to the clock's excluded time.
 *
 * Breached when the counting time exceeds the allowed time; `breachedAt` is
 * the instant it did (the deadline), before `at`. Undefined before the
 * ticket's first change.
 */
export function ticketClock(
  sortedChanges: TicketChange[],
  rule: TicketClockRule,
  at: number,
): TicketClockReading | undefined {
  const known = sortedChanges.filter(c => c.at <= at);
  if (!known.length) return undefined;
  const startedAt = known[0].at;
  const pauseStates = rule.pauseStates ?? DEFAULT_TICKET_PAUSE_STATES;

  // Spans in which the clock does not run, the last one open-ended when the
  // clock does not run now.
  const stoppedSpans: Interval[] = [];
  let tailFrom: number | undefined;
  let clockState: TicketClockReading['clockState'] = 'running';
  let pausedIn: TicketState | undefined;
  let stoppedAt: number | undefined;
  if (rule.measure === 'response') {
    const response = known.find(c => c.state !== 'new');
    if (response) {
      tailFrom = response.at;
      clockState = 'stopped';
      stoppedAt = response.at;
    }
  } else {
    known.forEach((change, i) => {
      const runs =
        !STOP_STATES.includes(change.state) &&
        !pauseStates.includes(change.state);
      const next = known[i + 1];
      if (runs) return;
      if (next) {
        stoppedSpans.push({ start: change.at, end: next.at });
      } else {
        tailFrom = change.at;
        if (STOP_STATES.includes(change.state)) {
          clockState = 'stopped';
          // A resolved ticket closed later stopped when it was resolved.
          let first = i;
          while (first > 0 && STOP_STATES.includes(known[first - 1].state)) {
            first--;
          }
          stoppedAt = known[first].at;
        } else {
          clockState = 'paused';
          pausedIn = change.state;
        }
      }
    });
  }

  const clock = businessClock(rule.calendar, [
    ...(rule.maintenance ?? []),
    ...stoppedSpans,
  ]);
  const allowedMs = rule.maxDurationMs;
  const countUntil = tailFrom ?? at;
  const elapsedMs = clock.elapsed(startedAt, countUntil);
  const breached = elapsedMs > allowedMs;
  // Only ask for a deadline when it is certain to be found: the clock runs
  // on (the calendar loop ends at a finite opening or says Infinity), or the
  // allowed time ran out before the clock stopped.
  const runsOn = tailFrom === undefined;
  const deadlineAt =
    runsOn || breached ? clock.deadline(startedAt, allowedMs) : Infinity;
  return {
    startedAt,
    elapsedMs,
    allowedMs,
    clockState,
    ...(pausedIn ? { pausedIn } : {}),
    counting: runsOn && clock.elapsed(at, at + 1) > 0,
    ...(runsOn && Number.isFinite(deadlineAt) ? { deadline: deadlineAt } : {}),
    breached,
    ...(breached ? { breachedAt: deadlineAt } : {}),
    ...(stoppedAt !== undefined ? { stoppedAt } : {}),
  };
}
