import {
  ms,
  Period,
  PortfolioAgreement,
  PortfolioBreach,
  TargetState,
} from './portfolioTypes';
import {
  inForceSpan,
  scheduleDues,
  ServiceFacts,
  serviceFacts,
} from './agreementSchedule';

/** One figure for the period, the previous period and the change. */
export type Kpi = {
  value: number | null;
  previous: number | null;
  /** value − previous; null when either is null. */
  change: number | null;
};

const STATUS_RANK: TargetState[] = ['no-data', 'met', 'at-risk', 'breached'];
const round = (x: number) => Math.round(x * 1e9) / 1e9;
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
