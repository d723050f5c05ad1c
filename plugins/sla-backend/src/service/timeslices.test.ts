import {
  alice,
  databases,
  mallory,
  service,
  startSlaBackend,
  validAgreement,
} from '../__testUtils__/testBackend';

jest.setTimeout(180_000);

const iso = (t: number) => new Date(t).toISOString();
const CHECKOUT = 'component:default/checkout';
const at = (hhmmss: string) => Date.parse(`2026-06-10T${hhmmss}Z`);

const latencyTarget = (overrides: Record<string, unknown> = {}) => ({
  id: 'latency',
  name: 'Latency',
  aspect: 'performance',
  metric: 'latency_ms',
  sli: { kind: 'threshold', operator: 'lte', threshold: 300 },
  objective: 90,
  timeslice: 'PT90S',
  window: { type: 'rolling', duration: 'P1D' },
  ...overrides,
});

/**
 * product.md §3: threshold slices are aligned to the Unix epoch and judged
 * by their worst value; a PT90S slice covers a minute and a half, so it
 * spans two minutes and a minute holds parts of two slices.
 */
describe.each(databases.eachSupportedId())(
  'threshold timeslices on %p',
  databaseId => {
    let http: Awaited<ReturnType<typeof startSlaBackend>>['http'];

    beforeEach(async () => {
      ({ http } = await startSlaBackend(databaseId));
    });

    async function agree(targets: object[]) {
      const created = await http
        .post('/api/sla/agreements')
        .set('Authorization', alice)
        .send({
          kind: 'SLA',
          entityRef: CHECKOUT,
          title: 'Checkout latency',
          status: 'draft',
          targets,
        });
      expect(created.status).toBe(201);
      for (const to of ['negotiation', 'agreed']) {
        const moved = await http
          .post(`/api/sla/agreements/${created.body.id}/transitions`)
          .set('Authorization', alice)
          .send({ to });
        expect(moved.status).toBe(200);
      }
    }

    const send = async (samples: Array<[string, number]>) => {
      const res = await http
        .post('/api/sla/measurements')
        .set('Authorization', service)
        .send({
          items: samples.map(([hhmmss, value]) => ({
            entityRef: CHECKOUT,
            metric: 'latency_ms',
            timestamp: iso(at(hhmmss)),
            value,
          })),
        });
      expect(res.status).toBe(200);
      expect(res.body.accepted).toBe(samples.length);
    };

    const figures = async (instant: number, targetId = 'latency') => {
      const res = await http
        .get(`/api/sla/attainment?entityRef=${CHECKOUT}&at=${iso(instant)}`)
        .set('Authorization', mallory);
      expect(res.status).toBe(200);
      return res.body.items.find((i: any) => i.targetId === targetId);
    };

    /**
     * Slices (10:00 is a multiple of 90 s since the epoch):
     *   A [10:00:00, 10:01:30)  10:00:10 100, 10:01:00 100        good
     *   B [10:01:30, 10:03:00)  10:01:40 500, 10:02:50 100        bad
     *   C [10:03:00, 10:04:30)  10:03:20 100, 10:04:20 200        good
     * Minute 10:01 holds a sample of A and one of B.
     */
    it('counts one slice per 90 s and survives two samples in one minute', async () => {
      await agree([latencyTarget()]);
      await send([
        ['10:00:10', 100],
        ['10:01:00', 100],
      ]);
      // The first read keeps a slice definition for the series; samples
      // after it update that definition's rollups at ingest.
      expect(await figures(at('10:01:10'))).toMatchObject({
        counted: 1,
        attainment: 100,
      });
      // The second sample in minute 10:01, in a batch of its own.
      await send([['10:01:40', 500]]);
      await send([
        ['10:02:50', 100],
        ['10:03:20', 100],
        ['10:04:20', 200],
      ]);

      // Whole hours from the rollups: A, B, C; B bad.
      const later = await figures(at('12:00:00'));
      expect(later).toMatchObject({
        counted: 3,
        errorBudget: { consumed: 1 },
        status: 'breached',
      });
      expect(later.attainment).toBeCloseTo(200 / 3, 10);

      // The window ends inside slices (raw reads, half-open):
      // at 10:01:45, A and B (by 10:01:40 only: bad)
      expect(await figures(at('10:01:45'))).toMatchObject({
        counted: 2,
        attainment: 50,
      });
      // at 10:01:40 the 500 is not in the window yet: A only
      expect(await figures(at('10:01:40'))).toMatchObject({
        counted: 1,
        attainment: 100,
      });
      // at 10:04:00, C holds 10:03:20 only
      const partial = await figures(at('10:04:00'));
      expect(partial.counted).toBe(3);
      expect(partial.attainment).toBeCloseTo(200 / 3, 10);

      // Look-back [10:01:00, 11:01:00): A by 10:01:00 alone (good), B bad,
      // C good: (1/3) / (1 − 0.9)
      const burn = await figures(at('11:01:00'));
      expect(burn.burnRates['1h']).toBeCloseTo(10 / 3, 10);
    });

    it('builds a definition from stored samples the same way', async () => {
      await send([
        ['10:00:10', 100],
        ['10:01:00', 100],
        ['10:01:40', 500],
        ['10:02:50', 100],
        ['10:03:20', 100],
        ['10:04:20', 200],
      ]);
      // Agreed after the data: its slice rollups are built from the
      // samples. Threshold 150 makes C (worst 200) bad as well.
      await agree([
        latencyTarget(),
        latencyTarget({
          id: 'strict',
          sli: { kind: 'threshold', operator: 'lte', threshold: 150 },
        }),
      ]);
      const loose = await figures(at('12:00:00'));
      expect(loose.counted).toBe(3);
      expect(loose.attainment).toBeCloseTo(200 / 3, 10);
      const strict = await figures(at('12:00:00'), 'strict');
      expect(strict.counted).toBe(3);
      expect(strict.attainment).toBeCloseTo(100 / 3, 10);
      // A later sample that spoils A moves it from good to bad.
      await send([['10:00:50', 400]]);
      const spoiled = await figures(at('12:00:00'));
      expect(spoiled).toMatchObject({ counted: 3 });
      expect(spoiled.attainment).toBeCloseTo(100 / 3, 10);
    });

    it('counts PT15M slices by epoch-aligned quarters, and PT1H by hours', async () => {
      await agree([
        latencyTarget({ id: 'quarter', timeslice: 'PT15M' }),
        latencyTarget({ id: 'hour', timeslice: 'PT1H' }),
      ]);
      // quarters 10:00 (good), 10:15 (bad at 10:29:59), 11:00 (good)
      await send([
        ['10:00:00', 100],
        ['10:14:59', 100],
        ['10:29:59', 301],
        ['11:00:00', 100],
      ]);
      const quarter = await figures(at('12:00:00'), 'quarter');
      expect(quarter.counted).toBe(3);
      expect(quarter.attainment).toBeCloseTo(200 / 3, 10);
      const hour = await figures(at('12:00:00'), 'hour');
      expect(hour).toMatchObject({ counted: 2, attainment: 50 });
      // window ends at 10:29:59: the 301 is not in it, so quarter 10:15
      // has no data
      expect(await figures(at('10:29:59'), 'quarter')).toMatchObject({
        counted: 1,
        attainment: 100,
      });
    });

    it.each(['PT7M', 'PT45M', 'PT2H', 'P1D', 'PT61S', 'PT30S'])(
      'refuses a %s timeslice on POST and PUT, changing nothing',
      async timeslice => {
        const refused = await http
          .post('/api/sla/agreements')
          .set('Authorization', alice)
          .send(
            validAgreement({
              targets: [latencyTarget({ timeslice })],
            }),
          );
        expect(refused.status).toBe(400);
        expect(refused.body.error.message).toContain('targets[0].timeslice');
        expect(refused.body.error.message).toContain('divides an hour');
        const none = await http
          .get(`/api/sla/agreements?entityRef=${CHECKOUT}`)
          .set('Authorization', alice);
        expect(none.body.items).toEqual([]);

        const created = await http
          .post('/api/sla/agreements')
          .set('Authorization', alice)
          .send(validAgreement({ targets: [latencyTarget()] }));
        expect(created.status).toBe(201);
        const put = await http
          .put(`/api/sla/agreements/${created.body.id}`)
          .set('Authorization', alice)
          .send({
            ...created.body,
            targets: [latencyTarget({ timeslice })],
          });
        expect(put.status).toBe(400);
        expect(put.body.error.message).toContain('targets[0].timeslice');
        const after = await http
          .get(`/api/sla/agreements/${created.body.id}`)
          .set('Authorization', alice);
        expect(after.body.version).toBe(created.body.version);
        expect(after.body.targets[0].timeslice).toBe('PT90S');
      },
    );
  },
);
