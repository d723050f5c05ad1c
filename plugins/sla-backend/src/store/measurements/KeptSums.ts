import { floorTo } from '../rollupLevels';
import { TwoGenerationMap } from '../TwoGenerationMap';

/** A series' write stamps (migration 20261122430000). */
export type SeriesStamp = { high?: number; late: number };

/** A distinct range's identity (and, with the series' stamp, its kept sum's). */
export const rangeKey = (
  t: number,
  seriesId: number,
  resolution: number,
  sliceKey: string | null,
  start: number,
  end: number,
) => `${t}|${seriesId}|${resolution}|${sliceKey}|${start}|${end}`;

/** One distinct range to sum, and the plan ranges that use it. */
export type SumRead = {
  key: string;
  t: 0 | 1;
  s: number;
  r: number;
  a: number;
  b: number;
  k: string | null;
  /** Slice length of slice rollups (0 for ratio). */
  spare: number;
  uses: Array<{ id: number; sign: 1 | -1 }>;
};

/**
 * Sums over ranges of stored data, least recently used first out. A sum is
 * kept under its series' `late_writes`, and only for a range that ends at
 * or before the series' `high_ts` (with a whole slice to spare for slice
 * rollups, whose slices may straddle a bucket edge): later samples in time
 * order cannot change it, and a late one moves `late_writes`, so a stale
 * sum is never found. The stamps are read from the database on every use,
 * so writes through other replicas count too.
 */
type RangeSums = TwoGenerationMap<string, { x: number; y: number }>;

/**
 * Kept sums: the RangeSums of this process and the series' stamps seen
 * last, which choose the kept sums a read may use (see
 * PlanReader.readPlans).
 */
export class KeptSums {
  private readonly sums: RangeSums | undefined;

  /** Stamps seen last per series id (see readPlans). */
  private readonly seenStamps = new Map<number, SeriesStamp>();

  /** capacity: sums kept for reuse (0: none). */
  constructor(capacity: number) {
    this.sums = capacity > 0 ? new TwoGenerationMap(capacity) : undefined;
  }

  get enabled(): boolean {
    return this.sums !== undefined;
  }

  /**
   * Kept sums, by the stamps seen last, go to `add`; what is left to read
   * comes back, with the unkept ends of split ranges once each (plans
   * ending alike share them), and the stamp (`late_writes`) each series'
   * kept sums were chosen by.
   */
  plan(
    distinct: Iterable<SumRead>,
    reuse: boolean,
    add: (d: SumRead, x: number, y: number) => void,
  ): { toRead: SumRead[]; reused: Map<number, number> } {
    const keep = this.sums;
    const toRead: SumRead[] = [];
    const reused = new Map<number, number>();
    const tails = new Map<string, SumRead>();
    for (const d of distinct) {
      const seen = reuse ? this.seenStamps.get(d.s) : undefined;
      // Raw ranges are short edges that move with `at`: read, not kept.
      if (!keep || seen?.high === undefined || d.r === 0) {
        toRead.push(d);
        continue;
      }
      const cut = Math.min(d.b, floorTo(seen.high - d.spare, d.r));
      if (cut <= d.a) {
        toRead.push(d);
        continue;
      }
      const head =
        cut === d.b
          ? d
          : { ...d, key: rangeKey(d.t, d.s, d.r, d.k, d.a, cut), b: cut };
      const kept = keep.get(`${head.key}|${seen.late}`);
      if (kept) {
        add(head, kept.x, kept.y);
        reused.set(d.s, seen.late);
      } else toRead.push(head);
      if (cut < d.b) {
        const key = rangeKey(d.t, d.s, d.r, d.k, cut, d.b);
        const same = tails.get(key);
        if (same) same.uses.push(...d.uses);
        else {
          const tail = { ...d, key, a: cut, uses: [...d.uses] };
          tails.set(key, tail);
          toRead.push(tail);
        }
      }
    }
    return { toRead, reused };
  }

  /**
   * Records the stamps a read answered; false when a series' `late_writes`
   * moved since the kept sums used for it were chosen (they may be stale).
   */
  observe(
    stamps: Map<number, SeriesStamp>,
    reused: Map<number, number>,
  ): boolean {
    for (const [id, stamp] of stamps) this.seenStamps.set(id, stamp);
    if (this.seenStamps.size > 100_000) this.seenStamps.clear();
    for (const [id, late] of reused) {
      // A late write since the stamps were seen: kept sums may be stale.
      if (stamps.get(id)?.late !== late) return false;
    }
    return true;
  }

  /** Keeps a sum just read, when later samples in time order cannot change it. */
  keep(
    d: SumRead,
    sum: { x: number; y: number },
    stamp: SeriesStamp | undefined,
  ) {
    if (this.sums && stamp?.high !== undefined && d.r > 0) {
      if (d.b + d.spare <= stamp.high)
        this.sums.set(`${d.key}|${stamp.late}`, sum);
    }
  }
}
