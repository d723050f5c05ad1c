import { LOOKBACKS, Lookback } from './lookbacks';
import { LOOKBACK_KEYS, statusOfTallies, Tally } from './statusOfTallies';
import { TargetStatus } from './targetStatus';

/** An instant later than any evaluation: the status holds for good. */
export const HOLDS_FOREVER = 8_640_000_000_000_000;

/** Sums of the samples stored in [start, end) (ms). */
export type SampleBucket = Tally & { start: number; end: number };

/** What a target's status is computed from, without new data. */
export type HoldsInput = {
  /** The instant of the evaluation. */
  at: number;
  objective: number;
  /** What the evaluation at `at` kept. */
  kept: { status: TargetStatus; warningLevel: number };
  /**
   * The window: rolling with a fixed length (its samples leave it as it
   * moves on), or a calendar period that ends at `end` with these counts
   * (nothing leaves it until then; a new period starts empty).
   */
  window:
    | { type: 'rolling'; lengthMs: number }
    | { type: 'calendar'; end: number; tally: Tally };
  /**
   * The stored samples in [at − longest range, at), as disjoint buckets in
   * any order: the rolling window's and every burn-rate look-back's data.
   * A bucket that starts before a range counts in full (a bound, not a
   * figure: it only makes the answer earlier).
   */
  buckets: SampleBucket[];
  /** The earliest stored sample at or after `at` (it joins the figures). */
  nextDataAt?: number;
};

type Figure = {
  lengthMs: number;
  /** Counts of the buckets no sample of which left yet. */
  untouched: Tally;
  /** How many buckets are untouched (sums of none are exactly 0). */
  untouchedBuckets: number;
  /** Counts of the buckets leaving (some samples may have left). */
  leaving: Tally;
  leavingBuckets: number;
};

const add = (t: Tally, b: Tally, sign: 1 | -1) => {
  t.good += sign * b.good;
  t.bad += sign * b.bad;
};

/**
 * The instant until which a target's kept status and budget warning level
 * are known to hold when no new data arrives: [at, result) holds; at the
 * result they may change (an earlier answer is safe, a later one never
 * happens).
 *
 * Without new data each figure only loses samples: a sample stored at `s`
 * leaves a range of length L once `t − L > s`. Between two instants where a
 * bucket starts or finishes leaving some range, every figure lies between
 * "all leaving buckets gone" and "all still there"; the figures are
 * monotone (more good or less bad never makes a status or a warning level
 * worse), so the status there lies between the one at the best corner (good
 * high, bad low) and the one at the worst corner. The sweep stops at the
 * first span where either corner differs from what was kept, or where the
 * window may be empty. Calendar periods end at their end; later stored data
 * joins at its instant.
 */
export function statusHoldsUntil(input: HoldsInput): number {
  const { at, objective, kept, window } = input;
  let limit = input.nextDataAt ?? HOLDS_FOREVER;
  if (window.type === 'calendar') limit = Math.min(limit, window.end);
  if (limit <= at) return at;
  if (kept.status === 'breached') return at;

  const figures = new Map<string, Figure>();
  const make = (lengthMs: number): Figure => ({
    lengthMs,
    untouched: { good: 0, bad: 0 },
    untouchedBuckets: 0,
    leaving: { good: 0, bad: 0 },
    leavingBuckets: 0,
  });
  if (window.type === 'rolling') figures.set('window', make(window.lengthMs));
  for (const k of LOOKBACK_KEYS) figures.set(k, make(LOOKBACKS[k]));

  // Events: a bucket starts leaving a figure at start + L, has left at end + L.
  type Event = { t: number; figure: Figure; bucket: Tally; leaves: boolean };
  const events: Event[] = [];
  for (const figure of figures.values()) {
    const from = at - figure.lengthMs;
    for (const b of input.buckets) {
      if (b.end <= from || b.start >= at) continue;
      if (!(b.good > 0 || b.bad > 0)) continue;
      add(figure.untouched, b, 1);
      figure.untouchedBuckets++;
      events.push({
        t: b.start + figure.lengthMs,
        figure,
        bucket: b,
        leaves: false,
      });
      events.push({
        t: b.end + figure.lengthMs,
        figure,
        bucket: b,
        leaves: true,
      });
    }
  }
  events.sort((a, b) => a.t - b.t);

  const corner = (best: boolean) => {
    const tallyOf = (f: Figure): Tally =>
      best
        ? {
            good: f.untouched.good + f.leaving.good,
            bad: f.untouched.bad,
          }
        : {
            good: f.untouched.good,
            bad: f.untouched.bad + f.leaving.bad,
          };
    const windowTally =
      window.type === 'rolling'
        ? tallyOf(figures.get('window')!)
        : window.tally;
    const lookbacks = Object.fromEntries(
      LOOKBACK_KEYS.map(k => [k, tallyOf(figures.get(k)!)]),
    ) as Record<Lookback, Tally>;
    return statusOfTallies(objective, windowTally, lookbacks);
  };
  const windowMayBeEmpty = () => {
    if (window.type === 'calendar') {
      return !(window.tally.good + window.tally.bad > 0);
    }
    const f = figures.get('window')!;
    return (
      f.untouchedBuckets === 0 || !(f.untouched.good + f.untouched.bad > 0)
    );
  };
  const holds = () => {
    if (windowMayBeEmpty()) return false;
    for (const best of [true, false]) {
      const c = corner(best);
      if (c.status !== kept.status || c.warningLevel !== kept.warningLevel) {
        return false;
      }
    }
    return true;
  };

  let i = 0;
  /** Applies every event up to `t`: the figures of the span from `t`. */
  const applyUntil = (t: number) => {
    while (i < events.length && events[i].t <= t) {
      const e = events[i++];
      if (e.leaves) {
        add(e.figure.leaving, e.bucket, -1);
        if (--e.figure.leavingBuckets === 0) {
          e.figure.leaving = { good: 0, bad: 0 };
        }
      } else {
        add(e.figure.untouched, e.bucket, -1);
        add(e.figure.leaving, e.bucket, 1);
        e.figure.leavingBuckets++;
        if (--e.figure.untouchedBuckets === 0) {
          e.figure.untouched = { good: 0, bad: 0 };
        }
      }
    }
  };
  applyUntil(at);
  // Nothing counted: only new data (or nothing) changes that.
  if (kept.status === 'no-data') {
    return windowMayBeEmpty() && kept.warningLevel === 0 ? limit : at;
  }
  let start = at;
  for (;;) {
    applyUntil(start);
    if (start >= limit) return limit;
    if (!holds()) return start;
    if (i >= events.length) return limit;
    start = events[i].t;
  }
}
