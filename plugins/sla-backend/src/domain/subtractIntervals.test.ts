import { subtractIntervals } from './subtractIntervals';

describe('subtractIntervals', () => {
  it('cuts unsorted, overlapping holes out of the base', () => {
    // Holes (merged): −10–5, 10–30, 90–120 → what is left of 0–100: 5–10, 30–90.
    expect(
      subtractIntervals({ start: 0, end: 100 }, [
        { start: 90, end: 120 },
        { start: 15, end: 30 },
        { start: 10, end: 20 },
        { start: -10, end: 5 },
      ]),
    ).toEqual([
      { start: 5, end: 10 },
      { start: 30, end: 90 },
    ]);
  });

  it('returns the base without holes and nothing when covered', () => {
    expect(subtractIntervals({ start: 0, end: 10 }, [])).toEqual([
      { start: 0, end: 10 },
    ]);
    expect(
      subtractIntervals({ start: 0, end: 10 }, [{ start: -5, end: 15 }]),
    ).toEqual([]);
  });

  it('ignores holes outside the base', () => {
    expect(
      subtractIntervals({ start: 10, end: 20 }, [
        { start: 0, end: 10 },
        { start: 20, end: 30 },
      ]),
    ).toEqual([{ start: 10, end: 20 }]);
  });
});
