import { Interval } from '../Interval';
import {
  TicketChange,
  TicketClockRule,
  ticketClock,
  ticketPriorityAt,
} from './ticketClock';

/** A ticket as the attainment of ticket targets reads it. */
export type TicketHistory = {
  key: string;
  /** Its changes, sorted by sortTicketChanges. */
  changes: TicketChange[];
};

/**
 * Judges the tickets of a ticket target for the window [windowStart, at),
 * like `duration` events (product.md §3):
 *
 * - tickets of another priority (the latest one carried up to `at`) are left
 *   out; a target without priority takes every ticket;
 * - a ticket whose clock stopped (responded; resolved or closed) belongs to
 *   the window holding the instant it stopped, and meets the target when
 *   its counting time ≤ the allowed time;
 * - a ticket whose clock still runs or is paused counts, as failed, once it
 *   has used up the allowed time, in the window holding the instant it did;
 *   otherwise it is left out.
 */
export function evaluateTickets(
  tickets: TicketHistory[],
  rule: TicketClockRule & { priority?: string },
  options: { windowStart: number; at: number; maintenance: Interval[] },
): { met: number; failed: number; counted: number; failedTickets: string[] } {
  const { windowStart, at } = options;
  let met = 0;
  const failedTickets: string[] = [];
  for (const ticket of tickets) {
    if (
      rule.priority !== undefined &&
      ticketPriorityAt(ticket.changes, at) !== rule.priority
    ) {
      continue;
    }
    const clock = ticketClock(
      ticket.changes,
      { ...rule, maintenance: options.maintenance },
      at,
    );
    if (!clock) continue;
    if (clock.clockState === 'stopped') {
      if (clock.stoppedAt! < windowStart) continue;
      if (clock.breached) failedTickets.push(ticket.key);
      else met++;
    } else if (clock.breached && clock.breachedAt! >= windowStart) {
      failedTickets.push(ticket.key);
    }
  }
  const failed = failedTickets.length;
  return { met, failed, counted: met + failed, failedTickets };
}
