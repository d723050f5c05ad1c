import type { ServiceSummary } from '@opensla/backstage-plugin-sla-common';
import {
  Period,
  PeriodTally,
  PortfolioKey,
  PortfolioOrder,
  PortfolioSort,
  ServiceReading,
  StatusSource,
  comparePortfolioKeys,
  emptyPeriodTally,
  portfolioSortKey,
  sortKeyIsNumber,
  tallyReading,
} from '../domain/portfolio';

/** One service's figures in a view, computed at a period's end. */
export type ViewEntryValue = {
  /** The service's entity ref in lower case. */
  ref: string;
  item: ServiceSummary;
  reading: ServiceReading;
  previousReading: ServiceReading;
  /** The periods it was computed for (its figures hold until `until`). */
  current: Period;
  previous: Period;
  /** figuresStableUntil: the first period end its figures may change at. */
  until: number;
  /** Its agreements awaiting a signature. */
  awaiting: number;
  /** Whether it passes the status and awaiting-signature filters. */
  matches: boolean;
  /** The earliest instant a kept status it read is for, at each end. */
  oldestNow: number;
  oldestBefore: number;
};

/**
 * A service's entry computed at period end `end` (undefined: a status
 * would have to be evaluated, the view cannot hold it).
 */
export type ViewCompute = (
  serviceIndex: number,
  end: number,
) => ViewEntryValue | undefined;

type Entry = ViewEntryValue & { index: number };

/** localeCompare's order, without a collator per comparison. */
const collator = new Intl.Collator();

/**
 * A sorted list of a view's matching entries in one order: by a number
 * per entry (the sort key, or its rank among the text keys), then by the
 * service's position in the services read (entity-ref order, as
 * comparePortfolioKeys breaks ties), so no text is compared per pair.
 */
type SortedList = {
  entries: Entry[];
  rank: (e: Entry) => number | undefined;
  sign: number;
};

/**
 * The portfolio of one query kept between requests (issue 14): every
 * candidate service's summary with the instant until which its figures
 * hold, the KPI sums over the matching ones (PeriodTally), and the
 * matching ones sorted per order asked for. A request whose inputs are
 * the same objects (each read under its database stamp, so a write by any
 * replica makes them new) only computes again the services whose instant
 * has come, and moves them in the sums and sorted lists; anything else
 * builds the view anew. The figures are the ones visiting every service
 * gives (PortfolioService.matchingByVisiting; tested equal).
 * @internal
 */
export class PortfolioView {
  readonly current: PeriodTally = emptyPeriodTally();
  readonly previous: PeriodTally = emptyPeriodTally();
  awaiting = 0;
  total = 0;
  /** Lower-case refs of the matching services. */
  readonly matchingRefs = new Set<string>();
  private readonly entries: Entry[] = [];
  /** Positions in `entries`, a binary heap by `until`. */
  private readonly heap: number[] = [];
  private readonly oldestCounts = {
    now: new Map<number, number>(),
    before: new Map<number, number>(),
  };
  private readonly oldestMin: { now?: number; before?: number } = {};
  private readonly sorted = new Map<string, SortedList>();

  private constructor(
    private readonly inputs: unknown[],
    private end: number,
  ) {}

  /** The view of the candidates at period end `end`, or undefined. */
  static build(
    inputs: unknown[],
    candidates: number[],
    end: number,
    compute: ViewCompute,
  ): PortfolioView | undefined {
    const view = new PortfolioView(inputs, end);
    for (const i of candidates) {
      const value = compute(i, end);
      if (!value) return undefined;
      const position = view.entries.length;
      const entry = { ...value, index: i };
      view.entries.push(entry);
      view.count(entry, 1);
      view.push(position);
    }
    return view;
  }

  /**
   * Whether the view can answer for period end `end`: the same inputs,
   * no earlier end than it answered for, and every live status it read
   * still young enough for the sources of this request.
   */
  holds(
    inputs: unknown[],
    end: number,
    _maxStatusAgeMs: number,
    now: StatusSource,
    before: StatusSource,
  ): boolean {
    if (end < this.end || inputs.length !== this.inputs.length) return false;
    for (let i = 0; i < inputs.length; i++) {
      if (inputs[i] !== this.inputs[i]) return false;
    }
    if (now.kind === 'live' && this.oldestOf('now') < now.oldest) return false;
    if (before.kind === 'live' && this.oldestOf('before') < before.oldest) {
      return false;
    }
    return true;
  }

  /**
   * Computes again the services whose figures may have changed by `end`
   * (false: one cannot be computed from what is kept; build anew).
   */
  advance(end: number, compute: ViewCompute): boolean {
    while (this.heap.length && this.entries[this.heap[0]].until <= end) {
      const position = this.pop();
      const old = this.entries[position];
      const value = compute(old.index, end);
      if (!value) return false;
      const entry = { ...value, index: old.index };
      this.count(old, -1);
      this.entries[position] = entry;
      this.count(entry, 1);
      this.push(position);
      this.resort(old, entry);
    }
    this.end = end;
    return true;
  }

  /** The earliest instant of a kept status read at an end (∞: none). */
  oldest(which: 'now' | 'before'): number {
    return this.oldestOf(which);
  }

  /** The page after `after` in the order asked for. */
  page(
    sort: PortfolioSort,
    order: PortfolioOrder,
    after: PortfolioKey | undefined,
    limit: number,
  ): { items: ServiceSummary[]; last?: PortfolioKey; more: boolean } {
    const list = this.list(sort, order).entries;
    let start = 0;
    if (after) {
      // the first entry after the cursor (by the page order itself)
      const compare = comparePortfolioKeys(order);
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        const item = list[mid].item;
        const key: PortfolioKey = [
          portfolioSortKey(item, sort),
          item.entityRef,
        ];
        if (compare(key, after) <= 0) lo = mid + 1;
        else hi = mid;
      }
      start = lo;
    }
    const items = list.slice(start, start + limit).map(e => e.item);
    const lastItem = items[items.length - 1];
    return {
      items,
      ...(lastItem
        ? { last: [portfolioSortKey(lastItem, sort), lastItem.entityRef] }
        : {}),
      more: start + limit < list.length,
    };
  }

  /** Every matching service in the order asked for (kept objects). */
  all(sort: PortfolioSort, order: PortfolioOrder): ServiceSummary[] {
    return this.list(sort, order).entries.map(e => e.item);
  }

  private count(entry: Entry, sign: 1 | -1) {
    this.addOldest('now', entry.oldestNow, sign);
    this.addOldest('before', entry.oldestBefore, sign);
    if (!entry.matches) return;
    this.total += sign;
    this.awaiting += sign * entry.awaiting;
    tallyReading(this.current, entry.reading, entry.current, sign);
    tallyReading(this.previous, entry.previousReading, entry.previous, sign);
    if (sign > 0) this.matchingRefs.add(entry.ref);
    else this.matchingRefs.delete(entry.ref);
  }

  private addOldest(which: 'now' | 'before', at: number, sign: 1 | -1) {
    if (!Number.isFinite(at)) return;
    const counts = this.oldestCounts[which];
    const n = (counts.get(at) ?? 0) + sign;
    if (n > 0) counts.set(at, n);
    else counts.delete(at);
    const min = this.oldestMin[which];
    if (sign > 0) {
      if (min !== undefined && at < min) this.oldestMin[which] = at;
    } else if (n <= 0 && at === min) {
      this.oldestMin[which] = undefined;
    }
  }

  private oldestOf(which: 'now' | 'before'): number {
    let min = this.oldestMin[which];
    if (min === undefined) {
      min = Infinity;
      for (const at of this.oldestCounts[which].keys()) if (at < min) min = at;
      this.oldestMin[which] = min;
    }
    return min;
  }

  private list(sort: PortfolioSort, order: PortfolioOrder): SortedList {
    const key = `${sort}/${order}`;
    let list = this.sorted.get(key);
    if (!list) {
      const matching = this.entries.filter(e => e.matches);
      list = {
        entries: matching,
        rank: rankOf(sort, matching),
        sign: order === 'desc' ? -1 : 1,
      };
      const { rank, sign } = list;
      const ranks = new Map<Entry, number>();
      for (const e of matching) ranks.set(e, rank(e)!);
      matching.sort(
        (a, b) => sign * (ranks.get(a)! - ranks.get(b)!) || a.index - b.index,
      );
      this.sorted.set(key, list);
    }
    return list;
  }

  /** Moves a recomputed entry in every sorted list kept. */
  private resort(old: Entry, entry: Entry) {
    for (const [key, list] of this.sorted) {
      if (old.matches && !this.remove(list, old)) {
        this.sorted.delete(key);
        continue;
      }
      if (entry.matches && !this.insert(list, entry)) this.sorted.delete(key);
    }
  }

  private position(list: SortedList, entry: Entry): number | undefined {
    const r = list.rank(entry);
    if (r === undefined) return undefined;
    let lo = 0;
    let hi = list.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const other = list.entries[mid];
      const c =
        list.sign * (list.rank(other)! - r) || other.index - entry.index;
      if (c < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private remove(list: SortedList, entry: Entry): boolean {
    const at = this.position(list, entry);
    if (at === undefined || list.entries[at] !== entry) return false;
    list.entries.splice(at, 1);
    return true;
  }

  private insert(list: SortedList, entry: Entry): boolean {
    const at = this.position(list, entry);
    if (at === undefined) return false;
    list.entries.splice(at, 0, entry);
    return true;
  }

  private push(position: number) {
    const heap = this.heap;
    const until = (p: number) => this.entries[p].until;
    heap.push(position);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (until(heap[parent]) <= until(heap[i])) break;
      [heap[parent], heap[i]] = [heap[i], heap[parent]];
      i = parent;
    }
  }

  private pop(): number {
    const heap = this.heap;
    const until = (p: number) => this.entries[p].until;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && until(heap[l]) < until(heap[m])) m = l;
        if (r < heap.length && until(heap[r]) < until(heap[m])) m = r;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i], heap[m]];
        i = m;
      }
    }
    return top;
  }
}

/**
 * The number an entry sorts by in a sort: the key itself when it is a
 * number, the position of its text among the texts of the entries (in the
 * collator's order) otherwise, the service's position for `service`.
 * Undefined for a text not seen when the list was made (the list is then
 * made anew).
 */
function rankOf(
  sort: PortfolioSort,
  entries: Entry[],
): (e: Entry) => number | undefined {
  if (sort === 'service') return e => e.index;
  if (sortKeyIsNumber(sort)) {
    return e => portfolioSortKey(e.item, sort) as number;
  }
  const texts = [
    ...new Set(entries.map(e => String(portfolioSortKey(e.item, sort)))),
  ].sort((a, b) => collator.compare(a, b));
  const ranks = new Map<string, number>();
  // texts the collator holds equal share a rank
  let rank = 0;
  for (let i = 0; i < texts.length; i++) {
    if (i > 0 && collator.compare(texts[i - 1], texts[i]) !== 0) rank++;
    ranks.set(texts[i], rank);
  }
  return e => ranks.get(String(portfolioSortKey(e.item, sort)));
}
