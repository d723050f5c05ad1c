import { inForceAt, reviewScheduleAt } from './agreementSchedule';
import type { PortfolioAgreement } from './portfolioTypes';

/** A review of an agreement that is due by some instant. */
export type DueReview = {
  kind: 'service' | 'agreement';
  /** ISO instant the review is due. */
  due: string;
  /** Due at or before `at` and not held since. */
  overdue: boolean;
};

/**
 * The reviews of an agreement in force at `at` that are due by `until`
 * (epoch ms, at or after `at`): its next service review and its next
 * agreement review from the schedule at `at` (domain/reviews), the earliest
 * first. Agreements not in force at `at` have no reviews due.
 */
export function reviewsDueBy(
  agreement: PortfolioAgreement,
  at: number,
  until: number,
): DueReview[] {
  if (!inForceAt(agreement, at)) return [];
  const schedule = reviewScheduleAt(agreement, at);
  const candidates: Array<[DueReview['kind'], string | undefined]> = [
    ['service', schedule.nextServiceReviewDue],
    ['agreement', schedule.nextAgreementReviewDue],
  ];
  return candidates
    .filter((c): c is [DueReview['kind'], string] => !!c[1])
    .filter(([, due]) => Date.parse(due) <= until)
    .map(([kind, due]) => ({ kind, due, overdue: Date.parse(due) <= at }))
    .sort((a, b) => Date.parse(a.due) - Date.parse(b.due));
}
