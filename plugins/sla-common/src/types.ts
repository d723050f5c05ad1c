/**
 * Domain types of the SLA plugin. They mirror the OpenAPI schemas
 * (src/generated/openapi.ts) with the precision the domain code needs
 * (discriminated unions instead of optional fields).
 */
import type { ViabilityOverrideRecord } from './viabilityTypes';
import type { TicketPauseState } from './ticketTypes';
import type { AgreementSignature } from './negotiationTypes';

/** @public */
export type AgreementKind = 'SLA' | 'OLA' | 'UC';

/** @public */
export type AgreementScope = 'service' | 'customer' | 'multi-level';

/** @public */
export type AgreementStatus =
  | 'requirements'
  | 'draft'
  | 'negotiation'
  | 'agreed'
  | 'under-review'
  | 'withdrawn'
  | 'expired';

/** @public */
export type Aspect =
  | 'availability'
  | 'performance'
  | 'timeliness'
  | 'support'
  | 'accuracy'
  | 'functionality'
  | 'experience';

/** @public */
export type Sli =
  | { kind: 'ratio' }
  | {
      kind: 'threshold';
      operator: 'lte' | 'gte';
      threshold: number;
      unit?: string;
    }
  | { kind: 'duration'; maxDuration: string; priority?: string }
  | TicketSli;

/**
 * A ticket SLA (incidents and requests, docs/tickets-and-incidents.md): the
 * tickets of the entity (`POST /tickets`, ticket feeds) must be answered
 * (`response`: the first move out of `new`) or resolved (`resolution`) within
 * `maxDuration` of counting time. The clock pauses in `pauseStates` (default
 * waiting-on-customer and waiting-on-vendor), outside the calendar's opening
 * hours and in maintenance windows. One target per measure and priority.
 * @public
 */
export type TicketSli = {
  kind: 'ticket';
  measure: 'response' | 'resolution';
  maxDuration: string;
  priority?: string;
  pauseStates?: TicketPauseState[];
};

/** @public */
export type TargetWindow =
  | { type: 'rolling'; duration: string }
  | {
      type: 'calendar';
      unit: 'week' | 'month' | 'quarter' | 'year';
      timeZone: string;
    };

/** @public */
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** @public */
export type BusinessCalendar = {
  timeZone: string;
  /** Opening intervals per weekday, local "HH:mm" pairs. */
  openingHours: Partial<Record<Weekday, Array<[string, string]>>>;
  /** Local dates (YYYY-MM-DD). */
  holidays?: string[];
};

/** @public */
export type Target = {
  id: string;
  name: string;
  aspect: Aspect;
  metric: string;
  sli: Sli;
  /** Percent, 0 < objective <= 100. */
  objective: number;
  window: TargetWindow;
  calendar?: BusinessCalendar;
  timeslice?: string;
  /**
   * Where a metric source module reads the measurements, e.g.
   * `{ type: 'prometheus', good: 'sum(increase(...[1m]))', total: '...' }`.
   * Measurements can also be pushed (POST /measurements) without it.
   */
  source?: TargetSource;
};

/** @public */
export type TargetSource = {
  /** The metric source module, e.g. `prometheus`. */
  type: string;
  /** Ratio SLIs: the query for good events per step. */
  good?: string;
  /** Ratio SLIs: the query for all events per step. */
  total?: string;
  /** Threshold SLIs: the query for the value. */
  value?: string;
  /**
   * A query template the platform team configured for the source module
   * (e.g. `sla.prometheus.templates.<name>`), used instead of own queries.
   */
  template?: string;
  /** Values for the template's parameters, e.g. `{ job: 'checkout' }`. */
  parameters?: Record<string, string>;
};

/** @public */
export type MaintenanceWindow = {
  description?: string;
  start?: string;
  end?: string;
  weekly?: { day: Weekday; from: string; to: string };
  timeZone?: string;
};

/** What a client sends to create or replace an agreement. @public */
export type AgreementInput = {
  kind: AgreementKind;
  scope?: AgreementScope;
  entityRef: string;
  title: string;
  description?: string;
  customer?: string;
  provider?: string;
  /** Only on create: `requirements` (default) or `draft`. */
  status?: AgreementStatus;
  validFrom?: string;
  validUntil?: string;
  reviewInterval?: string;
  maintenanceWindows?: MaintenanceWindow[];
  /** Target ids may be left out; the server derives them from the names. */
  targets: Array<Omit<Target, 'id'> & { id?: string }>;
  /** On update: the version the agreement was read at. */
  version?: number;
};

/** @public */
export type Agreement = Omit<AgreementInput, 'targets' | 'status'> & {
  id: string;
  status: AgreementStatus;
  targets: Target[];
  version: number;
  nextReviewDue?: string;
  agreedAt?: string;
  agreedBy?: string;
  /** Kept from files (SLOs as code): read-only through the edit routes. */
  managed?: ManagedBy;
  /**
   * The version at which the terms being signed were set: a change of
   * content, or a new round after the agreement was agreed, starts a round.
   */
  termsVersion?: number;
  /** The signatures on the current terms (`termsVersion`). */
  signatures?: AgreementSignature[];
  /** When the current terms were last proposed (moved to negotiation or under review). */
  proposedAt?: string;
  /**
   * Under review: when a review's decision (a prolongation of the same
   * terms) asked both parties to sign them. Any later move clears it.
   */
  signaturesRequestedAt?: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
};

/** Where a managed agreement comes from (see docs/slos-as-code.md). @public */
export type ManagedBy = {
  source: 'openslo';
  /** The files read, as URLs (or file: paths for local catalog files). */
  locations: string[];
  /** When the files were last read and applied. */
  syncedAt: string;
};

/** The fields of a draft agreement made from OpenSLO YAML. @public */
export type OpenSloDraft = {
  title: string;
  description?: string;
  kind: AgreementKind;
  entityRef?: string;
  targets: Target[];
  /** What was imported with a caveat. */
  warnings: string[];
};

/** The state of an entity's OpenSLO files. @public */
export type OpenSloSource = {
  entityRef: string;
  agreementId?: string;
  locations: string[];
  checkedAt: string;
  appliedAt?: string;
  /** Why the last read did not apply; the agreement keeps its last good version. */
  error?: string;
};

/** @public */
export type AgreementChange = {
  type: 'created' | 'updated' | 'transition' | 'signed' | 'changes-requested';
  summary: string;
  from?: string;
  to?: string;
  comment?: string;
  fields?: string[];
  /** Agreed although not viable: the owner's reason and the shortfalls. */
  viabilityOverride?: ViabilityOverrideRecord;
  /** The signature this version recorded (type `signed`, or a transition completing the signatures). */
  signature?: AgreementSignature;
  /** Signatures voided by this change of the terms. */
  voidedSignatures?: AgreementSignature[];
};

/** @public */
export type AgreementHistoryEntry = {
  version: number;
  status: AgreementStatus;
  changedBy: string;
  changedAt: string;
  change: AgreementChange;
  /** The agreement as it was at this version. */
  agreement?: Agreement;
};

/** @public */
export type TransitionRequest = {
  to: AgreementStatus;
  comment?: string;
  /** With `to: agreed` from `under-review`: prolong the agreement. */
  validUntil?: string;
  /** When given, the move is refused (409) if the agreement has changed since. */
  version?: number;
  /** With `to: agreed`: agree although a target is not viable, giving the reason. */
  viabilityOverride?: { reason: string };
};

/** What the caller may do with an entity's agreements. @public */
export type EntityAccess = {
  entityRef: string;
  create: boolean;
  update: boolean;
};

/**
 * One measurement of a series (entityRef + metric): a ratio sample, a
 * threshold sample or a duration event. Instants are ISO 8601 strings.
 * @public
 */
export type Measurement =
  | {
      entityRef: string;
      metric: string;
      timestamp: string;
      good: number;
      total: number;
    }
  | { entityRef: string; metric: string; timestamp: string; value: number }
  | {
      entityRef: string;
      metric: string;
      eventId: string;
      start: string;
      end?: string;
      priority?: string;
    };

/** @public */
export type IngestResult = {
  /** New samples and events, and events closed by this batch. */
  accepted: number;
  /** Items already stored, ignored. */
  duplicates: number;
  /**
   * Samples and closed events older than what their series keeps
   * (retention): neither stored nor counted. Absent when 0.
   */
  beyondRetention?: number;
};

/** @public */
export type TargetStatus = 'no-data' | 'breached' | 'at-risk' | 'met';

/** @public */
export type BurnRateWindow = '5m' | '30m' | '1h' | '2h' | '6h' | '1d' | '3d';

/** How one target stands at an instant (product.md §3/§4). @public */
export type TargetAttainment = {
  targetId: string;
  agreementId: string;
  name?: string;
  window: { start: string; end: string };
  /** Percent; null without data. */
  attainment: number | null;
  objective: number;
  status: TargetStatus;
  errorBudget: {
    allowed: number;
    consumed: number;
    /** Fraction of allowed; below 0 when overspent; null when nothing was allowed and something was consumed. */
    remaining: number | null;
  };
  burnRates: Record<BurnRateWindow, number | null>;
  alerts: Array<{ severity: 'page' | 'ticket'; window: string }>;
  /** Σtotal (ratio), slices with data (threshold) or counted events (duration). */
  counted: number;
  /** Present when a figure needs stored detail that retention pruned. */
  coverage?: AttainmentCoverage;
};

/**
 * Which figures of a TargetAttainment miss detail pruned by retention
 * (docs/api.md#retention). @public
 */
export type AttainmentCoverage = {
  pruned: true;
  /** The window's figures (attainment, errorBudget, counted, status). */
  window: boolean;
  /** Look-backs whose burn rates miss pruned detail. */
  burnRates: BurnRateWindow[];
  /** Where the series' raw samples start now. */
  detailKeptFrom?: string;
  /** Where the series' rollups (and closed events) start now. */
  rollupsKeptFrom?: string;
};

/** @public */
export type AttainmentPoint = {
  at: string;
  attainment: number | null;
  remaining: number | null;
  status: TargetStatus;
  /** The point's window figures miss detail pruned by retention. */
  pruned?: true;
};

/** @public */
export type BreachSeverity = 'minor' | 'major' | 'critical';

/** @public */
export type BreachCause = 'own' | 'internal' | 'third-party';

/** A period in which a target was breached. @public */
export type Breach = {
  id: string;
  entityRef: string;
  agreementId: string;
  targetId: string;
  openedAt: string;
  closedAt?: string | null;
  severity: BreachSeverity;
  cause: BreachCause;
  /**
   * Direct dependencies whose agreements breached in the same period. One
   * whose agreements the reader may not read is `{ entityRef, restricted: true }`.
   */
  causedBy?: Array<{
    entityRef: string;
    agreementId?: string;
    kind?: string;
    restricted?: boolean;
  }>;
  worstRemaining?: number | null;
};
