import { SlaClient } from './SlaClient';

/**
 * A backend of three agreements served two per page (the injected fetch
 * the client takes, ADR 014), recording what was asked.
 */
function pagedBackend() {
  const asked: URL[] = [];
  const all = ['a1', 'a2', 'a3'].map(id => ({ id }));
  const fetchApi = {
    fetch: async (input: string | URL | Request) => {
      const url = new URL(String(input));
      asked.push(url);
      const cursor = url.searchParams.get('cursor');
      const limit = Math.min(Number(url.searchParams.get('limit') ?? 50), 2);
      const start = cursor ? Number(cursor) : 0;
      const items = all.slice(start, start + limit);
      const next =
        start + limit < all.length ? String(start + limit) : undefined;
      return new Response(
        JSON.stringify({ items, ...(next ? { nextCursor: next } : {}) }),
        { status: 200, headers: { 'Content-Type': 'application/json' } },
      );
    },
  };
  const client = new SlaClient({
    discoveryApi: { getBaseUrl: async () => 'http://sla.test/api/sla' },
    fetchApi,
  });
  return { client, asked };
}

describe('SlaClient paging', () => {
  it('follows nextCursor when no page was asked for, 500 a page', async () => {
    const { client, asked } = pagedBackend();
    const result = await client.listAgreements({
      entityRef: 'component:default/x',
    });
    expect(result.items.map(a => a.id)).toEqual(['a1', 'a2', 'a3']);
    expect(result.nextCursor).toBeUndefined();
    expect(
      asked.map(u => [
        u.searchParams.get('limit'),
        u.searchParams.get('cursor'),
      ]),
    ).toEqual([
      ['500', null],
      ['500', '2'],
    ]);
    expect(asked[0].searchParams.get('entityRef')).toBe('component:default/x');
  });

  it('answers one page with its cursor when a page was asked for', async () => {
    const { client, asked } = pagedBackend();
    const first = await client.listAgreements({ limit: 2 });
    expect(first.items.map(a => a.id)).toEqual(['a1', 'a2']);
    expect(first.nextCursor).toBe('2');
    const last = await client.listAgreements({
      limit: 2,
      cursor: first.nextCursor,
    });
    expect(last.items.map(a => a.id)).toEqual(['a3']);
    expect(last.nextCursor).toBeUndefined();
    expect(asked).toHaveLength(2);
  });
});
