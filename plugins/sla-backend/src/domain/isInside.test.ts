import { isInside } from './isInside';

describe('isInside', () => {
  const intervals = [
    { start: 0, end: 10 },
    { start: 20, end: 30 },
  ];

  it('treats intervals as half-open [start, end)', () => {
    expect(isInside(0, intervals)).toBe(true);
    expect(isInside(9, intervals)).toBe(true);
    expect(isInside(10, intervals)).toBe(false);
    expect(isInside(19, intervals)).toBe(false);
    expect(isInside(20, intervals)).toBe(true);
    expect(isInside(30, intervals)).toBe(false);
    expect(isInside(-1, intervals)).toBe(false);
  });

  it('is false without intervals', () => {
    expect(isInside(5, [])).toBe(false);
  });

  it('finds the right one among many', () => {
    // Interval i covers [10i, 10i + 5).
    const many = Array.from({ length: 10_000 }, (_, i) => ({
      start: i * 10,
      end: i * 10 + 5,
    }));
    expect(isInside(50_003, many)).toBe(true); // i = 5000, offset 3
    expect(isInside(50_005, many)).toBe(false); // i = 5000, just past its end
    expect(isInside(99_994, many)).toBe(true); // last one, i = 9999
    expect(isInside(99_995, many)).toBe(false);
  });
});
