/**
 * The portfolio as a query (issue 14): which services match a search, how
 * a page is ordered, and which services a page after a cursor holds. Pure:
 * the service hands in every matching service's summary. A new filter
 * (e.g. "awaiting signature") is one more field of PortfolioFilters
 * checked in `matchesPortfolioFilters`; a new KPI is one more entry of
 * `portfolioKpis` (kpis.ts), computed from ServiceReading.
 */

/** The columns the portfolio can be sorted by. */
export const PORTFOLIO_SORTS = [
  'status',
  'service',
  'owners',
  'kinds',
  'targetsMet',
  'breaches',
  'csat',
  'review',
] as const;
export type PortfolioSort = (typeof PORTFOLIO_SORTS)[number];
export const PORTFOLIO_ORDERS = ['asc', 'desc'] as const;
export type PortfolioOrder = (typeof PORTFOLIO_ORDERS)[number];

/** What a sort key is read from: the fields of a service's summary. */
export type SortableSummary = {
  entityRef: string;
  owners: string[];
  kinds: string[];
  worstStatus: string | null;
  targetsMetPercent: number | null;
  breaches: { total: number };
  csat: number | null;
  nextReviewDue: string | null;
};

/** Worst first, then services with nothing in force. */
const STATUS_RANK: Record<string, number> = {
  breached: 0,
  'at-risk': 1,
  met: 2,
  'no-data': 3,
};
const NOTHING_IN_FORCE = 4;

/** A page's position: the sort key and the entity ref of an item. */
export type PortfolioKey = [string | number, string];

/** Whether a sort's key is a number (else text), for the cursor's shape. */
export function sortKeyIsNumber(sort: PortfolioSort): boolean {
  return (
    sort !== 'service' &&
    sort !== 'owners' &&
    sort !== 'kinds' &&
    sort !== 'review'
  );
}

/**
 * The key a service sorts by. Ascending status is worst first; a missing
 * figure sorts below every figure; a review never due sorts last.
 */
export function portfolioSortKey(
  item: SortableSummary,
  sort: PortfolioSort,
): string | number {
  switch (sort) {
    case 'status':
      return item.worstStatus === null
        ? NOTHING_IN_FORCE
        : STATUS_RANK[item.worstStatus] ?? NOTHING_IN_FORCE;
    case 'service':
      return item.entityRef;
    case 'owners':
      return item.owners.join();
    case 'kinds':
      return item.kinds.join();
    case 'targetsMet':
      return item.targetsMetPercent ?? -1;
    case 'breaches':
      return item.breaches.total;
    case 'csat':
      return item.csat ?? -1;
    case 'review':
      return item.nextReviewDue ?? '9999';
    default:
      throw new Error(`unknown sort ${sort}`);
  }
}

/** localeCompare's order, without a collator per comparison. */
const collator = new Intl.Collator();

function compareValues(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(String(a), String(b));
}

/**
 * The page order: by the key (reversed for `desc`), then by entity ref
 * ascending, so every order is total and a cursor names one position.
 */
export function comparePortfolioKeys(order: PortfolioOrder) {
  const sign = order === 'desc' ? -1 : 1;
  return (a: PortfolioKey, b: PortfolioKey): number =>
    sign * compareValues(a[0], b[0]) || collator.compare(a[1], b[1]);
}

/**
 * Whether a service matches the search text: a case-insensitive part of
 * its entity ref, one of its owners or one of its agreements' kinds (what
 * the page's search box searched before).
 */
export function matchesPortfolioSearch(
  item: { entityRef: string; owners: string[]; kinds: string[] },
  search: string | undefined,
): boolean {
  if (!search) return true;
  const needle = search.toLocaleLowerCase('en-US');
  if (item.entityRef.toLocaleLowerCase('en-US').includes(needle)) return true;
  for (const o of item.owners) {
    if (o.toLocaleLowerCase('en-US').includes(needle)) return true;
  }
  for (const k of item.kinds) {
    if (k.toLocaleLowerCase('en-US').includes(needle)) return true;
  }
  return false;
}

/**
 * The page after `after` of at most `limit` items in the order of `sort`
 * and `order`, without sorting everything: one pass keeps the `limit + 1`
 * first items (the extra one says whether more follow).
 */
export function portfolioPage<T extends SortableSummary>(
  items: T[],
  options: {
    sort: PortfolioSort;
    order: PortfolioOrder;
    after?: PortfolioKey;
    limit: number;
  },
): { items: T[]; last?: PortfolioKey; more: boolean } {
  const { sort, order, after, limit } = options;
  const compare = comparePortfolioKeys(order);
  const keep = limit + 1;
  const best: Array<{ key: PortfolioKey; item: T }> = [];
  for (const item of items) {
    const key: PortfolioKey = [portfolioSortKey(item, sort), item.entityRef];
    if (after && compare(key, after) <= 0) continue;
    if (best.length === keep && compare(key, best[keep - 1].key) >= 0) {
      continue;
    }
    // binary insertion into the kept, sorted items
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compare(best[mid].key, key) <= 0) lo = mid + 1;
      else hi = mid;
    }
    best.splice(lo, 0, { key, item });
    if (best.length > keep) best.pop();
  }
  const more = best.length > limit;
  const page = best.slice(0, limit);
  return {
    items: page.map(b => b.item),
    ...(page.length ? { last: page[page.length - 1].key } : {}),
    more,
  };
}

/** Every item in the order of `sort` and `order` (for the CSV export). */
export function sortPortfolio<T extends SortableSummary>(
  items: T[],
  sort: PortfolioSort,
  order: PortfolioOrder,
): T[] {
  const compare = comparePortfolioKeys(order);
  return items
    .map(item => ({
      key: [portfolioSortKey(item, sort), item.entityRef] as PortfolioKey,
      item,
    }))
    .sort((a, b) => compare(a.key, b.key))
    .map(x => x.item);
}
