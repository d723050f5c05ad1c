/** What a review decides about its agreement. */
export type ReviewDecisionType = 'prolong' | 'amend' | 'withdraw';

export const REVIEW_DECISIONS: ReviewDecisionType[] = [
  'prolong',
  'amend',
  'withdraw',
];

/**
 * The lifecycle moves a decision takes the agreement through, from `status`
 * (product.md §1): prolong → agreed (via under-review when agreed), amend →
 * negotiation (via under-review when agreed), withdraw → withdrawn. A string
 * is the reason the decision cannot be taken from `status`.
 */
export function decisionTransitions(
  status: string,
  decision: ReviewDecisionType,
): string[] | string {
  if (decision === 'withdraw') {
    return status === 'withdrawn'
      ? 'the agreement is already withdrawn'
      : ['withdrawn'];
  }
  const to = decision === 'prolong' ? 'agreed' : 'negotiation';
  if (status === 'agreed') return ['under-review', to];
  if (status === 'under-review') return [to];
  return `a review can ${decision} only an agreement that is agreed or under review (this one is ${status})`;
}
