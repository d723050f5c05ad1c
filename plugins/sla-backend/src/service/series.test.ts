import {
  alice,
  bob,
  databases,
  service,
  startSlaBackend,
} from '../__testUtils__/testBackend';

jest.setTimeout(180_000);

const CHECKOUT = 'component:default/checkout';
const SEARCH = 'component:default/search';
const t0 = Date.parse('2026-06-10T12:00:00Z');
const iso = (t: number) => new Date(t).toISOString();

/**
 * GET /series: the metric names an entity already reports, which the
 * agreement editor offers as a target's metric.
 */
describe.each(databases.eachSupportedId())('GET /series on %p', databaseId => {
  let backend: Awaited<ReturnType<typeof startSlaBackend>>;

  async function push(items: object[]) {
    const res = await backend.http
      .post('/api/sla/measurements')
      .set('Authorization', service)
      .send({ items });
    expect(res.status).toBe(200);
  }

  async function seed() {
    await push([
      // A ratio series with two samples: the later one is its latest.
      {
        entityRef: CHECKOUT,
        metric: 'http_requests',
        timestamp: iso(t0),
        good: 99,
        total: 100,
      },
      {
        entityRef: CHECKOUT,
        metric: 'http_requests',
        timestamp: iso(t0 + 60_000),
        good: 100,
        total: 100,
      },
      {
        entityRef: CHECKOUT,
        metric: 'latency_p95',
        timestamp: iso(t0),
        value: 210,
      },
      {
        entityRef: CHECKOUT,
        metric: 'incidents',
        eventId: 'INC-1',
        start: iso(t0),
        priority: 'P1',
      },
      {
        entityRef: CHECKOUT,
        metric: 'checkout.orders',
        timestamp: iso(t0),
        good: 5,
        total: 5,
      },
      // Another entity's series is not checkout's.
      {
        entityRef: SEARCH,
        metric: 'search_requests',
        timestamp: iso(t0),
        good: 1,
        total: 1,
      },
    ]);
  }

  beforeEach(async () => {
    backend = await startSlaBackend(databaseId);
  });

  it('lists the entity’s series by metric name, with kind and latest sample', async () => {
    await seed();
    // A reader who does not own checkout may list them too.
    const res = await backend.http
      .get(`/api/sla/series?entityRef=${CHECKOUT}`)
      .set('Authorization', bob);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [
        {
          metric: 'checkout.orders',
          kind: 'ratio',
          latestAt: iso(t0),
        },
        {
          metric: 'http_requests',
          kind: 'ratio',
          latestAt: iso(t0 + 60_000),
        },
        { metric: 'incidents', kind: 'duration' },
        { metric: 'latency_p95', kind: 'threshold', latestAt: iso(t0) },
      ],
    });
  });

  it('reads the entity ref case-insensitively and answers an empty list for an entity without series', async () => {
    await seed();
    const upper = await backend.http
      .get('/api/sla/series?entityRef=Component:default/Search')
      .set('Authorization', alice);
    expect(upper.status).toBe(200);
    expect(upper.body.items.map((s: any) => s.metric)).toEqual([
      'search_requests',
    ]);
    const none = await backend.http
      .get('/api/sla/series?entityRef=component:default/web')
      .set('Authorization', alice);
    expect(none.status).toBe(200);
    expect(none.body).toEqual({ items: [] });
  });

  it('pages with limit and cursor, in metric order, without repeats', async () => {
    await seed();
    const first = await backend.http
      .get(`/api/sla/series?entityRef=${CHECKOUT}&limit=3`)
      .set('Authorization', alice);
    expect(first.status).toBe(200);
    expect(first.body.items.map((s: any) => s.metric)).toEqual([
      'checkout.orders',
      'http_requests',
      'incidents',
    ]);
    expect(typeof first.body.nextCursor).toBe('string');
    // A series created after the first page sorts after its cursor: it shows.
    await push([
      {
        entityRef: CHECKOUT,
        metric: 'journeys',
        timestamp: iso(t0),
        good: 1,
        total: 1,
      },
    ]);
    const second = await backend.http
      .get(
        `/api/sla/series?entityRef=${CHECKOUT}&limit=3&cursor=${first.body.nextCursor}`,
      )
      .set('Authorization', alice);
    expect(second.status).toBe(200);
    expect(second.body.items.map((s: any) => s.metric)).toEqual([
      'journeys',
      'latency_p95',
    ]);
    expect(second.body.nextCursor).toBeUndefined();
  });

  it('answers 401 without credentials', async () => {
    await seed();
    const res = await backend.http.get(`/api/sla/series?entityRef=${CHECKOUT}`);
    expect(res.status).toBe(401);
  });

  it.each([
    ['entityRef=checkout', 'entityRef'],
    ['', 'entityRef'],
    [`entityRef=${CHECKOUT}&limit=0`, 'limit'],
    [`entityRef=${CHECKOUT}&limit=501`, 'limit'],
    [`entityRef=${CHECKOUT}&cursor=not-a-cursor`, 'cursor'],
  ])('answers 400 naming the field for ?%s', async (query, field) => {
    const res = await backend.http
      .get(`/api/sla/series?${query}`)
      .set('Authorization', alice);
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toContain(field);
  });

  it('answers 400 for a cursor of another list', async () => {
    await seed();
    const foreign = Buffer.from(
      JSON.stringify({ l: 'agreements', k: ['a'] }),
    ).toString('base64url');
    const res = await backend.http
      .get(`/api/sla/series?entityRef=${CHECKOUT}&cursor=${foreign}`)
      .set('Authorization', alice);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('cursor');
  });
});

describe.each(databases.eachSupportedId())(
  'GET /series with a policy that denies reading on %p',
  databaseId => {
    it('answers 403 and lists nothing', async () => {
      const backend = await startSlaBackend(databaseId, {
        deny: ['sla.agreement.read'],
      });
      const res = await backend.http
        .get(`/api/sla/series?entityRef=${CHECKOUT}`)
        .set('Authorization', alice);
      expect(res.status).toBe(403);
      expect(res.body.error.name).toBe('NotAllowedError');
      expect(res.body.items).toBeUndefined();
    });
  },
);
