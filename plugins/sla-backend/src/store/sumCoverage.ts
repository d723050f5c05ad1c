import type { Interval } from '../domain';

/** Sorted points with prefix sums, for range sums in O(log n). */
export class PrefixSums<K extends string> {
  private readonly times: number[];
  private readonly sums: Record<K, number[]>;

  constructor(points: Array<{ t: number } & Record<K, number>>, keys: K[]) {
    const sorted = [...points].sort((a, b) => a.t - b.t);
    this.times = sorted.map(p => p.t);
    this.sums = {} as Record<K, number[]>;
    for (const key of keys) {
      const acc = [0];
      for (const p of sorted) acc.push(acc[acc.length - 1] + p[key]);
      this.sums[key] = acc;
    }
  }

  private lowerBound(t: number): number {
    let lo = 0;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.times[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Sum of `key` over points with start ≤ t < end. */
  sum(key: K, range: Interval): number {
    const a = this.lowerBound(range.start);
    const b = this.lowerBound(range.end);
    return this.sums[key][b] - this.sums[key][a];
  }

  /** Indexes [a, b) of the points with start ≤ t < end. */
  indexes(range: Interval): [number, number] {
    return [this.lowerBound(range.start), this.lowerBound(range.end)];
  }
}
