import {
  alice,
  databases,
  mallory,
  service,
  startSlaBackend,
} from '../__testUtils__/testBackend';

jest.setTimeout(180_000);

const MINUTE = 60_000;
const iso = (t: number) => new Date(t).toISOString();
const CHECKOUT = 'component:default/checkout';
const t = (hhmm: string) => Date.parse(`2026-06-10T${hhmm}:00Z`);

/**
 * product.md §3: threshold measurements inside a maintenance window are left
 * out "as if there were no data", so a timeslice that is only partly inside
 * one is judged on its samples outside it.
 */
describe.each(databases.eachSupportedId())(
  'threshold slices across maintenance boundaries on %p',
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
    }

    const latency = async (at: number) => {
      const res = await http
        .get(`/api/sla/attainment?entityRef=${CHECKOUT}&at=${iso(at)}`)
        .set('Authorization', mallory);
      expect(res.status).toBe(200);
      return res.body.items.find((i: any) => i.targetId === 'latency');
    };

    /**
     * PT5M slices, maintenance 10:07–10:33 (not on slice boundaries), one
     * reading a minute from 10:00 to 10:59, all 100 ms except:
     *   10:06  500  outside maintenance: spoils slice 10:05
     *   10:08  900  inside: left out
     *   10:12  900  inside: left out (slice 10:10 is wholly inside)
     *   10:31  900  inside: left out (slice 10:30 is judged on 10:33, 10:34)
     * Slices with data outside maintenance: 10:00, 10:05 (10:05, 10:06),
     * 10:30 (10:33, 10:34), 10:35 … 10:55: 8, of which 10:05 is bad.
     */
    async function setUp() {
      await agree({
        kind: 'SLA',
        entityRef: CHECKOUT,
        title: 'Checkout SLA',
        status: 'draft',
        maintenanceWindows: [{ start: iso(t('10:07')), end: iso(t('10:33')) }],
        targets: [
          {
            id: 'latency',
            name: 'Latency',
            aspect: 'performance',
            metric: 'latency_ms',
            sli: { kind: 'threshold', operator: 'lte', threshold: 300 },
            objective: 90,
            timeslice: 'PT5M',
            window: { type: 'rolling', duration: 'P1D' },
          },
        ],
      });
      const special: Record<number, number> = { 6: 500, 8: 900, 12: 900 };
      special[31] = 900;
      const res = await http
        .post('/api/sla/measurements')
        .set('Authorization', service)
        .send({
          items: Array.from({ length: 60 }, (_, m) => ({
            entityRef: CHECKOUT,
            metric: 'latency_ms',
            timestamp: iso(t('10:00') + m * MINUTE),
            value: special[m] ?? 100,
          })),
        });
      expect(res.status).toBe(200);
      expect(res.body.accepted).toBe(60);
    }

    it('judges a slice partly in maintenance on its samples outside it (hour rollups)', async () => {
      await setUp();
      const figures = await latency(t('12:00'));
      // 7 good of 8: 87.5 % < 90; allowed 10 % of 8 = 0.8, consumed 1
      expect(figures).toMatchObject({
        counted: 8,
        attainment: 87.5,
        status: 'breached',
        errorBudget: { allowed: 0.8, consumed: 1 },
      });
      expect(figures.errorBudget.remaining).toBeCloseTo(1 - 1 / 0.8, 10);
      // the 2 h look-back holds the same 8 slices: (1/8) / 0.1 = 1.25
      expect(figures.burnRates['2h']).toBeCloseTo(1.25, 10);
      expect(figures.burnRates['1h']).toBeNull();
    });

    it('judges such slices the same when the window ends inside the hour (raw reads)', async () => {
      await setUp();
      // up to 10:50: slices 10:00, 10:05, 10:30, 10:35, 10:40, 10:45
      const figures = await latency(t('10:50'));
      expect(figures).toMatchObject({ counted: 6, status: 'breached' });
      expect(figures.attainment).toBeCloseTo((5 * 100) / 6, 10);
      // the window ends inside maintenance: 10:00 and 10:05 only
      const inside = await latency(t('10:20'));
      expect(inside).toMatchObject({ counted: 2, attainment: 50 });
      // ends inside slice 10:05, before maintenance: 10:05 and 10:06 count
      const early = await latency(t('10:07') - 30_000);
      expect(early).toMatchObject({ counted: 2, attainment: 50 });
    });
  },
);
