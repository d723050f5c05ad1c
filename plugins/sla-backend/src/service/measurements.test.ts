import {
  alice,
  databases,
  mallory,
  sentNotifications,
  service,
  startSlaBackend,
} from '../__testUtils__/testBackend';

jest.setTimeout(180_000);

const HOUR = 3_600_000;
const MINUTE = 60_000;
/** A whole hour, so the test's instants are exact. */
const at = Math.floor(Date.parse('2026-06-10T12:00:00Z') / HOUR) * HOUR;
const iso = (t: number) => new Date(t).toISOString();

const CHECKOUT = 'component:default/checkout';

/** An agreed SLA on checkout with a ratio, a threshold and a duration target. */
function checkoutSla(objectives = { ratio: 99, latency: 90, p1: 50 }) {
  return {
    kind: 'SLA',
    entityRef: CHECKOUT,
    title: 'Checkout SLA',
    status: 'draft',
    maintenanceWindows: [
      { start: iso(at - 2 * HOUR), end: iso(at - 2 * HOUR + 10 * MINUTE) },
    ],
    targets: [
      {
        id: 'availability',
        name: 'Availability',
        aspect: 'availability',
        metric: 'requests',
        sli: { kind: 'ratio' },
        objective: objectives.ratio,
        window: { type: 'rolling', duration: 'P1D' },
      },
      {
        id: 'latency',
        name: 'Latency',
        aspect: 'performance',
        metric: 'latency_ms',
        sli: { kind: 'threshold', operator: 'lte', threshold: 300, unit: 'ms' },
        objective: objectives.latency,
        window: { type: 'rolling', duration: 'P1D' },
      },
      {
        id: 'p1',
        name: 'P1 resolution',
        aspect: 'support',
        metric: 'incidents',
        sli: { kind: 'duration', maxDuration: 'PT1H', priority: 'P1' },
        objective: objectives.p1,
        window: { type: 'rolling', duration: 'P1D' },
      },
    ],
  };
}

describe.each(databases.eachSupportedId())(
  'measurements and attainment on %p',
  databaseId => {
    let http: Awaited<ReturnType<typeof startSlaBackend>>['http'];

    beforeEach(async () => {
      ({ http } = await startSlaBackend(databaseId));
    });

    async function agree(body: object) {
      const created = await http
        .post('/api/sla/agreements')
        .set('Authorization', alice)
        .send(body);
      expect(created.status).toBe(201);
      for (const to of ['negotiation', 'agreed']) {
        const moved = await http
          .post(`/api/sla/agreements/${created.body.id}/transitions`)
          .set('Authorization', alice)
          .send({ to });
        expect(moved.status).toBe(200);
      }
      return created.body.id as string;
    }

    const push = (items: object[], auth = service) =>
      http
        .post('/api/sla/measurements')
        .set('Authorization', auth)
        .send({ items });

    const attainment = async (
      query = `entityRef=${CHECKOUT}&at=${iso(at)}`,
    ) => {
      const res = await http
        .get(`/api/sla/attainment?${query}`)
        .set('Authorization', mallory);
      expect(res.status).toBe(200);
      return Object.fromEntries(
        res.body.items.map((i: any) => [i.targetId, i]),
      );
    };

    /** Ten minutes of requests: 100 each, 99 good, but 90 good in the last one. */
    const requests = () =>
      Array.from({ length: 10 }, (_, i) => ({
        entityRef: CHECKOUT,
        metric: 'requests',
        timestamp: iso(at - (10 - i) * MINUTE),
        good: i === 9 ? 90 : 99,
        total: 100,
      }));

    it('answers 401 without credentials and 403 for a user who does not own the entity', async () => {
      expect(
        (await http.post('/api/sla/measurements').send({ items: [] })).status,
      ).toBe(401);
      expect(
        (await http.get(`/api/sla/attainment?entityRef=${CHECKOUT}`)).status,
      ).toBe(401);
      expect(
        (await http.get(`/api/sla/breaches?entityRef=${CHECKOUT}`)).status,
      ).toBe(401);
      const res = await push(requests(), mallory);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain('push its measurements');
    });

    it("refuses a whole batch with 403 when one of its entities is not the caller's, storing none of it", async () => {
      await agree(checkoutSla());
      const mixed = [
        ...requests(),
        {
          entityRef: 'component:default/search',
          metric: 'requests',
          timestamp: iso(at - MINUTE),
          good: 1,
          total: 1,
        },
      ];
      const refused = await push(mixed, alice);
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toContain(
        'Only the owners of component:default/search',
      );
      // nothing of it was stored: checkout's own samples are all fresh
      expect((await push(requests(), alice)).body).toEqual({
        accepted: 10,
        duplicates: 0,
      });
    });

    it('computes ratio attainment, budget and status from pushed samples', async () => {
      await agree(checkoutSla());
      const res = await push(requests(), alice);
      expect(res.body).toEqual({ accepted: 10, duplicates: 0 });
      const { availability } = await attainment();
      // 9 × 99 + 90 = 981 good of 1000: 98.1 % < 99 → breached.
      // allowed = 1 % of 1000 = 10, consumed = 19, remaining = 1 − 19/10 = −0.9
      expect(availability).toMatchObject({
        agreementId: expect.any(String),
        attainment: 98.1,
        objective: 99,
        status: 'breached',
        counted: 1000,
        errorBudget: { allowed: 10, consumed: 19, remaining: -0.9 },
        window: { start: iso(at - 24 * HOUR), end: iso(at) },
      });
      // Last 5 minutes: 4 × 1 + 10 = 14 bad of 500 → 2.8 % / 1 % = 2.8
      expect(availability.burnRates['5m']).toBeCloseTo(2.8, 10);
      // 1 hour: 19 bad of 1000 → 1.9 % / 1 % = 1.9
      expect(availability.burnRates['1h']).toBeCloseTo(1.9, 10);
      // 1.9 ≥ 1 over both 3 days and 6 hours: a ticket; 1.9 < 3 (1d/2h), no page.
      expect(availability.alerts).toEqual([
        { severity: 'ticket', window: '3d/6h' },
      ]);
    });

    it('treats re-sent samples as duplicates and keeps the figures', async () => {
      await agree(checkoutSla());
      await push(requests());
      const again = await push(requests());
      expect(again.body).toEqual({ accepted: 0, duplicates: 10 });
      const { availability } = await attainment();
      expect(availability.counted).toBe(1000);
    });

    it('tells stored, late and new samples apart in one re-sent batch', async () => {
      await agree(checkoutSla());
      const items = requests();
      // Every other sample first; then all of them: the stored ones are
      // duplicates, the gaps before the latest stored one are late, the
      // rest come after it.
      const first = await push(items.filter((_, i) => i % 2 === 0));
      expect(first.body).toEqual({ accepted: 5, duplicates: 0 });
      const all = await push(items);
      expect(all.body).toEqual({ accepted: 5, duplicates: 5 });
      const { availability } = await attainment();
      expect(availability.counted).toBe(1000);
      expect(availability.errorBudget.consumed).toBe(19);
    });

    it('counts a sample repeated within a batch once, in any order', async () => {
      await agree(checkoutSla());
      const items = requests();
      const sent = await push([items[3], ...items.slice().reverse(), items[0]]);
      expect(sent.body).toEqual({ accepted: 10, duplicates: 2 });
      const { availability } = await attainment();
      expect(availability.counted).toBe(1000);
      expect(availability.errorBudget.consumed).toBe(19);
    });

    it('counts samples sent by concurrent requests once', async () => {
      await agree(checkoutSla());
      const sent = await Promise.all([1, 2, 3].map(() => push(requests())));
      expect(sent.map(r => r.status)).toEqual([200, 200, 200]);
      // Each sample went in exactly once, whichever request stored it.
      expect(sent.reduce((n, r) => n + r.body.accepted, 0)).toBe(10);
      const { availability } = await attainment();
      expect(availability.counted).toBe(1000);
      expect(availability.errorBudget.consumed).toBe(19);
    });

    it('leaves samples inside a maintenance window out', async () => {
      await agree(checkoutSla());
      const inMaintenance = {
        entityRef: CHECKOUT,
        metric: 'requests',
        timestamp: iso(at - 2 * HOUR + 5 * MINUTE),
        good: 0,
        total: 1000,
      };
      await push([...requests(), inMaintenance]);
      const { availability } = await attainment();
      expect(availability.counted).toBe(1000);
    });

    it('refuses a batch with one invalid item, naming it, and stores nothing', async () => {
      await agree(checkoutSla());
      const items: object[] = requests();
      items.splice(3, 0, {
        entityRef: CHECKOUT,
        metric: 'requests',
        timestamp: iso(at),
        good: 5,
        total: 4,
      });
      items.push({
        entityRef: CHECKOUT,
        metric: 'requests',
        timestamp: 'soon',
        good: 1,
        total: 1,
      });
      const res = await push(items);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(
        'items[3].good must not exceed total',
      );
      expect(res.body.error.message).toContain('items[11].timestamp');
      const { availability } = await attainment();
      expect(availability).toMatchObject({
        status: 'no-data',
        counted: 0,
        attainment: null,
      });
    });

    it.each([
      [
        'an unknown entity',
        { entityRef: 'component:default/nope' },
        'items[0].entityRef',
      ],
      [
        'no shape',
        { timestamp: undefined, good: undefined, total: undefined },
        'items[0] must carry exactly one',
      ],
      ['two shapes', { value: 3 }, 'items[0] must carry exactly one'],
      ['a negative total', { total: -1 }, 'items[0].total'],
      ['a bad metric name', { metric: 'has spaces' }, 'items[0].metric'],
    ])('refuses %s', async (_name, overrides, message) => {
      const res = await push([{ ...requests()[0], ...overrides }]);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(message);
    });

    it('refuses a sample of another kind than its series holds', async () => {
      await push(requests());
      const res = await push([
        {
          entityRef: CHECKOUT,
          metric: 'requests',
          timestamp: iso(at - MINUTE),
          value: 12,
        },
      ]);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('holds ratio measurements');
    });

    it('refuses more than 10,000 items', async () => {
      const items = Array.from({ length: 10_001 }, (_, i) => ({
        ...requests()[0],
        timestamp: iso(at - i * MINUTE),
      }));
      const res = await push(items);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('items');
    });

    it('counts threshold slices by their worst value', async () => {
      await agree(checkoutSla());
      const values = [120, 250, 310, 180, 299, 300, 301, 150, 90, 200];
      const samples = values.map((value, i) => ({
        entityRef: CHECKOUT,
        metric: 'latency_ms',
        timestamp: iso(at - (10 - i) * MINUTE),
        value,
      }));
      // A second, better value in the slice that was bad stays bad (worst wins),
      // and a worse value spoils a good slice.
      samples.push({
        ...samples[2],
        timestamp: iso(at - 8 * MINUTE + 30_000),
        value: 100,
      });
      samples.push({
        ...samples[0],
        timestamp: iso(at - 10 * MINUTE + 30_000),
        value: 400,
      });
      await push(samples);
      const { latency } = await attainment();
      // bad slices: minute 0 (400), minute 2 (310), minute 6 (301) → 7 of 10 good
      expect(latency).toMatchObject({
        attainment: 70,
        counted: 10,
        status: 'breached',
        errorBudget: { allowed: 1, consumed: 3, remaining: -2 },
      });
    });

    it('counts a partial minute at either end of the window sample by sample', async () => {
      await agree(checkoutSla());
      const DAY = 24 * HOUR;
      const sample = (t: number, value: number) => ({
        entityRef: CHECKOUT,
        metric: 'latency_ms',
        timestamp: iso(t),
        value,
      });
      await push([
        sample(at - DAY + 10_000, 900), // before the window's start
        sample(at - DAY + 40_000, 100),
        sample(at - HOUR, 100),
        sample(at + 20_000, 100),
        sample(at + 50_000, 900), // at or after `at`
      ]);
      // at + 30 s: the window [at − 1 d + 30 s, at + 30 s) holds the samples
      // at −1 d + 40 s, −1 h and +20 s: three good slices; the two bad
      // readings share a minute with good ones but lie outside.
      const half = await attainment(
        `entityRef=${CHECKOUT}&at=${iso(at + 30_000)}`,
      );
      expect(half.latency).toMatchObject({ counted: 3, attainment: 100 });
      // A minute later the first minute has left the window and the last one
      // holds both of its readings: one good slice, one bad.
      const whole = await attainment(
        `entityRef=${CHECKOUT}&at=${iso(at + MINUTE)}`,
      );
      expect(whole.latency).toMatchObject({ counted: 2, attainment: 50 });
    });

    it('keeps slice rollups right when data arrives after the definition exists', async () => {
      await agree(checkoutSla());
      const sample = (minute: number, value: number, offset = 0) => ({
        entityRef: CHECKOUT,
        metric: 'latency_ms',
        timestamp: iso(at - 3 * HOUR + minute * MINUTE + offset),
        value,
      });
      await push([sample(0, 100), sample(1, 100), sample(2, 100)]);
      expect((await attainment()).latency).toMatchObject({
        counted: 3,
        attainment: 100,
      });
      // Later data for an already counted slice turns it bad; a new slice is good.
      await push([sample(1, 500, 10_000), sample(3, 100)]);
      expect((await attainment()).latency).toMatchObject({
        counted: 4,
        attainment: 75,
      });
    });

    it('evaluates duration events: open, closed, re-sent with an end', async () => {
      await agree(checkoutSla());
      const event = (
        id: string,
        start: number,
        end?: number,
        priority = 'P1',
      ) => ({
        entityRef: CHECKOUT,
        metric: 'incidents',
        eventId: id,
        start: iso(start),
        ...(end ? { end: iso(end) } : {}),
        priority,
      });
      const first = await push([
        event('met', at - 5 * HOUR, at - 4.5 * HOUR),
        event('failed', at - 5 * HOUR, at - 3 * HOUR),
        event('open-failed', at - 3 * HOUR),
        event('open-fresh', at - 10 * MINUTE),
        event('other-priority', at - 5 * HOUR, at - 1 * HOUR, 'P3'),
      ]);
      expect(first.body).toEqual({ accepted: 5, duplicates: 0 });
      // counted: met, failed, open-failed (open for 3 h > 1 h); not open-fresh, not P3
      expect((await attainment()).p1).toMatchObject({
        counted: 3,
        attainment: (1 * 100) / 3,
      });
      const closing = await push([
        event('open-fresh', at - 10 * MINUTE, at - 5 * MINUTE),
        event('met', at - 5 * HOUR, at - 4.5 * HOUR),
      ]);
      expect(closing.body).toEqual({ accepted: 1, duplicates: 1 });
      expect((await attainment()).p1).toMatchObject({
        counted: 4,
        attainment: 50,
        // 2 failed of 2 allowed (50 % of 4): the budget is spent, not overrun
        status: 'at-risk',
        errorBudget: { allowed: 2, consumed: 2, remaining: 0 },
      });
    });

    it('reproduces a past figure with at', async () => {
      await agree(checkoutSla());
      await push(requests());
      const earlier = await attainment(
        `entityRef=${CHECKOUT}&at=${iso(at - 5 * MINUTE)}`,
      );
      // the first five minutes only: all 99 good of 100
      expect(earlier.availability).toMatchObject({
        counted: 500,
        attainment: 99,
        // exactly on the objective: met is not breached, but no budget is left
        status: 'at-risk',
        errorBudget: { allowed: 5, consumed: 5, remaining: 0 },
      });
    });

    it('answers 400 for attainment without an entityRef or with a bad at', async () => {
      expect(
        (await http.get('/api/sla/attainment').set('Authorization', alice))
          .status,
      ).toBe(400);
      const res = await http
        .get(`/api/sla/attainment?entityRef=${CHECKOUT}&at=yesterday`)
        .set('Authorization', alice);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('at');
    });

    it('draws the timeline of a target', async () => {
      const id = await agree(checkoutSla());
      await push(requests());
      const res = await http
        .get(
          `/api/sla/attainment/timeline?agreementId=${id}&targetId=availability&at=${iso(
            at,
          )}&points=4`,
        )
        .set('Authorization', mallory);
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(4);
      expect(res.body.items[3]).toMatchObject({
        at: iso(at),
        attainment: 98.1,
        status: 'breached',
      });
      expect(res.body.items[0]).toMatchObject({
        attainment: null,
        status: 'no-data',
      });
      const missing = await http
        .get(`/api/sla/attainment/timeline?agreementId=${id}&targetId=nope`)
        .set('Authorization', mallory);
      expect(missing.status).toBe(404);
    });

    it('opens a breach with its cause and closes it on recovery', async () => {
      const now = Date.now();
      const recent = (minutesAgo: number) =>
        iso(Math.floor(now / MINUTE) * MINUTE - minutesAgo * MINUTE);
      await agree(checkoutSla());
      await agree({
        kind: 'UC',
        entityRef: 'resource:default/psp',
        title: 'PSP contract',
        status: 'draft',
        targets: [
          {
            id: 'availability',
            name: 'Availability',
            aspect: 'availability',
            metric: 'psp_requests',
            sli: { kind: 'ratio' },
            objective: 99.9,
            window: { type: 'rolling', duration: 'P1D' },
          },
        ],
      });
      await push([
        {
          entityRef: 'resource:default/psp',
          metric: 'psp_requests',
          timestamp: recent(3),
          good: 50,
          total: 100,
        },
      ]);
      await push([
        {
          entityRef: CHECKOUT,
          metric: 'requests',
          timestamp: recent(2),
          good: 80,
          total: 100,
        },
      ]);
      const breaches = await http
        .get(`/api/sla/breaches?entityRef=${CHECKOUT}`)
        .set('Authorization', mallory);
      expect(breaches.status).toBe(200);
      expect(breaches.body.items).toHaveLength(1);
      // 20 bad of 100 against 1 allowed: 20× the budget → critical
      expect(breaches.body.items[0]).toMatchObject({
        targetId: 'availability',
        closedAt: null,
        severity: 'critical',
        cause: 'third-party',
        causedBy: [{ entityRef: 'resource:default/psp', kind: 'UC' }],
      });
      // An event-based review opened with the breach.
      const reviews = await http
        .get(`/api/sla/reviews?entityRef=${CHECKOUT}`)
        .set('Authorization', mallory);
      expect(reviews.status).toBe(200);
      expect(reviews.body.items).toMatchObject([
        {
          kind: 'event',
          status: 'open',
          trigger: {
            type: 'breach',
            breachId: breaches.body.items[0].id,
            targetId: 'availability',
          },
        },
      ]);
      // A flood of good requests brings it back above 99 %.
      await push([
        {
          entityRef: CHECKOUT,
          metric: 'requests',
          timestamp: recent(1),
          good: 100_000,
          total: 100_000,
        },
      ]);
      const after = await http
        .get(`/api/sla/breaches?entityRef=${CHECKOUT}`)
        .set('Authorization', mallory);
      expect(after.body.items[0].closedAt).not.toBeNull();
    });

    it('notifies the owners once per change: risk, budget warnings, breach, recovery', async () => {
      sentNotifications.length = 0;
      const now = Date.now();
      const recent = (minutesAgo: number) =>
        iso(Math.floor(now / MINUTE) * MINUTE - minutesAgo * MINUTE);
      await agree(checkoutSla());
      const titles = () => sentNotifications.map(n => n.payload.title);
      const sample = (minutesAgo: number, good: number, total = 1000) => ({
        entityRef: CHECKOUT,
        metric: 'requests',
        timestamp: recent(minutesAgo),
        good,
        total,
      });
      // 40 % of the budget (4 bad, 10 allowed): nothing to say yet
      await push([sample(5, 996)]);
      expect(titles()).toEqual([]);
      // 19 bad of 2000: 95 % of the 20 allowed → at risk, and one warning at
      // the highest level reached (75 %), not one per level passed
      await push([sample(4, 985)]);
      expect(titles()).toEqual([
        'Checkout SLA: "Availability" is at risk (99.05 % against 99 %)',
        'Checkout SLA: 75 % of the error budget of "Availability" is consumed',
      ]);
      expect(sentNotifications[0]).toMatchObject({
        recipients: { type: 'entity', entityRef: CHECKOUT },
        payload: {
          severity: 'high',
          link: '/catalog/default/component/checkout/service-levels',
        },
      });
      // re-sending changes nothing and says nothing
      await push([sample(4, 985)]);
      expect(sentNotifications).toHaveLength(2);
      // 119 bad of 3000: breached, the whole budget gone
      await push([sample(3, 900)]);
      expect(titles().slice(2)).toEqual([
        'Checkout SLA: "Availability" is breached (96.03 % against 99 %)',
        'Checkout SLA: 100 % of the error budget of "Availability" is consumed',
      ]);
      // a flood of good requests: recovered
      await push([sample(2, 1_000_000, 1_000_000)]);
      expect(titles()[4]).toMatch(/"Availability" has recovered/);
    });
  },
);
