import { InputError } from '@backstage/errors';

/** Items per page when `limit` is not given (product reference §4, v1.1). */
export const DEFAULT_PAGE_SIZE = 50;
/** The most items one page may hold. */
export const MAX_PAGE_SIZE = 500;

/** A position in a list's order: the sort key of the last item of a page. */
export type CursorKey = Array<string | number>;

/** A page asked for: how many items, and after which position. */
export type PageRequest = { limit: number; after?: CursorKey };

/** One page of a list. `nextCursor` is absent on the last page. */
export type Page<T> = { items: T[]; nextCursor?: string };

/**
 * The page a request asks for, from its `limit` and `cursor` query
 * parameters. A cursor is opaque to clients: base64url JSON of the list's
 * name and the key of the last item given (keyset paging, so items
 * inserted meanwhile never shift a later page). 400 naming the field for a
 * limit outside 1–500 or a cursor this list did not give.
 */
export function parsePageRequest(
  list: string,
  query: { limit?: unknown; cursor?: unknown },
  keyShape: Array<'string' | 'number'>,
): PageRequest {
  let limit = DEFAULT_PAGE_SIZE;
  if (query.limit !== undefined && query.limit !== '') {
    const value =
      typeof query.limit === 'number' ? query.limit : Number(query.limit);
    if (!Number.isInteger(value) || value < 1 || value > MAX_PAGE_SIZE) {
      throw new InputError(
        `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`,
      );
    }
    limit = value;
  }
  if (query.cursor === undefined) return { limit };
  const after = decodeCursor(list, query.cursor, keyShape);
  if (!after) {
    throw new InputError(
      `cursor is not a cursor of ${list}: pass the nextCursor of the previous page unchanged`,
    );
  }
  return { limit, after };
}

function decodeCursor(
  list: string,
  cursor: unknown,
  keyShape: Array<'string' | 'number'>,
): CursorKey | undefined {
  if (typeof cursor !== 'string' || !/^[A-Za-z0-9_-]{1,2000}$/.test(cursor)) {
    return undefined;
  }
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    if (parsed?.l !== list || !Array.isArray(parsed.k)) return undefined;
    const key: unknown[] = parsed.k;
    if (key.length !== keyShape.length) return undefined;
    if (key.some((v, i) => typeof v !== keyShape[i])) return undefined;
    return key as CursorKey;
  } catch {
    return undefined;
  }
}

export function encodeCursor(list: string, key: CursorKey): string {
  return Buffer.from(JSON.stringify({ l: list, k: key })).toString('base64url');
}

/**
 * One page of a list already in its order (`compare` orders keys the same
 * way): the items after the cursor's key, at most `limit`, and the cursor
 * of the next page when more follow. For lists read whole anyway (one
 * entity's reviews, the portfolio, whose KPIs cover every service).
 */
export function pageOfSorted<T>(
  list: string,
  sorted: T[],
  keyOf: (item: T) => CursorKey,
  compare: (a: CursorKey, b: CursorKey) => number,
  page: PageRequest,
): Page<T> {
  let start = 0;
  if (page.after) {
    const after = page.after;
    start = sorted.findIndex(item => compare(keyOf(item), after) > 0);
    if (start < 0) start = sorted.length;
  }
  const items = sorted.slice(start, start + page.limit);
  const more = start + page.limit < sorted.length;
  return more && items.length
    ? { items, nextCursor: encodeCursor(list, keyOf(items[items.length - 1])) }
    : { items };
}

/**
 * A page from rows read `limit + 1` at a time in the list's order: the
 * extra row says whether another page follows.
 */
export function pageOfRows<T>(
  list: string,
  rows: T[],
  keyOf: (item: T) => CursorKey,
  limit: number,
): Page<T> {
  if (rows.length <= limit) return { items: rows };
  const items = rows.slice(0, limit);
  return {
    items,
    nextCursor: encodeCursor(list, keyOf(items[items.length - 1])),
  };
}

const text = (a: string | number, b: string | number) => {
  if (a === b) return 0;
  return a < b ? -1 : 1;
};

/** Newest first by an ISO instant, then by id: the order of most lists. */
export function newestFirstThenId(a: CursorKey, b: CursorKey): number {
  return text(b[0], a[0]) || text(a[1], b[1]);
}
