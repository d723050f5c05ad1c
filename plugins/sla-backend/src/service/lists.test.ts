import { randomUUID } from 'node:crypto';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  alice,
  bob,
  databases,
  startSlaBackend,
  validAgreement,
} from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

/**
 * Issue 13 item 3: every list route pages with `limit` and an opaque
 * `cursor` in a stable order (product reference §4 "Lists and bounds").
 * Each list is seeded with five items and read two at a time.
 */
const CHECKOUT = 'component:default/checkout';
const iso = (t: number) => new Date(t).toISOString();
const user = (name: string) =>
  mockCredentials.user.header(`user:default/${name}`);

type Backend = Awaited<ReturnType<typeof startSlaBackend>>;

type ListCase = {
  /** The list's path with its filter, without paging. */
  path: string;
  /** Adds one item; returns nothing (items are read back by id). */
  add: (backend: Backend, i: number) => Promise<void>;
  /** The items' identity in the answer. */
  idOf?: (item: any) => string;
  /** Before the items: e.g. an agreement the items belong to. */
  setup?: (backend: Backend) => Promise<Record<string, string>>;
};

async function agreeCheckout(
  backend: Backend,
  overrides: Record<string, unknown> = {},
) {
  const created = await backend.http
    .post('/api/sla/agreements')
    .set('Authorization', alice)
    .send(validAgreement(overrides));
  expect(created.status).toBe(201);
  for (const to of ['draft', 'negotiation', 'agreed']) {
    const res = await backend.http
      .post(`/api/sla/agreements/${created.body.id}/transitions`)
      .set('Authorization', alice)
      .send({ to });
    expect(res.status).toBe(200);
  }
  return created.body.id as string;
}

let context: Record<string, string> = {};

const ENTITIES = [
  'component:default/checkout',
  'api:default/orders-api',
  'resource:default/psp',
  'resource:default/orders-db',
  'component:default/web',
  'component:default/gateway',
  'component:default/recs',
  'component:default/orders',
];

const cases: Record<string, ListCase> = {
  agreements: {
    path: `/api/sla/agreements?entityRef=${CHECKOUT}`,
    add: async ({ http }, i) => {
      const res = await http
        .post('/api/sla/agreements')
        .set('Authorization', alice)
        .send(validAgreement({ title: `Checkout SLA ${i}` }));
      expect(res.status).toBe(201);
    },
  },
  history: {
    path: '/api/sla/agreements/{id}/history',
    setup: async ({ http }) => {
      const res = await http
        .post('/api/sla/agreements')
        .set('Authorization', alice)
        .send(validAgreement());
      expect(res.status).toBe(201);
      return { id: res.body.id };
    },
    add: async ({ http }, i) => {
      const current = await http
        .get(`/api/sla/agreements/${context.id}`)
        .set('Authorization', alice);
      const res = await http
        .put(`/api/sla/agreements/${context.id}`)
        .set('Authorization', alice)
        .send({ ...current.body, title: `Checkout SLA v${i}` });
      expect(res.status).toBe(200);
    },
    idOf: h => String(h.version),
  },
  breaches: {
    path: `/api/sla/breaches?entityRef=${CHECKOUT}`,
    // Breach records are written by the evaluation; here straight into the
    // table (opened at distinct hours, newest added last).
    add: async ({ knex }, i) => {
      await knex('sla_breaches').insert({
        id: randomUUID(),
        entity_ref: CHECKOUT,
        agreement_id: 'a',
        target_id: 't',
        opened_at: iso(Date.UTC(2026, 0, 1) + i * 3_600_000),
        closed_at: iso(Date.UTC(2026, 0, 1) + i * 3_600_000 + 60_000),
        severity: 'minor',
        cause: 'own',
        details: '{}',
      });
    },
  },
  feedback: {
    path: `/api/sla/feedback?entityRef=${CHECKOUT}`,
    add: async ({ http }, i) => {
      const res = await http
        .post('/api/sla/feedback')
        .set('Authorization', user(`reader-${i}`))
        .send({ entityRef: CHECKOUT, kind: 'impromptu', score: 4 });
      expect(res.status).toBe(201);
    },
  },
  reviews: {
    path: `/api/sla/reviews?entityRef=${CHECKOUT}`,
    setup: async backend => ({ agreementId: await agreeCheckout(backend) }),
    add: async ({ http }, i) => {
      const res = await http
        .post('/api/sla/reviews')
        .set('Authorization', alice)
        .send({
          agreementId: context.agreementId,
          period: {
            start: iso(Date.now() - 30 * 86_400_000),
            end: iso(Date.now() + 60_000),
          },
          participants: ['user:default/alice'],
          minutes: `Review ${i}`,
        });
      expect(res.status).toBe(201);
    },
  },
  improvements: {
    path: `/api/sla/improvements?entityRef=${CHECKOUT}`,
    add: async ({ http }, i) => {
      const res = await http
        .post('/api/sla/improvements')
        .set('Authorization', alice)
        .send({
          entityRef: CHECKOUT,
          title: `Initiative ${i}`,
          source: 'review',
          owner: 'user:default/alice',
          due: '2030-01-01T00:00:00Z',
        });
      expect(res.status).toBe(201);
    },
  },
  portfolio: {
    path: '/api/sla/portfolio',
    // One service per item: a draft agreement on the i-th entity.
    add: async ({ http }, i) => {
      const res = await http
        .post('/api/sla/agreements')
        .set('Authorization', alice)
        .send(validAgreement({ entityRef: ENTITIES[i], status: 'draft' }));
      expect(res.status).toBe(201);
    },
    idOf: s => s.entityRef,
  },
};

describe.each(databases.eachSupportedId())('list routes on %p', databaseId => {
  describe.each(Object.entries(cases))('%s', (_name, list) => {
    // One backend per list, seeded with five items; the tests run in order
    // and only the last one adds items.
    let own: Backend;
    const url = (query: Record<string, string | number> = {}) => {
      const path = list.path.replace('{id}', context.id ?? '');
      const params = new URLSearchParams(
        Object.entries(query).map(([k, v]) => [k, String(v)]),
      ).toString();
      if (!params) return path;
      return `${path}${path.includes('?') ? '&' : '?'}${params}`;
    };
    const get = (query: Record<string, string | number> = {}) =>
      own.http.get(url(query)).set('Authorization', bob);
    const idOf = list.idOf ?? ((item: any) => item.id);
    const seed = async (from: number, count: number) => {
      for (let i = from; i < from + count; i++) {
        await list.add(own, i);
        // distinct instants, so the order is not only the id tie-break
        await new Promise(r => setTimeout(r, 5));
      }
    };
    /** The whole list, in its order (one page of 500). */
    const all = async () => {
      const res = await get({ limit: 500 });
      expect(res.status).toBe(200);
      expect(res.body.nextCursor).toBeUndefined();
      return res.body.items.map(idOf) as string[];
    };

    beforeAll(async () => {
      own = await startSlaBackend(databaseId);
      context = (await list.setup?.(own)) ?? {};
      await seed(0, 5);
    });

    it('answers 401 without credentials', async () => {
      const res = await own.http.get(url({ limit: 2 }));
      expect(res.status).toBe(401);
    });

    it('pages through the list: first, next and last page', async () => {
      const everything = await all();
      expect(everything.length).toBeGreaterThanOrEqual(5);
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const res = await get(cursor ? { limit: 2, cursor } : { limit: 2 });
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...res.body.items.map(idOf));
        cursor = res.body.nextCursor;
        pages++;
        // a page before the last is full
        expect(res.body.items.length === 2 || !cursor).toBe(true);
      } while (cursor && pages < 10);
      // every item once, in the list's order; the last page says so
      expect(seen).toEqual(everything);
      expect(pages).toBe(Math.ceil(everything.length / 2));
    });

    it('answers 400 naming the field for a bad cursor or limit', async () => {
      const before = await all();
      for (const [query, field] of [
        [{ cursor: 'not a cursor!' }, 'cursor'],
        // a well-formed cursor of another list: {"l":"other","k":["x"]}
        [{ cursor: 'eyJsIjoib3RoZXIiLCJrIjpbIngiXX0' }, 'cursor'],
        [{ limit: 0 }, 'limit'],
        [{ limit: 501 }, 'limit'],
        [{ limit: 'many' }, 'limit'],
      ] as const) {
        const res = await get(query as Record<string, string | number>);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain(field);
      }
      expect(await all()).toEqual(before);
    });

    it('keeps a stable order while items are added between pages', async () => {
      const before = await all();
      const first = await get({ limit: 2 });
      expect(first.body.items.map(idOf)).toEqual(before.slice(0, 2));
      await seed(5, 2);
      const seen = [...first.body.items.map(idOf)];
      let cursor = first.body.nextCursor;
      while (cursor) {
        const res = await get({ limit: 2, cursor });
        expect(res.status).toBe(200);
        seen.push(...res.body.items.map(idOf));
        cursor = res.body.nextCursor;
      }
      // nothing repeated, nothing of the earlier items skipped
      expect(new Set(seen).size).toBe(seen.length);
      for (const id of before) expect(seen).toContain(id);
      // the new items are in the whole list, in order
      const after = await all();
      expect(after.length).toBe(before.length + 2);
      expect(after.filter(id => before.includes(id))).toEqual(before);
    });
  });

  describe('across lists', () => {
    let backend: Backend;

    beforeEach(async () => {
      backend = await startSlaBackend(databaseId);
      context = {};
    });

    it.each(['feedback', 'breaches'])(
      'gives 50 %s by default and a cursor for the rest',
      async name => {
        const list = cases[name];
        for (let i = 0; i < 52; i++) await list.add(backend, i);
        const first = await backend.http
          .get(list.path)
          .set('Authorization', bob);
        expect(first.status).toBe(200);
        expect(first.body.items).toHaveLength(50);
        const rest = await backend.http
          .get(`${list.path}&cursor=${first.body.nextCursor}`)
          .set('Authorization', bob);
        expect(rest.body.items).toHaveLength(2);
        expect(rest.body.nextCursor).toBeUndefined();
      },
    );

    it("rejects one list's cursor on another", async () => {
      for (let i = 0; i < 3; i++) await cases.agreements.add(backend, i);
      const page = await backend.http
        .get(`/api/sla/agreements?entityRef=${CHECKOUT}&limit=1`)
        .set('Authorization', bob);
      expect(page.body.nextCursor).toBeDefined();
      const res = await backend.http
        .get(`/api/sla/portfolio?limit=1&cursor=${page.body.nextCursor}`)
        .set('Authorization', bob);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('cursor');
    });

    it('keeps the portfolio KPIs over every service, not the page', async () => {
      for (let i = 0; i < 3; i++) await cases.portfolio.add(backend, i);
      const at = new Date().toISOString();
      const whole = await backend.http
        .get(`/api/sla/portfolio?at=${at}`)
        .set('Authorization', bob);
      const page = await backend.http
        .get(`/api/sla/portfolio?at=${at}&limit=1`)
        .set('Authorization', bob);
      expect(page.body.items).toHaveLength(1);
      expect(page.body.kpis).toEqual(whole.body.kpis);
    });

    it('pages agreements the caller may read only, a full page each time', async () => {
      backend = await startSlaBackend(databaseId, {
        readableOnly: ['component:default/search'],
      });
      // search is owned by bob; checkout's agreements are not readable
      const make = async (entityRef: string, who: string) => {
        const res = await backend.http
          .post('/api/sla/agreements')
          .set('Authorization', who)
          .send(validAgreement({ entityRef }));
        expect(res.status).toBe(201);
      };
      for (let i = 0; i < 3; i++) {
        await make('component:default/search', bob);
        await make(CHECKOUT, alice);
      }
      const first = await backend.http
        .get('/api/sla/agreements?limit=2')
        .set('Authorization', bob);
      expect(first.status).toBe(200);
      expect(first.body.items).toHaveLength(2);
      const second = await backend.http
        .get(`/api/sla/agreements?limit=2&cursor=${first.body.nextCursor}`)
        .set('Authorization', bob);
      expect(second.body.items).toHaveLength(1);
      expect(second.body.nextCursor).toBeUndefined();
      for (const a of [...first.body.items, ...second.body.items]) {
        expect(a.entityRef).toBe('component:default/search');
      }
    });
  });
});
