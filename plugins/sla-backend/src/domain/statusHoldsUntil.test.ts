import fc from 'fast-check';
import { LOOKBACKS } from './lookbacks';
import {
  HOLDS_FOREVER,
  SampleBucket,
  statusHoldsUntil,
} from './statusHoldsUntil';
import { LOOKBACK_KEYS, statusOfTallies, Tally } from './statusOfTallies';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const AT = Date.parse('2026-06-10T12:34:00Z');

/** Figures at `t` from raw samples (ts, good, bad), rolling window `w`. */
function figuresAt(
  samples: Array<{ ts: number } & Tally>,
  t: number,
  w: number,
  objective: number,
) {
  const sum = (len: number): Tally => {
    const out = { good: 0, bad: 0 };
    for (const s of samples) {
      if (s.ts >= t - len && s.ts < t) {
        out.good += s.good;
        out.bad += s.bad;
      }
    }
    return out;
  };
  const lookbacks = Object.fromEntries(
    LOOKBACK_KEYS.map(k => [k, sum(LOOKBACKS[k])]),
  ) as Record<keyof typeof LOOKBACKS, Tally>;
  return statusOfTallies(objective, sum(w), lookbacks);
}

/** Minute buckets of the samples before `at`. */
const minuteBuckets = (samples: Array<{ ts: number } & Tally>, at: number) => {
  const byMinute = new Map<number, SampleBucket>();
  for (const s of samples) {
    if (s.ts >= at) continue;
    const start = Math.floor(s.ts / MINUTE) * MINUTE;
    const b = byMinute.get(start) ?? {
      start,
      end: start + MINUTE,
      good: 0,
      bad: 0,
    };
    b.good += s.good;
    b.bad += s.bad;
    byMinute.set(start, b);
  }
  return [...byMinute.values()];
};

describe('statusHoldsUntil', () => {
  it('gives a healthy target with 28 days of continuous data a far-away instant', () => {
    const W = 28 * DAY;
    const buckets: SampleBucket[] = [];
    // Hourly sums for the window, about 0.03 % bad against a 99.9 % objective.
    for (let t = AT - W - HOUR; t < AT - 2 * HOUR; t += HOUR) {
      buckets.push({ start: t, end: t + HOUR, good: 59_982, bad: 18 });
    }
    for (let t = AT - 2 * HOUR; t < AT; t += MINUTE) {
      buckets.push({ start: t, end: t + MINUTE, good: 999, bad: 1 });
    }
    const kept = { status: 'met' as const, warningLevel: 0 };
    const until = statusHoldsUntil({
      at: AT,
      objective: 99.9,
      kept,
      window: { type: 'rolling', lengthMs: W },
      buckets,
    });
    // Nothing changes until the window has almost emptied.
    expect(until).toBeGreaterThan(AT + 20 * DAY);
    expect(until).toBeLessThanOrEqual(AT + W);
  });

  it('holds a target without data until new data arrives', () => {
    expect(
      statusHoldsUntil({
        at: AT,
        objective: 99,
        kept: { status: 'no-data', warningLevel: 0 },
        window: { type: 'rolling', lengthMs: DAY },
        buckets: [],
      }),
    ).toBe(HOLDS_FOREVER);
    expect(
      statusHoldsUntil({
        at: AT,
        objective: 99,
        kept: { status: 'no-data', warningLevel: 0 },
        window: { type: 'rolling', lengthMs: DAY },
        buckets: [],
        nextDataAt: AT + HOUR,
      }),
    ).toBe(AT + HOUR);
  });

  it('ends with a calendar period and never holds a breached target', () => {
    const window = {
      type: 'calendar' as const,
      end: AT + 5 * HOUR,
      tally: { good: 1000, bad: 0 },
    };
    const buckets = [{ start: AT - HOUR, end: AT, good: 1000, bad: 0 }];
    expect(
      statusHoldsUntil({
        at: AT,
        objective: 99,
        kept: { status: 'met', warningLevel: 0 },
        window,
        buckets,
      }),
    ).toBe(AT + 5 * HOUR);
    expect(
      statusHoldsUntil({
        at: AT,
        objective: 99,
        kept: { status: 'breached', warningLevel: 100 },
        window,
        buckets,
      }),
    ).toBe(AT);
  });

  it('turns due before bad data leaves the window', () => {
    // A day window: 10 bad requests 20 hours ago, then only good ones:
    // remaining budget changes when the bad ones leave (in 4 hours).
    const samples = [
      { ts: AT - 20 * HOUR, good: 990, bad: 10 },
      ...Array.from({ length: 10 }, (_, i) => ({
        ts: AT - (i + 1) * HOUR,
        good: 1000,
        bad: 0,
      })),
    ];
    const kept = figuresAt(samples, AT, DAY, 99.9);
    const until = statusHoldsUntil({
      at: AT,
      objective: 99.9,
      kept,
      window: { type: 'rolling', lengthMs: DAY },
      buckets: minuteBuckets(samples, AT),
    });
    expect(until).toBeLessThanOrEqual(AT + 4 * HOUR + 1);
    expect(until).toBeGreaterThan(AT + 3 * HOUR);
  });

  it('is never later than the first change of the figures (property)', () => {
    const W = [6 * HOUR, DAY, 3 * DAY];
    fc.assert(
      fc.property(
        fc.constantFrom(...W),
        fc.constantFrom(90, 99, 99.9, 100),
        fc.array(
          fc.record({
            ago: fc.integer({ min: 1, max: 3 * DAY + HOUR }),
            good: fc.integer({ min: 0, max: 1000 }),
            bad: fc.integer({ min: 0, max: 30 }),
          }),
          { maxLength: 40 },
        ),
        (w, objective, raw) => {
          const samples = raw.map(s => ({
            ts: AT - s.ago,
            good: s.good,
            bad: s.bad,
          }));
          const now = figuresAt(samples, AT, w, objective);
          const until = statusHoldsUntil({
            at: AT,
            objective,
            kept: now,
            window: { type: 'rolling', lengthMs: w },
            buckets: minuteBuckets(samples, AT),
          });
          // Every instant where a sample leaves some range, and just after.
          const instants = new Set<number>();
          for (const s of samples) {
            for (const len of [w, ...Object.values(LOOKBACKS)]) {
              for (const d of [0, 1, 2]) instants.add(s.ts + len + d);
            }
          }
          for (const t of [...instants].filter(x => x > AT && x < until)) {
            const later = figuresAt(samples, t, w, objective);
            expect([later.status, later.warningLevel]).toEqual([
              now.status,
              now.warningLevel,
            ]);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
