import {
  alice,
  databases,
  mallory,
  service,
  startSlaBackend,
  validAgreement,
} from '../__testUtils__/testBackend';

jest.setTimeout(180_000);

const HOUR = 3_600_000;
const MINUTE = 60_000;
const iso = (t: number) => new Date(t).toISOString();
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

const CHECKOUT = 'component:default/checkout';
/** An instant long before the agreements of these tests were written. */
const PAST = Date.parse('2026-06-10T12:00:00Z');

const availability = (objective: number) => ({
  id: 'availability',
  name: 'Availability',
  aspect: 'availability',
  metric: 'requests',
  sli: { kind: 'ratio' },
  objective,
  window: { type: 'rolling', duration: 'P1D' },
});

const latency = {
  id: 'latency',
  name: 'Latency',
  aspect: 'performance',
  metric: 'latency_ms',
  sli: { kind: 'threshold', operator: 'lte', threshold: 300 },
  objective: 90,
  window: { type: 'rolling', duration: 'P1D' },
};

/**
 * GET /attainment at a past `at` evaluates the agreements as they were in
 * force at `at` (their version history), not as they are now.
 */
describe.each(databases.eachSupportedId())(
  'attainment at a past instant, from the version history, on %p',
  databaseId => {
    let http: Awaited<ReturnType<typeof startSlaBackend>>['http'];

    beforeEach(async () => {
      ({ http } = await startSlaBackend(databaseId));
    });

    async function create(body: object) {
      const res = await http
        .post('/api/sla/agreements')
        .set('Authorization', alice)
        .send({
          kind: 'SLA',
          entityRef: CHECKOUT,
          title: 'Checkout SLA',
          status: 'draft',
          ...body,
        });
      expect(res.status).toBe(201);
      return res.body as { id: string; version: number };
    }

    async function move(id: string, to: string, extra: object = {}) {
      const res = await http
        .post(`/api/sla/agreements/${id}/transitions`)
        .set('Authorization', alice)
        .send({ to, ...extra });
      expect(res.status).toBe(200);
      return res.body;
    }

    async function agree(body: object) {
      const created = await create(body);
      await move(created.id, 'negotiation');
      return move(created.id, 'agreed');
    }

    /** The instant just after the last write, and a little pause. */
    async function mark() {
      await sleep(5);
      const t = Date.now();
      await sleep(5);
      return t;
    }

    const attainment = async (at?: number) => {
      const res = await http
        .get(
          `/api/sla/attainment?entityRef=${CHECKOUT}${
            at === undefined ? '' : `&at=${iso(at)}`
          }`,
        )
        .set('Authorization', mallory);
      expect(res.status).toBe(200);
      return res.body.items as Array<{
        agreementId: string;
        targetId: string;
        objective: number;
        attainment: number | null;
        counted: number;
      }>;
    };
    const summary = (items: Awaited<ReturnType<typeof attainment>>) =>
      items.map(i => `${i.targetId}@${i.objective}`).sort();

    it('uses the targets in force at `at`, not the ones amended since', async () => {
      const agreed = await agree({ targets: [availability(99)] });
      const beforeAmendment = await mark();
      const review = await move(agreed.id, 'under-review');
      const duringReview = await mark();
      const amended = await http
        .put(`/api/sla/agreements/${agreed.id}`)
        .set('Authorization', alice)
        .send({
          kind: 'SLA',
          entityRef: CHECKOUT,
          title: 'Checkout SLA',
          targets: [availability(95), latency],
          version: review.version,
        });
      expect(amended.status).toBe(200);
      await move(agreed.id, 'agreed');
      const afterAmendment = await mark();

      // Ten minutes of requests before PAST, 96 good of 100 each.
      const pushed = await http
        .post('/api/sla/measurements')
        .set('Authorization', service)
        .send({
          items: Array.from({ length: 10 }, (_, i) => ({
            entityRef: CHECKOUT,
            metric: 'requests',
            timestamp: iso(PAST - (10 - i) * MINUTE),
            good: 96,
            total: 100,
          })),
        });
      expect(pushed.status).toBe(200);

      // Long before: the first agreed version (no validFrom: open start).
      const past = await attainment(PAST);
      expect(summary(past)).toEqual(['availability@99']);
      expect(past[0]).toMatchObject({
        agreementId: agreed.id,
        attainment: 96,
        counted: 1000,
        status: 'breached',
      });
      expect(summary(await attainment(beforeAmendment))).toEqual([
        'availability@99',
      ]);
      // Under review, the agreement is not in force (as GET /attainment
      // answered at that instant).
      expect(await attainment(duringReview)).toEqual([]);
      // Agreed again: the amended targets.
      expect(summary(await attainment(afterAmendment))).toEqual([
        'availability@95',
        'latency@90',
      ]);
      expect(summary(await attainment())).toEqual([
        'availability@95',
        'latency@90',
      ]);
    });

    it('replays an agreement that was withdrawn since', async () => {
      const agreed = await agree({ targets: [availability(99)] });
      const whileAgreed = await mark();
      await move(agreed.id, 'withdrawn');
      const afterWithdrawal = await mark();

      expect(summary(await attainment(PAST))).toEqual(['availability@99']);
      expect(summary(await attainment(whileAgreed))).toEqual([
        'availability@99',
      ]);
      expect(await attainment(afterWithdrawal)).toEqual([]);
      expect(await attainment()).toEqual([]);
    });

    it('keeps to validFrom and validUntil, and leaves out what never was agreed', async () => {
      const bounded = await agree({
        validFrom: iso(PAST - 2 * HOUR),
        validUntil: iso(PAST + 24 * HOUR),
        targets: [availability(99)],
      });
      // a draft that nobody agreed
      await create({ targets: [availability(50)] });

      expect(summary(await attainment(PAST))).toEqual(['availability@99']);
      // before validFrom, and from validUntil on, it is not in force
      expect(await attainment(PAST - 3 * HOUR)).toEqual([]);
      expect(await attainment(PAST + 24 * HOUR)).toEqual([]);
      expect(await attainment()).toEqual([]);
      expect(bounded.status).toBe('agreed');
    });

    it('does not put an agreement whose validity starts later in force now', async () => {
      await agree({
        validFrom: iso(Date.now() + 30 * 24 * HOUR),
        targets: [availability(99)],
      });
      expect(await attainment()).toEqual([]);
      expect(summary(await attainment(Date.now() + 31 * 24 * HOUR))).toEqual([
        'availability@99',
      ]);
    });
  },
);

/** Reports of a past period use the agreements as they were in force then. */
describe.each(databases.eachSupportedId())(
  'service reports of a past period, from the version history, on %p',
  databaseId => {
    let http: Awaited<ReturnType<typeof startSlaBackend>>['http'];

    beforeEach(async () => {
      ({ http } = await startSlaBackend(databaseId));
    });

    const move = async (id: string, to: string) => {
      const res = await http
        .post(`/api/sla/agreements/${id}/transitions`)
        .set('Authorization', alice)
        .send({ to });
      expect(res.status).toBe(200);
      return res.body;
    };
    const october = async () => {
      const res = await http
        .get(`/api/sla/reports?entityRef=${CHECKOUT}&month=2026-10`)
        .set('Authorization', mallory);
      expect(res.status).toBe(200);
      return res.body.agreements.map((a: any) => ({
        id: a.id,
        objectives: a.targets.map((t: any) => t.objective),
      }));
    };

    it('reports the targets agreed then, also after an amendment and a withdrawal', async () => {
      // valid from 2026-01-01: its first agreed version covers October
      const created = await http
        .post('/api/sla/agreements')
        .set('Authorization', alice)
        .send(validAgreement({ status: 'draft' }));
      expect(created.status).toBe(201);
      const { id } = created.body;
      await move(id, 'negotiation');
      await move(id, 'agreed');
      const review = await move(id, 'under-review');
      const body = validAgreement();
      const amended = await http
        .put(`/api/sla/agreements/${id}`)
        .set('Authorization', alice)
        .send({
          ...body,
          targets: review.targets.map((t: any, i: number) =>
            i === 0 ? { ...t, objective: 95 } : t,
          ),
          version: review.version,
        });
      expect(amended.status).toBe(200);
      await move(id, 'agreed');

      // amended after October: October shows the objectives agreed then
      expect(await october()).toEqual([{ id, objectives: [99.9, 95] }]);
      // withdrawn after October: still in October's report
      await move(id, 'withdrawn');
      expect(await october()).toEqual([{ id, objectives: [99.9, 95] }]);
    });
  },
);
