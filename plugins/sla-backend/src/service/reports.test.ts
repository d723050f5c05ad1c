import {
  alice,
  bob,
  databases,
  mallory,
  startSlaBackend,
  validAgreement,
} from '../__testUtils__/testBackend';
import { ReportStore } from '../store/ReportStore';

jest.setTimeout(180_000);

const CHECKOUT = 'component:default/checkout';
const OCTOBER = {
  start: '2026-10-01T00:00:00.000Z',
  end: '2026-11-01T00:00:00.000Z',
};

describe.each(databases.eachSupportedId())(
  'service reports on %p',
  databaseId => {
    let backend: Awaited<ReturnType<typeof startSlaBackend>>;
    let http: typeof backend.http;

    beforeEach(async () => {
      backend = await startSlaBackend(databaseId);
      http = backend.http;
    });

    /** An agreed checkout SLA with its targets' ids. */
    async function agreed() {
      const created = await http
        .post('/api/sla/agreements')
        .set('Authorization', alice)
        .send(validAgreement());
      expect(created.status).toBe(201);
      for (const to of ['draft', 'negotiation', 'agreed']) {
        const res = await http
          .post(`/api/sla/agreements/${created.body.id}/transitions`)
          .set('Authorization', alice)
          .send({ to });
        expect(res.status).toBe(200);
      }
      const [availability, p1] = created.body.targets;
      return {
        id: created.body.id as string,
        availability: availability.id as string,
        p1: p1.id as string,
      };
    }

    const ingest = async (items: object[]) => {
      const res = await http
        .post('/api/sla/measurements')
        .set('Authorization', alice)
        .send({ items });
      expect(res.status).toBe(200);
    };
    const ratio = (timestamp: string, good: number, total: number) => ({
      entityRef: CHECKOUT,
      metric: 'checkout_requests',
      timestamp,
      good,
      total,
    });

    /**
     * October 2026 (UTC): 990/1000 on Wed 14th and 1000/1000 on Tue 20th
     * count; 0/1000 on Sun 18th 00:30Z (02:30 in Berlin, inside the Sunday
     * 02:00-04:00 maintenance window) and 0/500 on 30 September 23:00Z do not.
     * Availability over October: 1990 / 2000 = 99.5 % < 99.9 %; the budget
     * allows (1 - 0.999) x 2000 = 2 bad requests, 10 were bad: remaining
     * 1 - 10/2 = -4. P1 incidents (Mondays 09:00-17:00 Berlin): one resolved
     * in 30 minutes (met), one in 2 hours (failed): 50 % < 95 %.
     */
    async function october() {
      await ingest([
        ratio('2026-10-14T10:00:00Z', 990, 1000),
        ratio('2026-10-20T12:00:00Z', 1000, 1000),
        ratio('2026-10-18T00:30:00Z', 0, 1000),
        ratio('2026-09-30T23:00:00Z', 0, 500),
        {
          entityRef: CHECKOUT,
          metric: 'checkout_incidents',
          eventId: 'inc-1',
          start: '2026-10-12T07:00:00Z',
          end: '2026-10-12T07:30:00Z',
          priority: 'P1',
        },
        {
          entityRef: CHECKOUT,
          metric: 'checkout_incidents',
          eventId: 'inc-2',
          start: '2026-10-19T07:00:00Z',
          end: '2026-10-19T09:00:00Z',
          priority: 'P1',
        },
      ]);
    }

    const live = (who: string, query: string) =>
      http.get(`/api/sla/reports?${query}`).set('Authorization', who);
    const publish = (who: string, body: object) =>
      http
        .post('/api/sla/reports/published')
        .set('Authorization', who)
        .send(body);
    const published = async () =>
      (
        await http
          .get(`/api/sla/reports/published?entityRef=${CHECKOUT}`)
          .set('Authorization', bob)
      ).body.items;

    describe('without credentials', () => {
      it.each([
        ['get', `/api/sla/reports?entityRef=${CHECKOUT}`],
        ['get', `/api/sla/reports/published?entityRef=${CHECKOUT}`],
        ['post', '/api/sla/reports/published'],
        ['get', '/api/sla/reports/published/x'],
      ])('%s %s answers 401', async (method, path) => {
        const res = await (http as any)[method](path).send();
        expect(res.status).toBe(401);
      });
    });

    describe('GET /reports', () => {
      it('reports the figures of the last full month before at', async () => {
        const ids = await agreed();
        await october();
        const res = await live(
          bob,
          `entityRef=${CHECKOUT}&at=2026-11-15T00:00:00Z`,
        );
        expect(res.status).toBe(200);
        expect(res.body.period).toEqual({ ...OCTOBER, month: '2026-10' });
        expect(res.body.entityRef).toBe(CHECKOUT);
        const [agreement] = res.body.agreements;
        expect(agreement).toMatchObject({
          id: ids.id,
          kind: 'SLA',
          status: 'agreed',
        });
        const [availability, p1] = agreement.targets;
        expect(availability).toMatchObject({
          targetId: ids.availability,
          objective: 99.9,
          met: false,
          counted: 2000,
          errorBudget: { consumed: 10 },
          breaches: [],
          // P28D ending 1 November starts 4 October: the same samples
          atPeriodEnd: { status: 'breached' },
        });
        expect(availability.attainment).toBeCloseTo(99.5, 9);
        expect(availability.errorBudget.allowed).toBeCloseTo(2, 9);
        expect(availability.errorBudget.remaining).toBeCloseTo(-4, 9);
        expect(availability.atPeriodEnd.attainment).toBeCloseTo(99.5, 9);
        expect(p1).toMatchObject({
          targetId: ids.p1,
          attainment: 50,
          met: false,
          counted: 2,
          errorBudget: { consumed: 1 },
        });
        expect(res.body.summary).toEqual({
          targets: 2,
          met: 0,
          notMet: 2,
          noData: 0,
          breaches: 0,
        });
        expect(res.body.satisfaction).toMatchObject({
          csat: null,
          responses: 0,
          complaints: { total: 0 },
        });
      });

      it('takes an explicit month or from/to', async () => {
        await agreed();
        await october();
        const september = await live(
          bob,
          `entityRef=${CHECKOUT}&month=2026-09`,
        );
        expect(september.status).toBe(200);
        const [availability] = september.body.agreements[0].targets;
        // the one September sample: 0/500
        expect(availability).toMatchObject({
          attainment: 0,
          counted: 500,
          met: false,
        });
        const week = await live(
          bob,
          `entityRef=${CHECKOUT}&from=2026-10-14T00:00:00Z&to=2026-10-15T00:00:00Z`,
        );
        expect(week.status).toBe(200);
        expect(week.body.period).toEqual({
          start: '2026-10-14T00:00:00.000Z',
          end: '2026-10-15T00:00:00.000Z',
        });
        expect(week.body.agreements[0].targets[0]).toMatchObject({
          attainment: 99,
          counted: 1000,
        });
      });

      it('answers CSV with the header and one line per target', async () => {
        const ids = await agreed();
        await october();
        const res = await live(
          bob,
          `entityRef=${CHECKOUT}&month=2026-10&format=csv`,
        );
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toMatch(/^text\/csv/);
        expect(res.headers['content-disposition']).toBe(
          'attachment; filename="sla-report-component-default-checkout-2026-10.csv"',
        );
        const lines = res.text.split('\r\n');
        expect(lines[0]).toBe(
          'entityRef,periodStart,periodEnd,agreementId,agreementKind,agreementTitle,targetId,targetName,aspect,objective,attainment,met,counted,budgetAllowed,budgetConsumed,budgetRemaining,breaches,breachMinutes,statusAtPeriodEnd,csat,csatResponses,nps,complaints',
        );
        expect(lines[1]).toBe(
          `${CHECKOUT},${OCTOBER.start},${OCTOBER.end},${ids.id},SLA,Checkout SLA,${ids.availability},Availability,availability,99.9,99.5,no,2000,2,10,-4,0,0,breached,,0,,0`,
        );
        expect(lines[2]).toMatch(
          new RegExp(
            `^${CHECKOUT},.*,${ids.p1},P1 resolution,support,95,50,no,2,0.1,1,-9,0,0,`,
          ),
        );
        expect(lines.slice(3)).toEqual(['']);
      });

      it('leaves out agreements not in force (drafts)', async () => {
        await http
          .post('/api/sla/agreements')
          .set('Authorization', alice)
          .send(validAgreement({ status: 'draft' }));
        const res = await live(bob, `entityRef=${CHECKOUT}&month=2026-10`);
        expect(res.status).toBe(200);
        expect(res.body.agreements).toEqual([]);
        expect(res.body.summary.targets).toBe(0);
      });

      it.each([
        ['month=2026-13', 'month must be a month as YYYY-MM'],
        ['month=2999-01', 'month must have ended by at'],
        ['from=2026-10-01T00:00:00Z', 'to must be an ISO 8601 instant'],
        [
          'from=2026-10-02T00:00:00Z&to=2026-10-01T00:00:00Z',
          'to must be later than from',
        ],
        ['format=pdf', 'format'],
      ])('answers 400 for %s naming the field', async (query, message) => {
        const res = await live(bob, `entityRef=${CHECKOUT}&${query}`);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain(message);
      });

      it.each([
        ['', 'entityRef is required'],
        ['entityRef=checkout', 'entityRef must be an entity ref'],
        [
          'entityRef=component:default/nowhere',
          'entityRef component:default/nowhere is not an entity',
        ],
      ])('answers 400 for a bad entityRef (%s)', async (query, message) => {
        const res = await live(bob, query);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain(message);
      });
    });

    describe('published reports', () => {
      it('publishes, lists and reads a report, JSON and CSV', async () => {
        const ids = await agreed();
        await october();
        const res = await publish(alice, {
          entityRef: CHECKOUT,
          month: '2026-10',
        });
        expect(res.status).toBe(201);
        expect(res.body).toMatchObject({
          entityRef: CHECKOUT,
          period: { ...OCTOBER, month: '2026-10' },
          publishedBy: 'user:default/alice',
          summary: { targets: 2, notMet: 2 },
        });
        expect(res.body.report.agreements[0].targets[0].counted).toBe(2000);
        const items = await published();
        expect(items).toHaveLength(1);
        expect(items[0]).toMatchObject({
          id: res.body.id,
          summary: { targets: 2 },
        });
        expect(items[0].report).toBeUndefined();

        const one = await http
          .get(`/api/sla/reports/published/${res.body.id}`)
          .set('Authorization', bob);
        expect(one.status).toBe(200);
        expect(one.body).toEqual(res.body);
        const csv = await http
          .get(`/api/sla/reports/published/${res.body.id}?format=csv`)
          .set('Authorization', bob);
        expect(csv.status).toBe(200);
        expect(csv.headers['content-type']).toMatch(/^text\/csv/);
        expect(csv.text.split('\r\n')[1]).toContain(
          `${ids.availability},Availability,availability,99.9,99.5,no,2000,`,
        );
      });

      it('freezes the figures: later data changes the live report, not the published one', async () => {
        await agreed();
        await october();
        const res = await publish(alice, {
          entityRef: CHECKOUT,
          month: '2026-10',
        });
        expect(res.status).toBe(201);
        await ingest([ratio('2026-10-21T09:00:00Z', 0, 1000)]);
        const now = await live(bob, `entityRef=${CHECKOUT}&month=2026-10`);
        // 1990 / 3000
        expect(now.body.agreements[0].targets[0].counted).toBe(3000);
        expect(now.body.agreements[0].targets[0].attainment).toBeCloseTo(
          66.333333,
          5,
        );
        const frozen = await http
          .get(`/api/sla/reports/published/${res.body.id}`)
          .set('Authorization', bob);
        expect(frozen.body.report.agreements[0].targets[0].counted).toBe(2000);
        expect(
          frozen.body.report.agreements[0].targets[0].attainment,
        ).toBeCloseTo(99.5, 9);
        expect(frozen.body).toEqual(res.body);
      });

      it('answers 409 when the period is published already, and keeps the first', async () => {
        await agreed();
        const first = await publish(alice, {
          entityRef: CHECKOUT,
          month: '2026-10',
        });
        expect(first.status).toBe(201);
        const again = await publish(alice, {
          entityRef: CHECKOUT,
          from: '2026-10-01T00:00:00Z',
          to: '2026-11-01T00:00:00Z',
        });
        expect(again.status).toBe(409);
        expect(again.body.error.message).toContain(first.body.id);
        expect((await published()).map((p: any) => p.id)).toEqual([
          first.body.id,
        ]);
      });

      it('lets only owners publish (403, nothing stored)', async () => {
        await agreed();
        const res = await publish(mallory, {
          entityRef: CHECKOUT,
          month: '2026-10',
        });
        expect(res.status).toBe(403);
        expect(res.body.error.message).toContain('Only the owners of');
        expect(await published()).toEqual([]);
      });

      it.each([
        [{ month: '2026-10' }, 'entityRef is required'],
        [
          { entityRef: 'nowhere', month: '2026-10' },
          'entityRef must be an entity ref',
        ],
        [
          { entityRef: CHECKOUT, month: 'October' },
          'month must be a month as YYYY-MM',
        ],
        [{ entityRef: CHECKOUT, month: '2999-01' }, 'month must have ended'],
        [{ entityRef: CHECKOUT, month: 202610 }, 'month must be'],
        [
          { entityRef: CHECKOUT, from: '2026-10-01T00:00:00Z' },
          'to must be an ISO 8601 instant',
        ],
      ])(
        'answers 400 for %j naming the field, nothing stored',
        async (body, message) => {
          const res = await publish(alice, body);
          expect(res.status).toBe(400);
          expect(res.body.error.message).toContain(message);
          expect(await published()).toEqual([]);
        },
      );

      it('answers 404 for an unknown published report', async () => {
        const res = await http
          .get('/api/sla/reports/published/nope')
          .set('Authorization', bob);
        expect(res.status).toBe(404);
      });

      it('feeds the timely-reports rule from one query', async () => {
        await agreed();
        const res = await publish(alice, {
          entityRef: CHECKOUT,
          month: '2026-10',
        });
        expect(res.status).toBe(201);
        const store = new ReportStore(backend.knex);
        const since = Date.parse('2026-09-01T00:00:00Z');
        const found = await store.publicationsSince(
          ['Component:default/Checkout', 'component:default/search'],
          since,
        );
        expect(found.get('component:default/checkout')).toEqual([
          {
            periodStart: Date.parse(OCTOBER.start),
            periodEnd: Date.parse(OCTOBER.end),
            publishedAt: Date.parse(res.body.publishedAt),
          },
        ]);
        expect(found.get('component:default/search')).toEqual([]);
      });
    });

    describe('who may read', () => {
      it('answers 403 to a user who may not read the agreements', async () => {
        await http
          .post('/api/sla/agreements')
          .set('Authorization', alice)
          .send(validAgreement());
        const first = await publish(alice, {
          entityRef: CHECKOUT,
          month: '2026-10',
        });
        expect(first.status).toBe(201);
        const denied = await startSlaBackend(databaseId, {
          knex: backend.knex,
          deny: ['sla.agreement.read'],
        });
        for (const path of [
          `/api/sla/reports?entityRef=${CHECKOUT}&month=2026-10`,
          `/api/sla/reports?entityRef=${CHECKOUT}&month=2026-10&format=csv`,
          `/api/sla/reports/published?entityRef=${CHECKOUT}`,
          `/api/sla/reports/published/${first.body.id}`,
        ]) {
          const res = await denied.http.get(path).set('Authorization', bob);
          expect(res.status).toBe(403);
          expect(res.body.error.message).toContain('may not read');
        }
      });
    });
  },
);
