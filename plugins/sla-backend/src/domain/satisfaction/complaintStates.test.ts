import {
  allowedComplaintStates,
  isComplaintMoveAllowed,
} from './complaintStates';

describe('complaint states', () => {
  it('moves open → acknowledged → resolved, or open → resolved', () => {
    expect(isComplaintMoveAllowed('open', 'acknowledged')).toBe(true);
    expect(isComplaintMoveAllowed('acknowledged', 'resolved')).toBe(true);
    expect(isComplaintMoveAllowed('open', 'resolved')).toBe(true);
  });

  it('never moves back, and a resolved complaint is closed', () => {
    expect(isComplaintMoveAllowed('acknowledged', 'open')).toBe(false);
    expect(isComplaintMoveAllowed('resolved', 'open')).toBe(false);
    expect(isComplaintMoveAllowed('resolved', 'resolved')).toBe(false);
    expect(allowedComplaintStates('resolved')).toEqual([]);
  });

  it('allows a reply without a move while not resolved', () => {
    expect(isComplaintMoveAllowed('open', 'open')).toBe(true);
    expect(isComplaintMoveAllowed('acknowledged', 'acknowledged')).toBe(true);
  });
});
