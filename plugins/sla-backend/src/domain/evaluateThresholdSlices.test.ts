import { evaluateThresholdSlices } from './evaluateThresholdSlices';
import { expandMaintenanceWindows } from './expandMaintenanceWindows';

const t = Date.parse;
const MINUTE = 60_000;

describe('evaluateThresholdSlices', () => {
  const day = {
    start: t('2024-05-02T00:00:00Z'),
    end: t('2024-05-03T00:00:00Z'),
  };
  const latency = {
    operator: 'lte' as const,
    threshold: 200,
    sliceMs: MINUTE,
    excluded: [],
    ...day,
  };

  it('judges each slice with data by its worst value', () => {
    // 10:00 slice: 100 and 300 → worst 300 > 200, bad. 10:01: 150, good.
    // 10:02: no data, not counted. 10:03: 200 ≤ 200, good.
    expect(
      evaluateThresholdSlices(
        [
          { t: t('2024-05-02T10:00:30Z'), value: 100 },
          { t: t('2024-05-02T10:00:50Z'), value: 300 },
          { t: t('2024-05-02T10:01:10Z'), value: 150 },
          { t: t('2024-05-02T10:03:00Z'), value: 200 },
        ],
        latency,
      ),
    ).toEqual({ good: 2, bad: 1 });
  });

  it('takes the lowest value as the worst for gte', () => {
    // Two readings in one slice: 99.5 and 98 → worst 98 < 99, bad.
    // Next slice 99 ≥ 99, good.
    expect(
      evaluateThresholdSlices(
        [
          { t: t('2024-05-02T10:00:00Z'), value: 99.5 },
          { t: t('2024-05-02T10:00:59Z'), value: 98 },
          { t: t('2024-05-02T10:01:00Z'), value: 99 },
        ],
        { ...latency, operator: 'gte', threshold: 99 },
      ),
    ).toEqual({ good: 1, bad: 1 });
  });

  it('keeps samples in [start, end) only', () => {
    // The sample at start counts; at end and before start do not.
    expect(
      evaluateThresholdSlices(
        [
          { t: day.start - 1, value: 999 },
          { t: day.start, value: 100 },
          { t: day.end, value: 999 },
        ],
        latency,
      ),
    ).toEqual({ good: 1, bad: 0 });
  });

  it('aligns slices to the epoch, not to the window start', () => {
    // The window starts 10:00:30; 10:00:40 and 10:01:10 lie in the epoch slices
    // 10:00 and 10:01 (two slices), though they are under a minute apart.
    expect(
      evaluateThresholdSlices(
        [
          { t: t('2024-05-02T10:00:40Z'), value: 100 },
          { t: t('2024-05-02T10:01:10Z'), value: 300 },
        ],
        { ...latency, start: t('2024-05-02T10:00:30Z') },
      ),
    ).toEqual({ good: 1, bad: 1 });
  });

  it('combines longer slices', () => {
    // PT5M: 10:01 (100) and 10:04 (300) share the 10:00–10:05 slice → bad;
    // 10:05 (100) opens the next slice → good.
    expect(
      evaluateThresholdSlices(
        [
          { t: t('2024-05-02T10:01:00Z'), value: 100 },
          { t: t('2024-05-02T10:04:00Z'), value: 300 },
          { t: t('2024-05-02T10:05:00Z'), value: 100 },
        ],
        { ...latency, sliceMs: 5 * MINUTE },
      ),
    ).toEqual({ good: 1, bad: 1 });
  });

  it('leaves out samples inside maintenance, as if there were no data', () => {
    // Maintenance 10:00–10:02: the bad samples of slices 10:00 and 10:01 are
    // left out, so those slices have no data; 10:02 is after it → 1 good slice.
    expect(
      evaluateThresholdSlices(
        [
          { t: t('2024-05-02T10:00:10Z'), value: 900 },
          { t: t('2024-05-02T10:01:10Z'), value: 900 },
          { t: t('2024-05-02T10:02:00Z'), value: 100 },
        ],
        {
          ...latency,
          excluded: [
            {
              start: t('2024-05-02T10:00:00Z'),
              end: t('2024-05-02T10:02:00Z'),
            },
          ],
        },
      ),
    ).toEqual({ good: 1, bad: 0 });
  });

  it('judges a slice cut by maintenance on its remaining samples', () => {
    // Maintenance ends 10:00:30: the bad 10:00:10 sample is out, the good
    // 10:00:40 one stays → the slice is good.
    expect(
      evaluateThresholdSlices(
        [
          { t: t('2024-05-02T10:00:10Z'), value: 900 },
          { t: t('2024-05-02T10:00:40Z'), value: 100 },
        ],
        {
          ...latency,
          excluded: [
            {
              start: t('2024-05-02T09:00:00Z'),
              end: t('2024-05-02T10:00:30Z'),
            },
          ],
        },
      ),
    ).toEqual({ good: 1, bad: 0 });
  });

  it('drops samples in an expanded weekly maintenance window', () => {
    // Sunday 2024-07-07 02:00–04:00 Berlin = 00:00–02:00Z; the 01:30Z spike is
    // maintenance, the 02:00Z reading is not.
    const start = t('2024-07-07T00:00:00Z');
    const end = t('2024-07-08T00:00:00Z');
    const excluded = expandMaintenanceWindows(
      [
        {
          weekly: { day: 'sun', from: '02:00', to: '04:00' },
          timeZone: 'Europe/Berlin',
        },
      ],
      start,
      end,
    );
    expect(
      evaluateThresholdSlices(
        [
          { t: t('2024-07-07T01:30:00Z'), value: 5000 },
          { t: t('2024-07-07T02:00:00Z'), value: 5000 },
        ],
        { ...latency, start, end, excluded },
      ),
    ).toEqual({ good: 0, bad: 1 });
  });

  it('counts nothing without data and ignores non-numbers', () => {
    expect(evaluateThresholdSlices([], latency)).toEqual({ good: 0, bad: 0 });
    expect(
      evaluateThresholdSlices(
        [{ t: t('2024-05-02T10:00:00Z'), value: NaN }],
        latency,
      ),
    ).toEqual({ good: 0, bad: 0 });
  });

  it('rejects a slice length that is not positive', () => {
    expect(() =>
      evaluateThresholdSlices([], { ...latency, sliceMs: 0 }),
    ).toThrow(/Invalid timeslice/);
  });
});
