import { countRatioSamples } from './countRatioSamples';

const t = Date.parse;

describe('countRatioSamples', () => {
  const start = t('2024-05-01T00:00:00Z');
  const end = t('2024-05-02T00:00:00Z');

  it('sums samples in the window outside maintenance', () => {
    // In: 10:00 (990/1000) and 12:00 (500/500). Out: before start, at end,
    // and 03:30 inside the 03:00–04:00 maintenance (0/1000, an outage we agreed to).
    expect(
      countRatioSamples(
        [
          { t: start - 1, good: 0, total: 10 },
          { t: t('2024-05-01T03:30:00Z'), good: 0, total: 1000 },
          { t: t('2024-05-01T10:00:00Z'), good: 990, total: 1000 },
          { t: t('2024-05-01T12:00:00Z'), good: 500, total: 500 },
          { t: end, good: 0, total: 10 },
        ],
        {
          start,
          end,
          excluded: [
            {
              start: t('2024-05-01T03:00:00Z'),
              end: t('2024-05-01T04:00:00Z'),
            },
          ],
        },
      ),
    ).toEqual({ good: 1490, total: 1500 });
  });

  it('is 0 / 0 for an empty window', () => {
    expect(countRatioSamples([], { start, end, excluded: [] })).toEqual({
      good: 0,
      total: 0,
    });
  });
});
