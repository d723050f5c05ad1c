import { intersectionLength } from './intersectionLength';

describe('intersectionLength', () => {
  it('counts time covered by overlapping intervals once', () => {
    // Within 0–100: 10–20 ∪ 15–30 = 10–30 (20) and 90–120 → 90–100 (10) = 30.
    expect(
      intersectionLength({ start: 0, end: 100 }, [
        { start: 90, end: 120 },
        { start: 10, end: 20 },
        { start: 15, end: 30 },
      ]),
    ).toBe(30);
  });

  it('is 0 for disjoint or touching intervals', () => {
    expect(
      intersectionLength({ start: 10, end: 20 }, [
        { start: 0, end: 10 },
        { start: 20, end: 30 },
      ]),
    ).toBe(0);
    expect(intersectionLength({ start: 10, end: 20 }, [])).toBe(0);
  });
});
