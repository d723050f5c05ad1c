import { satisfactionTrend, trendPeriodMs } from './satisfactionTrend';

const DAY = 86_400_000;

describe('satisfactionTrend', () => {
  it('picks days, weeks or 30-day periods by window length', () => {
    expect(trendPeriodMs(7 * DAY)).toBe(DAY);
    expect(trendPeriodMs(14 * DAY)).toBe(DAY);
    expect(trendPeriodMs(30 * DAY)).toBe(7 * DAY);
    expect(trendPeriodMs(365 * DAY)).toBe(30 * DAY);
  });

  it('summarizes each period, counting back from the end', () => {
    // A 30-day window ending at day 30 in weeks: [23,30) [16,23) [9,16) [2,9) [0,2).
    // Day 1: alice 2 → [0,2) CSAT 0 %. Day 25: bob 5, carol 3 → [23,30) 50 %, mean 4.
    const at = 30 * DAY;
    const trend = satisfactionTrend(
      [
        { userRef: 'alice', scale: 'csat', score: 2, givenAt: 1 * DAY },
        { userRef: 'bob', scale: 'csat', score: 5, givenAt: 25 * DAY },
        { userRef: 'carol', scale: 'csat', score: 3, givenAt: 25 * DAY },
      ],
      { start: 0, end: at },
    );
    expect(trend.map(p => [p.start / DAY, p.end / DAY])).toEqual([
      [0, 2],
      [2, 9],
      [9, 16],
      [16, 23],
      [23, 30],
    ]);
    expect(trend[0]).toMatchObject({ responses: 1, csat: 0, meanScore: 2 });
    expect(trend[1]).toMatchObject({ responses: 0, csat: null });
    expect(trend[4]).toMatchObject({ responses: 2, csat: 50, meanScore: 4 });
  });
});
