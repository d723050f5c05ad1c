import { evaluateThresholdBuckets } from './evaluateThresholdBuckets';

const t = Date.parse;
const MINUTE = 60_000;

describe('evaluateThresholdBuckets', () => {
  const base = t('2024-05-02T10:00:00Z');
  // Ten 1-minute buckets from 10:00; max values per minute below.
  const maxima = [100, 120, 250, 90, 80, 100, 110, 120, 130, 140];
  const buckets = maxima.map((max, i) => ({
    t: base + i * MINUTE,
    min: max - 50,
    max,
  }));
  const options = {
    operator: 'lte' as const,
    threshold: 200,
    sliceMs: 5 * MINUTE,
    excluded: [],
    start: base,
    end: base + 10 * MINUTE,
  };

  it('combines five 1-minute buckets into a PT5M slice, worst max wins', () => {
    // 10:00–10:05: max(100, 120, 250, 90, 80) = 250 > 200 → bad.
    // 10:05–10:10: max(100 … 140) = 140 → good.
    expect(evaluateThresholdBuckets(buckets, options)).toEqual({
      good: 1,
      bad: 1,
    });
  });

  it('uses the minima for gte', () => {
    // Minima are max − 50: first slice min(50, 70, 200, 40, 30) = 30 < 40 → bad;
    // second min(50, 60, 70, 80, 90) = 50 ≥ 40 → good.
    expect(
      evaluateThresholdBuckets(buckets, {
        ...options,
        operator: 'gte',
        threshold: 40,
      }),
    ).toEqual({ good: 1, bad: 1 });
  });

  it('leaves out buckets inside maintenance and outside the window', () => {
    // Maintenance over 10:02–10:03 removes the 250 bucket → first slice good.
    // The window ends 10:05, so the second slice has no data.
    expect(
      evaluateThresholdBuckets(buckets, {
        ...options,
        end: base + 5 * MINUTE,
        excluded: [{ start: base + 2 * MINUTE, end: base + 3 * MINUTE }],
      }),
    ).toEqual({ good: 1, bad: 0 });
  });
});
