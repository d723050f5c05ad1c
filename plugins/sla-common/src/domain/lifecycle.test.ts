import {
  AGREEMENT_STATUSES,
  allowedTransitions,
  isEditableStatus,
  canExpire,
  isInForce,
  isTransitionAllowed,
  transitionLabel,
} from './lifecycle';

describe('agreement lifecycle', () => {
  it('follows requirements → draft → negotiation → agreed', () => {
    expect(isTransitionAllowed('requirements', 'draft')).toBe(true);
    expect(isTransitionAllowed('draft', 'negotiation')).toBe(true);
    expect(isTransitionAllowed('negotiation', 'agreed')).toBe(true);
  });

  it('sends a negotiation back to draft for viability analysis', () => {
    expect(allowedTransitions('negotiation')).toEqual([
      'agreed',
      'draft',
      'withdrawn',
    ]);
  });

  it('reviews an agreed agreement, then prolongs or renegotiates it', () => {
    expect(allowedTransitions('agreed')).toEqual(['under-review', 'withdrawn']);
    expect(allowedTransitions('under-review')).toEqual([
      'agreed',
      'negotiation',
      'withdrawn',
    ]);
  });

  it('never skips negotiation', () => {
    expect(isTransitionAllowed('requirements', 'agreed')).toBe(false);
    expect(isTransitionAllowed('draft', 'agreed')).toBe(false);
  });

  it('lets any open status be withdrawn, and withdrawn is final', () => {
    for (const status of AGREEMENT_STATUSES.filter(s => s !== 'withdrawn')) {
      expect(isTransitionAllowed(status, 'withdrawn')).toBe(true);
    }
    expect(allowedTransitions('withdrawn')).toEqual([]);
  });

  it('leaves expiry to the system', () => {
    for (const status of AGREEMENT_STATUSES) {
      expect(isTransitionAllowed(status, 'expired')).toBe(false);
    }
    expect(allowedTransitions('expired')).toEqual(['negotiation', 'withdrawn']);
  });

  it('expires only agreements that are agreed or under review', () => {
    expect(AGREEMENT_STATUSES.filter(canExpire)).toEqual([
      'agreed',
      'under-review',
    ]);
  });

  it('allows edits only before agreement or under review', () => {
    expect(AGREEMENT_STATUSES.filter(isEditableStatus)).toEqual([
      'requirements',
      'draft',
      'negotiation',
      'under-review',
    ]);
  });

  it('has targets in force only when agreed', () => {
    expect(AGREEMENT_STATUSES.filter(isInForce)).toEqual(['agreed']);
  });

  it('names the moves as people say them', () => {
    expect(transitionLabel('draft', 'negotiation')).toBe('Propose');
    expect(transitionLabel('negotiation', 'agreed')).toBe('Agree');
    expect(transitionLabel('under-review', 'agreed')).toBe('Prolong');
    expect(transitionLabel('agreed', 'under-review')).toBe('Start review');
    expect(transitionLabel('negotiation', 'draft')).toBe('Back to draft');
    expect(transitionLabel('agreed', 'withdrawn')).toBe('Withdraw');
  });
});
