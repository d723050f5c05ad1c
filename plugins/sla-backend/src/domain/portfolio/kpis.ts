import type {
  AgreementKind,
  AgreementStatus,
  BreachCause,
  BreachSeverity,
} from '@opensla/backstage-plugin-sla-common';
import { HeldReview, ReviewSchedule, reviewSchedule } from '../reviews';

/** A half-open period [start, end), epoch ms. */
export type Period = { start: number; end: number };

/** A target's status as attainment reports it. */
export type TargetState = 'met' | 'at-risk' | 'breached' | 'no-data';

/** What the portfolio reads of an agreement. Instants are ISO strings. */
export type PortfolioAgreement = {
  kind: AgreementKind;
  status: AgreementStatus;
  validFrom?: string;
  validUntil?: string;
  agreedAt?: string;
  /** The agreement's own review interval (default P1Y). */
  reviewInterval?: string;
  /** Its held reviews (review records), in any order. */
  reviews?: HeldReview[];
  /**
   * inForceSpan, when the caller computed it once for an agreement it
   * reads many times (null: not agreed).
   */
  span?: { from: number; until: number } | null;
};

/** What the portfolio reads of a breach record. */
export type PortfolioBreach = {
  openedAt: string;
  closedAt: string | null;
  severity: BreachSeverity;
  cause: BreachCause;
};

/** One figure for the period, the previous period and the change. */
export type Kpi = {
  value: number | null;
  previous: number | null;
  /** value − previous; null when either is null. */
  change: number | null;
};

const STATUS_RANK: TargetState[] = ['no-data', 'met', 'at-risk', 'breached'];
const round = (x: number) => Math.round(x * 1e9) / 1e9;
/** Parsed instants (the same few strings are read tens of thousands of times). */
const parsed = new Map<string, number>();
const ms = (iso: string) => {
  let t = parsed.get(iso);
  if (t === undefined) {
    if (parsed.size > 200_000) parsed.clear();
    t = Date.parse(iso);
    parsed.set(iso, t);
  }
  return t;
};

/** `part` of `whole` in percent; null when `whole` is 0. */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? round((part * 100) / whole) : null;
}

export function kpi(value: number | null, previous: number | null): Kpi {
  return {
    value,
    previous,
    change:
      value === null || previous === null ? null : round(value - previous),
  };
}

/**
 * The worst status among a service's targets: breached, then at-risk, then
 * met; `no-data` only when no target has data (a separate KPI counts the
 * targets without data). Null without targets.
 */
export function worstStatus(statuses: TargetState[]): TargetState | null {
  if (!statuses.length) return null;
  return statuses.reduce((worst, s) =>
    STATUS_RANK.indexOf(s) > STATUS_RANK.indexOf(worst) ? s : worst,
  );
}

/**
 * % of targets that meet their objective (met or at-risk) among the targets
 * with data; null when no target has data.
 */
export function targetsMetPercent(statuses: TargetState[]): number | null {
  const withData = statuses.filter(s => s !== 'no-data');
  return percent(
    withData.filter(s => s === 'met' || s === 'at-risk').length,
    withData.length,
  );
}

/** % of targets with nothing measured in their window; null without targets. */
export function withoutMeasurementPercent(
  statuses: TargetState[],
): number | null {
  return percent(statuses.filter(s => s === 'no-data').length, statuses.length);
}

/** Whether a breach was open at some instant of the period. */
export function breachInPeriod(breach: PortfolioBreach, period: Period) {
  return (
    ms(breach.openedAt) < period.end &&
    (breach.closedAt === null || ms(breach.closedAt) > period.start)
  );
}

export type BreachCounts = {
  total: number;
  minor: number;
  major: number;
  critical: number;
  /** Caused by a dependency under a UC (third party). */
  thirdParty: number;
  /** Caused by a dependency under an OLA (internal team). */
  internal: number;
  own: number;
};

/** The breaches open at some instant of the period, by severity and cause. */
export function countBreaches(
  breaches: PortfolioBreach[],
  period: Period,
): BreachCounts {
  return tallyBreaches(
    {
      total: 0,
      minor: 0,
      major: 0,
      critical: 0,
      thirdParty: 0,
      internal: 0,
      own: 0,
    },
    breaches,
    period,
  );
}

/** Adds the breaches open at some instant of the period to `counts`. */
function tallyBreaches(
  counts: BreachCounts,
  breaches: PortfolioBreach[],
  period: Period,
): BreachCounts {
  for (const b of breaches) {
    if (!breachInPeriod(b, period)) continue;
    counts.total++;
    counts[b.severity]++;
    if (b.cause === 'third-party') counts.thirdParty++;
    else if (b.cause === 'internal') counts.internal++;
    else counts.own++;
  }
  return counts;
}

const validity = new WeakMap<
  PortfolioAgreement,
  { from: number; until: number }
>();

/**
 * The span [from, until) in which an agreement is in force (epoch ms), or
 * undefined when it is not agreed: from the later of agreedAt and
 * validFrom, until validUntil.
 */
export function inForceSpan(
  agreement: PortfolioAgreement,
): { from: number; until: number } | undefined {
  if (agreement.span !== undefined) return agreement.span ?? undefined;
  if (agreement.status !== 'agreed') return undefined;
  // The portfolio asks this of every agreement many times: its instants
  // are parsed once per agreement object (agreements are not mutated).
  let span = validity.get(agreement);
  if (!span) {
    span = {
      from: Math.max(
        agreement.agreedAt ? ms(agreement.agreedAt) : -Infinity,
        agreement.validFrom ? ms(agreement.validFrom) : -Infinity,
      ),
      until: agreement.validUntil ? ms(agreement.validUntil) : Infinity,
    };
    validity.set(agreement, span);
  }
  return span;
}

/**
 * An agreement in force at `at`: status `agreed` (agreed at or before `at`
 * when the agreement says when), and `at` inside [validFrom, validUntil).
 */
export function inForceAt(agreement: PortfolioAgreement, at: number) {
  const span = inForceSpan(agreement);
  return span !== undefined && span.from <= at && span.until > at;
}

/** Whether a service has an SLA that is agreed and in date at `at`. */
export function hasAgreedInDateSla(
  agreements: PortfolioAgreement[],
  at: number,
) {
  return agreements.some(a => a.kind === 'SLA' && inForceAt(a, at));
}

/**
 * Per agreement object: its held reviews' instants in order, and its
 * schedules by the number of reviews held by then (the schedule depends on
 * `at` only through which reviews were held by `at`, and through overdue).
 */
const schedules = new WeakMap<
  PortfolioAgreement,
  {
    heldAt: number[];
    byHeld: Map<
      number,
      { schedule: ReviewSchedule; serviceDue: number; agreementDue: number }
    >;
  }
>();

/**
 * The review schedule of an agreement at `at`, from the reviews held up to
 * `at` (a review held later does not count yet): next service review = last
 * held review (or agreement) + the service-review interval; next agreement
 * review = last agreement review (or agreement) + its review interval. The
 * same rule as GET /reviews (domain/reviews `reviewSchedule`).
 */
export function reviewScheduleAt(
  agreement: PortfolioAgreement,
  at: number,
): ReviewSchedule {
  const { schedule, serviceDue, agreementDue } = scheduleDues(agreement, at);
  const overdue: ReviewSchedule['overdue'] = [];
  if (serviceDue <= at) overdue.push('service');
  if (agreementDue <= at) overdue.push('agreement');
  return { ...schedule, overdue };
}

/** The schedule at `at` without overdue, and its due instants (ms; Infinity: none). */
function scheduleDues(agreement: PortfolioAgreement, at: number) {
  // The portfolio asks this of every agreement on every request, at an
  // instant that moves: the due dates are computed once per agreement
  // object and set of held reviews (agreements are not mutated), overdue
  // per call.
  let memo = schedules.get(agreement);
  if (!memo) {
    memo = {
      heldAt: (agreement.reviews ?? [])
        .map(r => ms(r.heldAt))
        .sort((a, b) => a - b),
      byHeld: new Map(),
    };
    schedules.set(agreement, memo);
  }
  let held = 0;
  while (held < memo.heldAt.length && memo.heldAt[held] <= at) held++;
  let base = memo.byHeld.get(held);
  if (!base) {
    const schedule = reviewSchedule(
      agreement,
      held === memo.heldAt.length
        ? agreement.reviews ?? []
        : (agreement.reviews ?? []).filter(r => ms(r.heldAt) <= at),
      -Infinity,
    );
    base = {
      schedule,
      serviceDue: schedule.nextServiceReviewDue
        ? ms(schedule.nextServiceReviewDue)
        : Infinity,
      agreementDue: schedule.nextAgreementReviewDue
        ? ms(schedule.nextAgreementReviewDue)
        : Infinity,
    };
    memo.byHeld.set(held, base);
  }
  return base;
}

/**
 * The earliest review due of an agreement at `at` (its next service review
 * or its next agreement review); undefined without a schedule (not agreed,
 * or no agreedAt).
 */
export function nextReviewDueAt(
  agreement: PortfolioAgreement,
  at: number,
): string | undefined {
  const s = reviewScheduleAt(agreement, at);
  return [s.nextServiceReviewDue, s.nextAgreementReviewDue]
    .filter((d): d is string => !!d)
    .sort((a, b) => ms(a) - ms(b))[0];
}

/**
 * An agreement in force is overdue for review when its next service review
 * or its next agreement review was due at or before `at`.
 */
export function reviewOverdue(agreement: PortfolioAgreement, at: number) {
  return (
    inForceAt(agreement, at) &&
    reviewScheduleAt(agreement, at).overdue.length > 0
  );
}

/**
 * A service's reviews are timely at `at` when it has agreements in force and
 * every one of them has its next reviews scheduled after `at` (no review
 * scheduled is not timely: Table 2.4 asks for regular reviews scheduled).
 */
export function hasTimelyReviews(agreements: PortfolioAgreement[], at: number) {
  const inForce = agreements.filter(a => inForceAt(a, at));
  return (
    inForce.length > 0 &&
    inForce.every(a => {
      const due = nextReviewDueAt(a, at);
      return due !== undefined && ms(due) > at;
    })
  );
}

/**
 * What the portfolio asks of one service's agreements at `at`, in one pass:
 * the same answers as inForceAt, hasAgreedInDateSla, hasTimelyReviews,
 * reviewOverdue and the review schedules give one by one.
 */
export type ServiceFacts = {
  agreementsInForce: number;
  slaAgreedInDate: boolean;
  timelyReviews: boolean;
  slasInForce: number;
  slasOverdueForReview: number;
  reviewOverdue: boolean;
  /** The earliest of the agreements in force's next reviews (ISO), or null. */
  nextReviewDue: string | null;
  nextServiceReviewDue: string | null;
  nextAgreementReviewDue: string | null;
};

export function serviceFacts(
  agreements: PortfolioAgreement[],
  at: number,
): ServiceFacts {
  const facts: ServiceFacts = {
    agreementsInForce: 0,
    slaAgreedInDate: false,
    timelyReviews: false,
    slasInForce: 0,
    slasOverdueForReview: 0,
    reviewOverdue: false,
    nextReviewDue: null,
    nextServiceReviewDue: null,
    nextAgreementReviewDue: null,
  };
  let timely = true;
  let serviceDue = Infinity;
  let agreementDue = Infinity;
  for (const a of agreements) {
    if (!inForceAt(a, at)) continue;
    facts.agreementsInForce++;
    const dues = scheduleDues(a, at);
    const overdue = dues.serviceDue <= at || dues.agreementDue <= at;
    const next = Math.min(dues.serviceDue, dues.agreementDue);
    // nextReviewDueAt defined and after `at`
    if (!(next !== Infinity && next > at)) timely = false;
    if (overdue) facts.reviewOverdue = true;
    if (a.kind === 'SLA') {
      facts.slaAgreedInDate = true;
      facts.slasInForce++;
      if (overdue) facts.slasOverdueForReview++;
    }
    if (dues.serviceDue < serviceDue) {
      serviceDue = dues.serviceDue;
      facts.nextServiceReviewDue = dues.schedule.nextServiceReviewDue!;
    }
    if (dues.agreementDue < agreementDue) {
      agreementDue = dues.agreementDue;
      facts.nextAgreementReviewDue = dues.schedule.nextAgreementReviewDue!;
    }
  }
  facts.timelyReviews = facts.agreementsInForce > 0 && timely;
  facts.nextReviewDue =
    serviceDue <= agreementDue
      ? facts.nextServiceReviewDue
      : facts.nextAgreementReviewDue;
  return facts;
}

/**
 * The first instant from `end` on at which a service's figures for the
 * period [end − periodMs, end) and the one before it may change, given the
 * same statuses, breaches, answers and agreements: when a period's edge
 * (end, end − periodMs, end − 2 × periodMs) reaches an instant the figures
 * compare with it (a breach opening or closing, an answer given, an
 * agreement's validity starting or ending, a review held or falling due).
 * The figures computed at `end` hold for every end in [end, that instant).
 * Conservative: the figures may well stay the same past it.
 */
export function figuresStableUntil(
  input: {
    agreements: PortfolioAgreement[];
    breaches: PortfolioBreach[];
    /** When the service's scored answers were given (epoch ms). */
    answeredAt: number[];
  },
  end: number,
  periodMs: number,
): number {
  let until = Infinity;
  const edges = (x: number) => {
    if (!Number.isFinite(x)) return;
    for (const t of [x, x + periodMs, x + 2 * periodMs]) {
      if (t >= end && t < until) until = t;
    }
  };
  for (const b of input.breaches) {
    edges(ms(b.openedAt));
    if (b.closedAt !== null) edges(ms(b.closedAt));
  }
  for (const t of input.answeredAt) edges(t);
  for (const a of input.agreements) {
    const span = inForceSpan(a);
    if (span) {
      edges(span.from);
      edges(span.until);
    }
    for (const r of a.reviews ?? []) edges(ms(r.heldAt));
    for (const at of [end, end - periodMs]) {
      const dues = scheduleDues(a, at);
      edges(dues.serviceDue);
      edges(dues.agreementDue);
    }
  }
  return until;
}

/** CSAT answers of a service in a period: all, and the satisfied (4–5). */
export type CsatTally = { responses: number; satisfied: number };

/** CSAT pooled over services: % satisfied of all counted answers. */
export function pooledCsat(tallies: CsatTally[]): number | null {
  let responses = 0;
  let satisfied = 0;
  for (const t of tallies) {
    responses += t.responses;
    satisfied += t.satisfied;
  }
  return percent(satisfied, responses);
}

/** What the KPIs read of one service at the end of one period. */
export type ServiceReading = {
  agreements: PortfolioAgreement[];
  /** Statuses of the targets in force, evaluated at the period's end. */
  targets: TargetState[];
  breaches: PortfolioBreach[];
  csat: CsatTally;
  /** Whether its service reports are timely (undefined: not known). */
  timelyReport?: boolean;
  /** serviceFacts(agreements, period end), when already computed. */
  facts?: ServiceFacts;
};

export type PeriodFigures = {
  services: number;
  targetsMetPercent: number | null;
  breaches: BreachCounts;
  slaAgreedInDatePercent: number | null;
  timelyReviewsPercent: number | null;
  timelyReportsPercent: number | null;
  slasOverdueForReviewPercent: number | null;
  targetsWithoutMeasurementPercent: number | null;
  csat: number | null;
};

/**
 * The sums periodFigures is made of, so that a service's reading can be
 * added to (sign 1) or taken away from (sign −1) a kept tally when only
 * some services' figures change (PortfolioView).
 */
export type PeriodTally = {
  services: number;
  targets: number;
  withData: number;
  met: number;
  slaAgreedInDate: number;
  timelyReviews: number;
  slas: number;
  slasOverdue: number;
  timelyReports: number;
  reportsKnown: number;
  csatResponses: number;
  csatSatisfied: number;
  breaches: BreachCounts;
};

export function emptyPeriodTally(): PeriodTally {
  return {
    services: 0,
    targets: 0,
    withData: 0,
    met: 0,
    slaAgreedInDate: 0,
    timelyReviews: 0,
    slas: 0,
    slasOverdue: 0,
    timelyReports: 0,
    reportsKnown: 0,
    csatResponses: 0,
    csatSatisfied: 0,
    breaches: countBreaches([], { start: 0, end: 0 }),
  };
}

/** Adds one service's reading at the end of `period` (sign −1 takes it away). */
export function tallyReading(
  tally: PeriodTally,
  s: ServiceReading,
  period: Period,
  sign: 1 | -1 = 1,
): void {
  tally.services += sign;
  for (const status of s.targets) {
    tally.targets += sign;
    if (status === 'no-data') continue;
    tally.withData += sign;
    if (status === 'met' || status === 'at-risk') tally.met += sign;
  }
  const counts = tally.breaches;
  for (const b of s.breaches) {
    if (!breachInPeriod(b, period)) continue;
    counts.total += sign;
    counts[b.severity] += sign;
    if (b.cause === 'third-party') counts.thirdParty += sign;
    else if (b.cause === 'internal') counts.internal += sign;
    else counts.own += sign;
  }
  const facts = s.facts ?? serviceFacts(s.agreements, period.end);
  if (facts.slaAgreedInDate) tally.slaAgreedInDate += sign;
  if (facts.timelyReviews) tally.timelyReviews += sign;
  tally.slas += sign * facts.slasInForce;
  tally.slasOverdue += sign * facts.slasOverdueForReview;
  if (s.timelyReport !== undefined) tally.reportsKnown += sign;
  if (s.timelyReport === true) tally.timelyReports += sign;
  tally.csatResponses += sign * s.csat.responses;
  tally.csatSatisfied += sign * s.csat.satisfied;
}

/** The period's figures from a tally. */
export function figuresOfTally(t: PeriodTally): PeriodFigures {
  return {
    services: t.services,
    // targetsMetPercent, withoutMeasurementPercent and pooledCsat, summed
    targetsMetPercent: percent(t.met, t.withData),
    breaches: { ...t.breaches },
    slaAgreedInDatePercent: percent(t.slaAgreedInDate, t.services),
    timelyReviewsPercent: percent(t.timelyReviews, t.services),
    timelyReportsPercent: percent(t.timelyReports, t.reportsKnown),
    slasOverdueForReviewPercent: percent(t.slasOverdue, t.slas),
    targetsWithoutMeasurementPercent: percent(
      t.targets - t.withData,
      t.targets,
    ),
    csat: percent(t.csatSatisfied, t.csatResponses),
  };
}

/** The practice's KPIs (seed 000 Table 2.4) over one period. */
export function periodFigures(
  services: ServiceReading[],
  period: Period,
): PeriodFigures {
  // one pass, without flattening: the portfolio sums 100,000s of services
  const tally = emptyPeriodTally();
  for (const s of services) tallyReading(tally, s, period);
  return figuresOfTally(tally);
}

export type PortfolioKpis = {
  period: { start: string; end: string };
  previousPeriod: { start: string; end: string };
  services: Kpi;
  targetsMetPercent: Kpi;
  breaches: Record<keyof BreachCounts, Kpi>;
  slaAgreedInDatePercent: Kpi;
  timelyReviewsPercent: Kpi;
  timelyReportsPercent: Kpi;
  slasOverdueForReviewPercent: Kpi;
  targetsWithoutMeasurementPercent: Kpi;
  csat: Kpi;
  awaitingSignature: Kpi;
  averageTimeToAgreeMs: Kpi;
};

/**
 * The negotiation figures of the matching services: agreements awaiting a
 * signature now (the service counts them with isAwaitingSignature), and
 * the mean time to agree in the period and the previous one
 * (NegotiationService.facts).
 */
export type NegotiationFigures = {
  awaitingSignature: number;
  averageTimeToAgreeMs: { current: number | null; previous: number | null };
};

const NO_NEGOTIATION: NegotiationFigures = {
  awaitingSignature: 0,
  averageTimeToAgreeMs: { current: null, previous: null },
};

/** The KPIs of the period with their change against the previous period. */
export function portfolioKpis(
  current: PeriodFigures,
  previous: PeriodFigures,
  periods: { current: Period; previous: Period },
  negotiation: NegotiationFigures = NO_NEGOTIATION,
): PortfolioKpis {
  const iso = (t: number) => new Date(t).toISOString();
  const breaches = Object.fromEntries(
    (Object.keys(current.breaches) as Array<keyof BreachCounts>).map(k => [
      k,
      kpi(current.breaches[k], previous.breaches[k]),
    ]),
  ) as Record<keyof BreachCounts, Kpi>;
  return {
    period: {
      start: iso(periods.current.start),
      end: iso(periods.current.end),
    },
    previousPeriod: {
      start: iso(periods.previous.start),
      end: iso(periods.previous.end),
    },
    services: kpi(current.services, previous.services),
    targetsMetPercent: kpi(
      current.targetsMetPercent,
      previous.targetsMetPercent,
    ),
    breaches,
    slaAgreedInDatePercent: kpi(
      current.slaAgreedInDatePercent,
      previous.slaAgreedInDatePercent,
    ),
    timelyReviewsPercent: kpi(
      current.timelyReviewsPercent,
      previous.timelyReviewsPercent,
    ),
    timelyReportsPercent: kpi(
      current.timelyReportsPercent,
      previous.timelyReportsPercent,
    ),
    slasOverdueForReviewPercent: kpi(
      current.slasOverdueForReviewPercent,
      previous.slasOverdueForReviewPercent,
    ),
    targetsWithoutMeasurementPercent: kpi(
      current.targetsWithoutMeasurementPercent,
      previous.targetsWithoutMeasurementPercent,
    ),
    csat: kpi(current.csat, previous.csat),
    // what awaits a signature now: there is no figure for the previous period
    awaitingSignature: kpi(negotiation.awaitingSignature, null),
    averageTimeToAgreeMs: kpi(
      negotiation.averageTimeToAgreeMs.current,
      negotiation.averageTimeToAgreeMs.previous,
    ),
  };
}
