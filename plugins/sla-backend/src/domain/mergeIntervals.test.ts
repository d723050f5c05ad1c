import { mergeIntervals } from './mergeIntervals';

describe('mergeIntervals', () => {
  it('sorts, unions overlapping and touching intervals, drops empty ones', () => {
    // 0–5 and 5–8 touch → 0–8; 10–20 and 15–30 overlap → 10–30; 40–40 is empty.
    expect(
      mergeIntervals([
        { start: 10, end: 20 },
        { start: 0, end: 5 },
        { start: 5, end: 8 },
        { start: 15, end: 30 },
        { start: 40, end: 40 },
      ]),
    ).toEqual([
      { start: 0, end: 8 },
      { start: 10, end: 30 },
    ]);
  });

  it('keeps an interval swallowed by an earlier one inside it', () => {
    expect(
      mergeIntervals([
        { start: 0, end: 100 },
        { start: 10, end: 20 },
      ]),
    ).toEqual([{ start: 0, end: 100 }]);
  });

  it('leaves its input untouched', () => {
    const input = [
      { start: 0, end: 10 },
      { start: 5, end: 20 },
    ];
    mergeIntervals(input);
    expect(input).toEqual([
      { start: 0, end: 10 },
      { start: 5, end: 20 },
    ]);
  });

  it('returns nothing for nothing', () => {
    expect(mergeIntervals([])).toEqual([]);
  });
});
