import { ratioAttainment } from './ratioAttainment';

describe('ratioAttainment', () => {
  it('is good / total in percent', () => {
    // 999 / 1000 = 99.9 %, exactly the literal so that it equals a 99.9 objective.
    expect(ratioAttainment({ good: 999, total: 1000 })).toBe(99.9);
    expect(ratioAttainment({ good: 0, total: 5 })).toBe(0);
    expect(ratioAttainment({ good: 3, total: 4 })).toBe(75);
  });

  it('is null without data', () => {
    expect(ratioAttainment({ good: 0, total: 0 })).toBeNull();
  });
});
