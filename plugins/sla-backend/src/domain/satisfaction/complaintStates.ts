/** Where a complaint stands (seed 002: recorded, escalated, resolved). */
export type ComplaintState = 'open' | 'acknowledged' | 'resolved';

const NEXT: Record<ComplaintState, ComplaintState[]> = {
  open: ['acknowledged', 'resolved'],
  acknowledged: ['resolved'],
  resolved: [],
};

/** The states a complaint may move to from `from`. */
export function allowedComplaintStates(from: ComplaintState): ComplaintState[] {
  return NEXT[from];
}

/**
 * Whether a response may move a complaint from `from` to `to`. Staying in
 * the same state (a reply without a move) is allowed while not resolved:
 * a resolved complaint is closed.
 */
export function isComplaintMoveAllowed(
  from: ComplaintState,
  to: ComplaintState,
): boolean {
  if (from === to) return from !== 'resolved';
  return NEXT[from].includes(to);
}
