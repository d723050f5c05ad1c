/**
 * Tickets (incidents and requests) measured by ticket SLAs: the shared contract
 * between `POST /tickets`, the ticket clock and the modules that feed tickets
 * from incident tools (PagerDuty, Opsgenie) through Backstage's events system.
 */

/**
 * The states a ticket moves through. `new` starts both clocks; the first move
 * out of `new` into `in-progress` (or straight to `resolved`/`closed`) is the
 * first response; `resolved` and `closed` stop the resolution clock and a later
 * `new` or `in-progress` reopens it. Which states pause the clock is configured
 * per target (default: `waiting-on-customer` and `waiting-on-vendor`).
 * @public
 */
export const TICKET_STATES = [
  'new',
  'in-progress',
  'waiting-on-customer',
  'waiting-on-vendor',
  'resolved',
  'closed',
] as const;

/** @public */
export type TicketState = (typeof TICKET_STATES)[number];

/**
 * One state change of one ticket, as received from a tool or `POST /tickets`.
 * Idempotent: the same (`source`, `ticketId`, `at`, `state`) is one change
 * however often it is sent; changes may arrive in any order, and the ticket's
 * clock is computed from all its changes sorted by `at`.
 * @public
 */
export interface TicketStateChangeInput {
  /** Where the ticket lives, e.g. `pagerduty`, `opsgenie`, `api`. */
  source: string;
  /** The ticket's id in its source (unique per source). */
  ticketId: string;
  /** The catalog entity whose service the ticket is about. */
  entityRef: string;
  /** When the state changed (ISO 8601 instant with offset). */
  at: string;
  state: TicketState;
  /** e.g. `P1`..`P5`; the latest change that carries one sets the ticket's priority. */
  priority?: string;
  title?: string;
  /** A link back to the ticket in its source. */
  url?: string;
}
