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
  const counts: BreachCounts = {
    total: 0,
    minor: 0,
    major: 0,
    critical: 0,
    thirdParty: 0,
    internal: 0,
    own: 0,
  };
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
 * An agreement in force at `at`: status `agreed` (agreed at or before `at`
 * when the agreement says when), and `at` inside [validFrom, validUntil).
 */
export function inForceAt(agreement: PortfolioAgreement, at: number) {
  if (agreement.status !== 'agreed') return false;
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
  return span.from <= at && span.until > at;
}

/** Whether a service has an SLA that is agreed and in date at `at`. */
export function hasAgreedInDateSla(
  agreements: PortfolioAgreement[],
  at: number,
) {
  return agreements.some(a => a.kind === 'SLA' && inForceAt(a, at));
}

/** Schedules by agreement object and instant. */
const schedules = new WeakMap<
  PortfolioAgreement,
  Map<number, ReviewSchedule>
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
  // Several KPIs ask for the same schedule: computed once per agreement
  // object and instant (agreements are not mutated).
  let byInstant = schedules.get(agreement);
  if (!byInstant || byInstant.size > 8) {
    byInstant = new Map();
    schedules.set(agreement, byInstant);
  }
  let schedule = byInstant.get(at);
  if (!schedule) {
    schedule = reviewSchedule(
      agreement,
      (agreement.reviews ?? []).filter(r => ms(r.heldAt) <= at),
      at,
    );
    byInstant.set(at, schedule);
  }
  return schedule;
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

/** The practice's KPIs (seed 000 Table 2.4) over one period. */
export function periodFigures(
  services: ServiceReading[],
  period: Period,
): PeriodFigures {
  const at = period.end;
  const statuses = services.flatMap(s => s.targets);
  const slas = services.flatMap(s =>
    s.agreements.filter(a => a.kind === 'SLA' && inForceAt(a, at)),
  );
  return {
    services: services.length,
    targetsMetPercent: targetsMetPercent(statuses),
    breaches: countBreaches(
      services.flatMap(s => s.breaches),
      period,
    ),
    slaAgreedInDatePercent: percent(
      services.filter(s => hasAgreedInDateSla(s.agreements, at)).length,
      services.length,
    ),
    timelyReviewsPercent: percent(
      services.filter(s => hasTimelyReviews(s.agreements, at)).length,
      services.length,
    ),
    timelyReportsPercent: percent(
      services.filter(s => s.timelyReport === true).length,
      services.filter(s => s.timelyReport !== undefined).length,
    ),
    slasOverdueForReviewPercent: percent(
      slas.filter(a => reviewOverdue(a, at)).length,
      slas.length,
    ),
    targetsWithoutMeasurementPercent: withoutMeasurementPercent(statuses),
    csat: pooledCsat(services.map(s => s.csat)),
  };
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
};

/** The KPIs of the period with their change against the previous period. */
export function portfolioKpis(
  current: PeriodFigures,
  previous: PeriodFigures,
  periods: { current: Period; previous: Period },
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
  };
}
