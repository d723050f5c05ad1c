import { decisionTransitions } from './decisions';

describe('decisionTransitions', () => {
  it('prolongs and amends through under-review from agreed', () => {
    expect(decisionTransitions('agreed', 'prolong')).toEqual([
      'under-review',
      'agreed',
    ]);
    expect(decisionTransitions('agreed', 'amend')).toEqual([
      'under-review',
      'negotiation',
    ]);
  });

  it('finishes a review already under way', () => {
    expect(decisionTransitions('under-review', 'prolong')).toEqual(['agreed']);
    expect(decisionTransitions('under-review', 'amend')).toEqual([
      'negotiation',
    ]);
  });

  it('withdraws from any status but withdrawn', () => {
    expect(decisionTransitions('agreed', 'withdraw')).toEqual(['withdrawn']);
    expect(decisionTransitions('draft', 'withdraw')).toEqual(['withdrawn']);
    expect(decisionTransitions('withdrawn', 'withdraw')).toMatch(
      /already withdrawn/,
    );
  });

  it('refuses to prolong or amend what is not in force', () => {
    expect(decisionTransitions('draft', 'prolong')).toMatch(
      /agreed or under review.*draft/,
    );
    expect(decisionTransitions('expired', 'amend')).toMatch(/expired/);
  });
});
