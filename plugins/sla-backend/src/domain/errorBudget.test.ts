import { errorBudget } from './errorBudget';

describe('errorBudget', () => {
  it('allows (1 − o) × Σtotal bad events for a ratio target', () => {
    // 99.9 % of 10 000 requests: 0.001 × 10 000 = 10 allowed; 4 used → 1 − 4/10 = 0.6.
    expect(
      errorBudget({ objective: 99.9, allowedBase: 10_000, consumed: 4 }),
    ).toEqual({ allowed: 10, consumed: 4, remaining: 0.6 });
  });

  it('reads exactly 0 when the budget is exactly spent', () => {
    // 0.001 × 1000 = 1 allowed, 1 used → 0, not a float hair below it.
    expect(
      errorBudget({ objective: 99.9, allowedBase: 1000, consumed: 1 }),
    ).toEqual({ allowed: 1, consumed: 1, remaining: 0 });
  });

  it('goes below 0 when overspent', () => {
    // 1 % of 200 = 2 allowed, 5 used → 1 − 5/2 = −1.5.
    expect(
      errorBudget({ objective: 99, allowedBase: 200, consumed: 5 }),
    ).toEqual({ allowed: 2, consumed: 5, remaining: -1.5 });
  });

  it('counts slices for a threshold target', () => {
    // 99 % of 1440 one-minute slices (a day): 14.4 allowed; 3 bad → 1 − 3/14.4 = 0.7916…
    const budget = errorBudget({
      objective: 99,
      allowedBase: 1440,
      consumed: 3,
    });
    expect(budget.allowed).toBe(14.4);
    expect(budget.remaining).toBeCloseTo(0.791667, 6);
  });

  it('counts events for a duration target', () => {
    // 95 % of 40 counted incidents: 2 may fail; 1 failed → half left.
    expect(
      errorBudget({ objective: 95, allowedBase: 40, consumed: 1 }),
    ).toEqual({ allowed: 2, consumed: 1, remaining: 0.5 });
  });

  it('under a 100 % objective is whole until anything goes bad, then gone', () => {
    expect(
      errorBudget({ objective: 100, allowedBase: 5000, consumed: 0 }),
    ).toEqual({ allowed: 0, consumed: 0, remaining: 1 });
    expect(
      errorBudget({ objective: 100, allowedBase: 5000, consumed: 1 }),
    ).toEqual({ allowed: 0, consumed: 1, remaining: null });
  });

  it('is whole without data', () => {
    expect(
      errorBudget({ objective: 99.9, allowedBase: 0, consumed: 0 }),
    ).toEqual({ allowed: 0, consumed: 0, remaining: 1 });
  });
});
