import { ReviewSchedule, reviewSchedule } from '../reviews';
import { ms, PortfolioAgreement } from './portfolioTypes';

/*
 * When an agreement is in force and when its reviews fall due, as the
 * portfolio asks it of every agreement on every request (memoized per
 * agreement object: agreements are not mutated), and a service's facts
 * from them in one pass. The KPIs over services are in kpis.ts.
 */

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
export function scheduleDues(agreement: PortfolioAgreement, at: number) {
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
