import { parsePositiveDuration } from '@opensla/backstage-plugin-sla-common';
import { plusInterval } from './plusInterval';

/** Service reviews are held every month by default. */
export const DEFAULT_SERVICE_REVIEW_INTERVAL = 'P1M';
/** The agreement itself is reviewed at least once a year. */
export const DEFAULT_AGREEMENT_REVIEW_INTERVAL = 'P1Y';

/** A month or three in days (luxon's casual conversion: a month is 30 days). */
const MIN_DAYS = 28;
const MAX_DAYS = 92;

/**
 * Why a service-review interval is refused, or undefined when it is between
 * a month and a quarter (P4W, P30D, P1M … P3M, P13W). ITIL 4 reviews service
 * performance with the customer monthly to quarterly: more often leaves no
 * time for actions to show, less often lets problems fester.
 */
export function serviceReviewIntervalProblem(
  value: unknown,
): string | undefined {
  const duration = parsePositiveDuration(value);
  const days = duration?.shiftTo('days').days;
  if (days === undefined || days < MIN_DAYS || days > MAX_DAYS) {
    return 'must be an ISO 8601 duration from P1M to P3M: ITIL reviews service performance with the customer monthly to quarterly (more often leaves no time for actions to show, less often lets problems go unaddressed)';
  }
  return undefined;
}

const plus = plusInterval;

/** A held review as the schedule sees it. */
export type HeldReview = {
  kind: 'service' | 'agreement' | 'event';
  heldAt: string;
  serviceReviewInterval?: string;
};

/** The agreement as the schedule sees it. */
export type ScheduledAgreement = {
  status: string;
  agreedAt?: string;
  reviewInterval?: string;
};

/** When the next reviews of an agreement are due, and whether one is overdue. */
export type ReviewSchedule = {
  lastReviewAt?: string;
  serviceReviewInterval: string;
  nextServiceReviewDue?: string;
  nextAgreementReviewDue?: string;
  overdue: Array<'service' | 'agreement'>;
};

const latest = (instants: Array<string | undefined>) =>
  instants
    .filter((x): x is string => !!x)
    .reduce<string | undefined>(
      (a, b) => (a === undefined || Date.parse(b) > Date.parse(a) ? b : a),
      undefined,
    );

/**
 * The review schedule of an agreement at `at` (ms):
 * - service reviews: every `serviceReviewInterval` of the latest held review
 *   (default P1M) after the latest held review of any kind, or after the
 *   agreement was agreed when none was held since;
 * - the agreement: `reviewInterval` (default P1Y) after the later of its
 *   agreement and its latest held review of kind `agreement`.
 * Only agreements that are agreed or under review are due; a review is
 * overdue when its due instant is not after `at`.
 */
export function reviewSchedule(
  agreement: ScheduledAgreement,
  reviews: HeldReview[],
  at: number,
): ReviewSchedule {
  const sorted = [...reviews].sort(
    (a, b) => Date.parse(a.heldAt) - Date.parse(b.heldAt),
  );
  const last = sorted[sorted.length - 1];
  const serviceReviewInterval =
    [...sorted].reverse().find(r => r.serviceReviewInterval)
      ?.serviceReviewInterval ?? DEFAULT_SERVICE_REVIEW_INTERVAL;
  const schedule: ReviewSchedule = {
    ...(last ? { lastReviewAt: last.heldAt } : {}),
    serviceReviewInterval,
    overdue: [],
  };
  const inForce =
    agreement.status === 'agreed' || agreement.status === 'under-review';
  if (!inForce || !agreement.agreedAt) return schedule;
  const agreedAt = agreement.agreedAt;
  schedule.nextServiceReviewDue = plus(
    latest([agreedAt, last?.heldAt])!,
    serviceReviewInterval,
  );
  const lastAgreementReview = latest(
    sorted.filter(r => r.kind === 'agreement').map(r => r.heldAt),
  );
  schedule.nextAgreementReviewDue = plus(
    latest([agreedAt, lastAgreementReview])!,
    agreement.reviewInterval ?? DEFAULT_AGREEMENT_REVIEW_INTERVAL,
  );
  if (Date.parse(schedule.nextServiceReviewDue) <= at) {
    schedule.overdue.push('service');
  }
  if (Date.parse(schedule.nextAgreementReviewDue) <= at) {
    schedule.overdue.push('agreement');
  }
  return schedule;
}
