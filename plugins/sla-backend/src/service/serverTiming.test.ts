import {
  alice,
  databases,
  mallory,
  service,
  startSlaBackend,
} from '../__testUtils__/testBackend';

jest.setTimeout(180_000);

const HOUR = 3_600_000;
const MINUTE = 60_000;
const at = Date.parse('2026-06-10T12:00:00Z');
const iso = (t: number) => new Date(t).toISOString();
const CHECKOUT = 'component:default/checkout';

const sla = {
  kind: 'SLA',
  entityRef: CHECKOUT,
  title: 'Checkout SLA',
  status: 'draft',
  maintenanceWindows: [
    { weekly: { day: 'sun', from: '02:00', to: '04:00' }, timeZone: 'UTC' },
  ],
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
    {
      id: 'latency',
      name: 'Latency',
      aspect: 'performance',
      metric: 'latency_ms',
      sli: { kind: 'threshold', operator: 'lte', threshold: 300, unit: 'ms' },
      objective: 90,
      window: { type: 'rolling', duration: 'P1D' },
    },
  ],
};

describe.each(databases.eachSupportedId())(
  'Server-Timing of GET /attainment on %p',
  databaseId => {
    it('answers where the time went when asked, the same figures as without, and nothing when not asked', async () => {
      const timed = await startSlaBackend(databaseId, {
        config: { sla: { debug: { serverTiming: true } } },
      });
      const created = await timed.http
        .post('/api/sla/agreements')
        .set('Authorization', alice)
        .send(sla);
      expect(created.status).toBe(201);
      for (const to of ['negotiation', 'agreed']) {
        const moved = await timed.http
          .post(`/api/sla/agreements/${created.body.id}/transitions`)
          .set('Authorization', alice)
          .send({ to });
        expect(moved.status).toBe(200);
      }
      const items = Array.from({ length: 90 }, (_, i) => [
        {
          entityRef: CHECKOUT,
          metric: 'requests',
          timestamp: iso(at - 3 * HOUR + i * MINUTE + 7_000),
          good: i % 10 === 0 ? 90 : 100,
          total: 100,
        },
        {
          entityRef: CHECKOUT,
          metric: 'latency_ms',
          timestamp: iso(at - 3 * HOUR + i * MINUTE + 7_000),
          value: i % 7 === 0 ? 450 : 120,
        },
      ]).flat();
      const pushed = await timed.http
        .post('/api/sla/measurements')
        .set('Authorization', service)
        .send({ items });
      expect(pushed.status).toBe(200);

      const path = `/api/sla/attainment?entityRef=${CHECKOUT}&at=${iso(
        at - 17_000,
      )}`;
      const answer = await timed.http.get(path).set('Authorization', mallory);
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toBe(
        'application/json; charset=utf-8',
      );
      const header: string = answer.headers['server-timing'];
      const parts = new Map(
        header.split(', ').map(entry => {
          const [name, dur] = entry.split(';dur=');
          return [name, Number(dur)];
        }),
      );
      for (const part of [
        'auth',
        'permission',
        'agreements',
        'planning',
        'database',
        'compute',
        'json',
        'total',
      ]) {
        expect(parts.get(part)).toBeGreaterThanOrEqual(0);
      }
      // No catalog look-up for a read the policy allows outright.
      expect(parts.has('catalog')).toBe(false);
      expect(parts.get('total')).toBeGreaterThanOrEqual(parts.get('database')!);

      // The same database, served without timing: the same answer, no header.
      const plain = await startSlaBackend(databaseId, { knex: timed.knex });
      const again = await plain.http.get(path).set('Authorization', mallory);
      expect(again.status).toBe(200);
      expect(again.headers['server-timing']).toBeUndefined();
      expect(again.body).toEqual(answer.body);
      expect(answer.body.items).toHaveLength(2);
      expect(answer.body.items[0].counted).toBeGreaterThan(0);

      // A request without credentials is still refused.
      expect((await timed.http.get(path)).status).toBe(401);
    });
  },
);
