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

/** States a ticket target may pause in (never `new`, `resolved` or `closed`). @public */
export const TICKET_PAUSE_STATES = [
  'in-progress',
  'waiting-on-customer',
  'waiting-on-vendor',
] as const;

/** @public */
export type TicketPauseState = (typeof TICKET_PAUSE_STATES)[number];

/** The pause states of a ticket target that names none. @public */
export const DEFAULT_TICKET_PAUSE_STATES: TicketPauseState[] = [
  'waiting-on-customer',
  'waiting-on-vendor',
];

/** What `POST /tickets` stored. @public */
export interface TicketIngestResult {
  /** State changes stored now. */
  accepted: number;
  /** State changes already stored (re-sent). */
  duplicates: number;
}

/**
 * The clock of one ticket for one ticket target, at the instant asked for.
 * Times are counting time (business time with a calendar; pauses and
 * maintenance never count).
 * @public
 */
export interface TicketClock {
  agreementId: string;
  targetId: string;
  targetName: string;
  measure: 'response' | 'resolution';
  /** Counting milliseconds so far. */
  elapsedMs: number;
  /** The target's maxDuration in milliseconds. */
  allowedMs: number;
  /** elapsedMs / allowedMs (1 = all the allowed time used). */
  fractionUsed: number;
  /**
   * `running` (counting whenever the calendar is open), `paused` (the ticket
   * waits in a pause state) or `stopped` (responded / resolved or closed).
   */
  clockState: 'running' | 'paused' | 'stopped';
  /** The pause state the ticket waits in, when paused. */
  pausedIn?: TicketState;
  /**
   * Whether the clock counts at this very instant: running, inside opening
   * hours and outside maintenance. A live display advances elapsed time
   * only while this is true.
   */
  counting: boolean;
  /** When the allowed time runs out if the clock keeps running; null when paused or stopped. */
  deadline: string | null;
  /** Whether the elapsed time exceeds the allowed time. */
  breached: boolean;
  /** The instant the allowed time ran out, when breached. */
  breachedAt?: string;
  /** When the clock stopped (responded, resolved or closed). */
  stoppedAt?: string;
}

/** A ticket with its clocks for every matching ticket target in force. @public */
export interface TicketWithClocks {
  source: string;
  ticketId: string;
  entityRef: string;
  title?: string;
  url?: string;
  priority?: string;
  /** The state at the instant asked for. */
  state: TicketState;
  /** When the ticket was opened (its first state change). */
  openedAt: string;
  /** The time of its latest state change up to the instant asked for. */
  changedAt: string;
  clocks: TicketClock[];
}

/** One page of GET /tickets. @public */
export interface TicketList {
  items: TicketWithClocks[];
  nextCursor?: string;
}
