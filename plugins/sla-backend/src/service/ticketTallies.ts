import type { Agreement, Target } from '@opensla/backstage-plugin-sla-common';
import {
  Interval,
  LOOKBACKS,
  Lookback,
  durationMs,
  expandMaintenanceWindows,
} from '../domain';
import type { Tally } from '../domain';
import { evaluateTickets, sortTicketChanges } from '../domain/tickets';
import { TicketStore, ticketKey } from '../store/TicketStore';

const LOOKBACK_KEYS = Object.keys(LOOKBACKS) as Lookback[];
const LONGEST_LOOKBACK = Math.max(...Object.values(LOOKBACKS));

/** A target's good and bad counts over its window and each look-back. */
export type Tallies = {
  window: Tally;
  lookbacks: Record<Lookback, Tally>;
};

/** Nothing counted (no data, or no ticket store). */
export function emptyTallies(): Tallies {
  return {
    window: { good: 0, bad: 0 },
    lookbacks: Object.fromEntries(
      LOOKBACK_KEYS.map(k => [k, { good: 0, bad: 0 }]),
    ) as Record<Lookback, Tally>,
  };
}

/**
 * Ticket targets (AttainmentService): tickets judged like duration events
 * (evaluateTickets), from the entity's tickets that can count in the
 * window or a look-back at `at`.
 * @internal
 */
export async function ticketTallies(
  store: TicketStore | undefined,
  job: {
    agreement: Agreement;
    target: Target;
    at: number;
    window: Interval;
    lookbacks: Record<Lookback, Interval>;
  },
): Promise<Tallies> {
  if (!store) return emptyTallies();
  const { agreement, target, at, window, lookbacks } = job;
  const sli = target.sli as Extract<Target['sli'], { kind: 'ticket' }>;
  const earliest = Math.min(window.start, at - LONGEST_LOOKBACK);
  const tickets = await store.ticketsForAttainment(
    [agreement.entityRef],
    earliest,
    at,
  );
  const changes = await store.changesOf(tickets);
  const histories = tickets.map(t => ({
    key: ticketKey(t),
    changes: sortTicketChanges(changes.get(ticketKey(t)) ?? []),
  }));
  const spanStart = tickets.reduce(
    (min, t) => Math.min(min, t.firstAt),
    earliest,
  );
  const maintenance = expandMaintenanceWindows(
    agreement.maintenanceWindows ?? [],
    spanStart,
    at,
    target.calendar?.timeZone,
  );
  const rule = {
    measure: sli.measure,
    maxDurationMs: durationMs(sli.maxDuration),
    pauseStates: sli.pauseStates,
    calendar: target.calendar,
    priority: sli.priority,
  };
  const tally = (windowStart: number): Tally => {
    const r = evaluateTickets(histories, rule, {
      windowStart,
      at,
      maintenance,
    });
    return { good: r.met, bad: r.failed };
  };
  return {
    window: tally(window.start),
    lookbacks: Object.fromEntries(
      LOOKBACK_KEYS.map(k => [k, tally(lookbacks[k].start)]),
    ) as Record<Lookback, Tally>,
  };
}
