import {
  alice,
  bob,
  component,
  databases,
  mallory,
  service,
  startSlaBackend,
} from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

/**
 * The portfolio as a server-side query (issue 14 item 3): filters, search,
 * sort and paging on the server equal what the page computed in the
 * browser from the whole list (the old answer), for a generated
 * portfolio; KPIs over every matching service; the CSV export streams the
 * same rows.
 */

/** A small seeded generator, so a failure is reproducible. */
function generator(seed: number) {
  let state = seed;
  return (n: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
}

const OWNERS = [
  {
    ref: 'group:default/team-checkout',
    entityOwner: 'team-checkout',
    who: alice,
  },
  { ref: 'group:default/team-other', entityOwner: 'team-other', who: mallory },
  { ref: 'user:default/bob', entityOwner: 'user:default/bob', who: bob },
];
const KINDS = ['SLA', 'OLA', 'UC'];
const COUNT = 17;
const names = Array.from(
  { length: COUNT },
  (_, i) =>
    // mixed case and digits, so the order is the collator's, not the bytes'
    `${['alpha', 'Beta', 'gamma', 'delta'][i % 4]}-${String(i).padStart(
      2,
      '0',
    )}`,
);
const random = generator(20261202);
const plan = names.map(name => ({
  name,
  owner: OWNERS[random(OWNERS.length)],
  kind: KINDS[random(KINDS.length)],
  agreed: random(5) !== 0,
  // good of 1000: met, at risk or breached against 99 %, or no data
  good: [1000, 995, 900, null][random(4)],
}));
const entities = plan.map(p => component(p.name, p.owner.entityOwner));

type Item = {
  entityRef: string;
  owners: string[];
  kinds: string[];
  worstStatus: string | null;
  targetsMetPercent: number | null;
  breaches: { total: number };
  csat: number | null;
  nextReviewDue: string | null;
};

/** The KPIs without the periods, which end at each request's now. */
const figures = ({ period: _p, previousPeriod: _pp, ...rest }: any) => rest;

/** The page's comparators before issue 14 (PortfolioServicesTable). */
const STATUS_ORDER = ['breached', 'at-risk', 'met', 'no-data', null];
const collator = new Intl.Collator();
const oldCompare: Record<string, (a: Item, b: Item) => number> = {
  status: (a, b) =>
    STATUS_ORDER.indexOf(a.worstStatus) - STATUS_ORDER.indexOf(b.worstStatus),
  service: (a, b) => collator.compare(a.entityRef, b.entityRef),
  owners: (a, b) => collator.compare(a.owners.join(), b.owners.join()),
  kinds: (a, b) => collator.compare(a.kinds.join(), b.kinds.join()),
  targetsMet: (a, b) =>
    (a.targetsMetPercent ?? -1) - (b.targetsMetPercent ?? -1),
  breaches: (a, b) => a.breaches.total - b.breaches.total,
  csat: (a, b) => (a.csat ?? -1) - (b.csat ?? -1),
  review: (a, b) =>
    collator.compare(a.nextReviewDue ?? '9999', b.nextReviewDue ?? '9999'),
};

/** The old answer: the whole list, filtered and sorted in the browser. */
function oldAnswer(
  all: Item[],
  q: {
    owner?: string;
    kind?: string;
    status?: string;
    search?: string;
    sort: string;
    order: 'asc' | 'desc';
  },
) {
  const needle = q.search?.toLowerCase();
  const sign = q.order === 'desc' ? -1 : 1;
  return all
    .filter(
      i =>
        (!q.owner || i.owners.includes(q.owner)) &&
        (!q.kind || i.kinds.includes(q.kind)) &&
        (!q.status || i.worstStatus === q.status) &&
        (!needle ||
          [i.entityRef, ...i.owners, ...i.kinds].some(t =>
            t.toLowerCase().includes(needle),
          )),
    )
    .sort(
      (a, b) =>
        sign * oldCompare[q.sort](a, b) ||
        collator.compare(a.entityRef, b.entityRef),
    )
    .map(i => i.entityRef);
}

describe.each(databases.eachSupportedId())(
  'the portfolio as a server-side query on %p',
  databaseId => {
    let http: Awaited<ReturnType<typeof startSlaBackend>>['http'];
    let knex: Awaited<ReturnType<typeof startSlaBackend>>['knex'];

    beforeAll(async () => {
      ({ http, knex } = await startSlaBackend(databaseId, { entities }));
      for (const p of plan) {
        const entityRef = `component:default/${p.name}`;
        const created = await http
          .post('/api/sla/agreements')
          .set('Authorization', p.owner.who)
          .send({
            title: 'Agreement',
            status: 'draft',
            kind: p.kind,
            entityRef,
            targets: [
              {
                id: 'availability',
                name: 'Availability',
                aspect: 'availability',
                metric: 'requests',
                sli: { kind: 'ratio' },
                objective: 99,
                window: { type: 'rolling', duration: 'P1D' },
              },
            ],
          });
        if (created.status !== 201) {
          throw new Error(
            `expected 201, got ${created.status}: ${JSON.stringify(
              created.body,
            )}`,
          );
        }
        if (p.agreed) {
          for (const to of ['negotiation', 'agreed']) {
            const moved = await http
              .post(`/api/sla/agreements/${created.body.id}/transitions`)
              .set('Authorization', p.owner.who)
              .send({ to });
            if (moved.status !== 200) {
              throw new Error(
                `expected 200, got ${moved.status}: ${JSON.stringify(
                  moved.body,
                )}`,
              );
            }
          }
        }
        if (p.good !== null) {
          const res = await http
            .post('/api/sla/measurements')
            .set('Authorization', service)
            .send({
              items: [
                {
                  entityRef,
                  metric: 'requests',
                  timestamp: new Date(Date.now() - 60_000).toISOString(),
                  good: p.good,
                  total: 1000,
                },
              ],
            });
          if (res.status !== 200) {
            throw new Error(
              `expected 200, got ${res.status}: ${JSON.stringify(res.body)}`,
            );
          }
        }
      }
    });

    const get = (query: Record<string, string | number | undefined>) => {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) {
        if (v !== undefined) params.set(k, String(v));
      }
      return http.get(`/api/sla/portfolio?${params}`).set('Authorization', bob);
    };

    /** Every page of a query, following nextCursor. */
    async function allPages(
      query: Record<string, string | undefined>,
      limit: number,
    ) {
      const refs: string[] = [];
      let cursor: string | undefined;
      let first: any;
      for (let n = 0; n < 100; n++) {
        const res = await get({ ...query, limit, cursor });
        expect(res.status).toBe(200);
        first ??= res.body;
        expect(res.body.items.length).toBeLessThanOrEqual(limit);
        expect(figures(res.body.kpis)).toEqual(figures(first.kpis));
        expect(res.body.total).toBe(first.total);
        refs.push(...res.body.items.map((i: Item) => i.entityRef));
        cursor = res.body.nextCursor;
        if (!cursor) break;
      }
      return { refs, first };
    }

    it('pages, filters, searches and sorts as the page did in the browser (generated portfolio)', async () => {
      const whole = await get({ limit: 500 });
      expect(whole.status).toBe(200);
      const all: Item[] = whole.body.items;
      expect(all).toHaveLength(COUNT);
      const pick = generator(14);
      const sorts = Object.keys(oldCompare);
      const statuses = ['met', 'at-risk', 'breached', 'no-data', undefined];
      const searches = ['beta', 'TEAM-OTHER', 'ola', '0', undefined];
      for (let run = 0; run < 24; run++) {
        const q = {
          sort: sorts[run % sorts.length],
          order: pick(2) ? ('asc' as const) : ('desc' as const),
          owner: [undefined, ...OWNERS.map(o => o.ref)][pick(4)],
          kind: [undefined, ...KINDS][pick(4)],
          status: statuses[pick(statuses.length)],
          search: searches[pick(searches.length)],
        };
        const expected = oldAnswer(all, q);
        const { refs, first } = await allPages(q, 1 + pick(5));
        expect({ q, refs }).toEqual({ q, refs: expected });
        expect(first.total).toBe(expected.length);
        // KPIs over every matching service, not the page
        expect(first.kpis.services.value).toBe(expected.length);
      }
    });

    it('answers the KPIs of every matching service on each page', async () => {
      const one = await get({ limit: 1, sort: 'status' });
      const whole = await get({ limit: 500 });
      expect(one.body.items).toHaveLength(1);
      expect(figures(one.body.kpis)).toEqual(figures(whole.body.kpis));
      expect(one.body.total).toBe(COUNT);
      // the owner filter's choices: every owner, whatever the filter
      const filtered = await get({ owner: 'user:default/bob' });
      expect(filtered.body.owners).toEqual(
        expect.arrayContaining([...new Set(plan.map(p => p.owner.ref))]),
      );
    });

    it('sorts worst first with sort=status', async () => {
      const res = await get({ sort: 'status', limit: 500 });
      const ranks = res.body.items.map((i: Item) =>
        STATUS_ORDER.indexOf(i.worstStatus),
      );
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    });

    it('streams the same rows as CSV, in the same order, with the same filters', async () => {
      const q = { sort: 'csat', order: 'desc', search: 'a' };
      const { refs } = await allPages(q, 4);
      const res = await get({ ...q, format: 'csv', limit: 1 });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toMatch(/portfolio\.csv/);
      const lines = res.text.trimEnd().split('\r\n');
      expect(lines[0].split(',').slice(0, 4)).toEqual([
        'service',
        'owners',
        'kinds',
        'worstStatus',
      ]);
      expect(lines.slice(1).map(l => l.split(',')[0])).toEqual(refs);
    });

    it.each([
      [{ sort: 'colour' }, 'sort'],
      [{ order: 'up' }, 'order'],
      [{ search: 'x'.repeat(201) }, 'search'],
      [{ format: 'xml' }, 'format'],
      [{ sort: 'csat', cursor: 'bm9wZQ' }, 'cursor'],
    ])('answers 400 naming the field for %p', async (query, field) => {
      const res = await get(query);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(field);
    });

    it('refuses a cursor given for another order', async () => {
      const first = await get({ sort: 'service', limit: 2 });
      expect(first.body.nextCursor).toBeDefined();
      const other = await get({
        sort: 'status',
        limit: 2,
        cursor: first.body.nextCursor,
      });
      expect(other.status).toBe(400);
      expect(other.body.error.message).toContain('cursor');
    });

    it('answers 401 without credentials, also for the CSV', async () => {
      expect((await http.get('/api/sla/portfolio')).status).toBe(401);
      expect((await http.get('/api/sla/portfolio?format=csv')).status).toBe(
        401,
      );
    });

    it('leaves out what the policy does not let the caller read, in the page, the KPIs and the CSV', async () => {
      const readable = `component:default/${plan[0].name}`;
      const { http: restricted } = await startSlaBackend(databaseId, {
        entities,
        readableOnly: [readable],
        knex,
      });
      const page = await restricted
        .get('/api/sla/portfolio?sort=status')
        .set('Authorization', bob);
      expect(page.status).toBe(200);
      expect(page.body.items.map((i: Item) => i.entityRef)).toEqual([readable]);
      expect(page.body.kpis.services.value).toBe(1);
      expect(page.body.total).toBe(1);
      const csv = await restricted
        .get('/api/sla/portfolio?format=csv')
        .set('Authorization', bob);
      expect(
        csv.text
          .trimEnd()
          .split('\r\n')
          .slice(1)
          .map(l => l.split(',')[0]),
      ).toEqual([readable]);
    });
  },
);
