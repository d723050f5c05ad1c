import { DateTime, Duration } from 'luxon';
import type { Agreement } from '../types';

/** ITIL: an agreement is reviewed at least once a year. @public */
export const DEFAULT_AGREEMENT_REVIEW_INTERVAL = 'P1Y';

/**
 * When the agreement itself is next due for review: its review interval
 * (default a year) after it was last agreed. Undefined unless it is in force
 * or under review.
 * @public
 */
export function nextReviewDue(
  agreement: Pick<Agreement, 'status' | 'agreedAt' | 'reviewInterval'>,
): string | undefined {
  if (
    !agreement.agreedAt ||
    (agreement.status !== 'agreed' && agreement.status !== 'under-review')
  ) {
    return undefined;
  }
  const interval = Duration.fromISO(
    agreement.reviewInterval ?? DEFAULT_AGREEMENT_REVIEW_INTERVAL,
  );
  return DateTime.fromISO(agreement.agreedAt, { zone: 'utc' })
    .plus(interval)
    .toISO()!;
}
