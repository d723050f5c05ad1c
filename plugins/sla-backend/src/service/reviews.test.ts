import { DateTime } from 'luxon';
import {
  alice,
  bob,
  databases,
  mallory,
  service,
  startSlaBackend,
  validAgreement,
} from '../__testUtils__/testBackend';
import { AgreementStore } from '../store/AgreementStore';
import { ReviewStore } from '../store/ReviewStore';
import { ReviewService } from './ReviewService';

jest.setTimeout(180_000);

const CHECKOUT = 'component:default/checkout';
const HOUR = 3_600_000;
const iso = (t: number) => new Date(t).toISOString();

describe.each(databases.eachSupportedId())('reviews on %p', databaseId => {
  let backend: Awaited<ReturnType<typeof startSlaBackend>>;
  let http: typeof backend.http;

  beforeEach(async () => {
    backend = await startSlaBackend(databaseId);
    http = backend.http;
  });

  /** An agreed checkout SLA (valid until 2027-01-01). */
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
    return created.body.id as string;
  }

  const period = () => ({
    start: iso(Date.now() - 30 * 24 * HOUR),
    end: iso(Date.now() + 60_000),
  });
  const heldReview = (agreementId: string, extra: object = {}) => ({
    agreementId,
    period: period(),
    participants: ['user:default/alice', 'Customer: web shop'],
    minutes: 'Availability fine, P1 handling slow.',
    actions: [{ title: 'Add on-call for P1', owner: 'user:default/alice' }],
    ...extra,
  });
  const post = (who: string, body: object) =>
    http.post('/api/sla/reviews').set('Authorization', who).send(body);
  const list = async (query = `entityRef=${CHECKOUT}`) =>
    http.get(`/api/sla/reviews?${query}`).set('Authorization', bob);
  const count = async () => (await list()).body.items.length;
  const agreement = async (id: string) =>
    (await http.get(`/api/sla/agreements/${id}`).set('Authorization', bob))
      .body;

  describe('without credentials', () => {
    it.each([
      ['get', `/api/sla/reviews?entityRef=${CHECKOUT}`],
      ['post', '/api/sla/reviews'],
      ['put', '/api/sla/reviews/x'],
    ])('%s %s answers 401', async (method, path) => {
      const res = await (http as any)[method](path).send({});
      expect(res.status).toBe(401);
    });
  });

  describe('POST /reviews', () => {
    it('records a held review with its snapshot; the schedule moves', async () => {
      const id = await agreed();
      const before = (await list(`agreementId=${id}`)).body.schedules[0];
      expect(before.overdue).toEqual([]);
      const res = await post(
        alice,
        heldReview(id, { serviceReviewInterval: 'P3M' }),
      );
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        agreementId: id,
        entityRef: CHECKOUT,
        kind: 'service',
        status: 'held',
        participants: ['user:default/alice', 'Customer: web shop'],
        actions: [{ title: 'Add on-call for P1' }],
        version: 1,
        createdBy: 'user:default/alice',
      });
      expect(res.body.snapshot.attainment).toHaveLength(2);
      expect(res.body.snapshot.satisfaction).toMatchObject({
        csat: null,
        csatResponses: 0,
      });
      const after = await list(`agreementId=${id}`);
      expect(after.body.items.map((r: any) => r.id)).toEqual([res.body.id]);
      const schedule = after.body.schedules[0];
      expect(schedule.lastReviewAt).toBe(res.body.heldAt);
      expect(schedule.serviceReviewInterval).toBe('P3M');
      // heldAt + P3M is later than agreedAt + P1M
      expect(Date.parse(schedule.nextServiceReviewDue)).toBeGreaterThan(
        Date.parse(before.nextServiceReviewDue),
      );
    });

    it('freezes the snapshot: later data does not change a held review', async () => {
      const id = await agreed();
      const push = (good: number, at: number) =>
        http
          .post('/api/sla/measurements')
          .set('Authorization', alice)
          .send({
            items: [
              {
                entityRef: CHECKOUT,
                metric: 'checkout_requests',
                timestamp: iso(at),
                good,
                total: 1000,
              },
            ],
          });
      expect((await push(1000, Date.now() - 2 * HOUR)).status).toBe(200);
      await http
        .post('/api/sla/feedback')
        .set('Authorization', bob)
        .send({ entityRef: CHECKOUT, kind: 'impromptu', score: 5 });
      const res = await post(alice, heldReview(id));
      expect(res.status).toBe(201);
      const frozen = res.body.snapshot;
      const availability = frozen.attainment.find(
        (t: any) => t.attainment !== null,
      );
      expect(availability.attainment).toBe(100);
      expect(frozen.satisfaction).toMatchObject({
        csat: 100,
        csatResponses: 1,
        mean: 5,
      });

      // More (bad) data inside the same period arrives afterwards.
      expect((await push(0, Date.now() - HOUR)).status).toBe(200);
      await http
        .post('/api/sla/feedback')
        .set('Authorization', mallory)
        .send({ entityRef: CHECKOUT, kind: 'impromptu', score: 1 });
      // (The bad data breaches the target, which opens an event review too.)
      const items = (await list()).body.items;
      expect(items.map((r: any) => r.kind).sort()).toEqual([
        'event',
        'service',
      ]);
      const read = items.find((r: any) => r.id === res.body.id);
      expect(read.snapshot).toEqual(frozen);
    });

    it('snapshots the targets in force during the period, not a later amendment', async () => {
      const id = await agreed();
      const original = await agreement(id);
      await new Promise(resolve => setTimeout(resolve, 5));
      const periodEnd = Date.now();
      await new Promise(resolve => setTimeout(resolve, 5));
      // Amended after the period: the first target's objective lowered.
      const move = async (to: string) => {
        const moved = await http
          .post(`/api/sla/agreements/${id}/transitions`)
          .set('Authorization', alice)
          .send({ to });
        expect(moved.status).toBe(200);
        return moved.body;
      };
      const review = await move('under-review');
      const amended = await http
        .put(`/api/sla/agreements/${id}`)
        .set('Authorization', alice)
        .send({
          kind: review.kind,
          entityRef: review.entityRef,
          title: review.title,
          targets: review.targets.map((t: any, i: number) =>
            i === 0 ? { ...t, objective: 95 } : t,
          ),
          version: review.version,
        });
      expect(amended.status).toBe(200);
      await move('agreed');
      const objectives = (res: any) =>
        res.body.snapshot.attainment.map((t: any) => [t.targetId, t.objective]);

      const past = await post(
        alice,
        heldReview(id, {
          period: {
            start: iso(periodEnd - 30 * 24 * HOUR),
            end: iso(periodEnd),
          },
        }),
      );
      expect(past.status).toBe(201);
      expect(objectives(past)).toEqual(
        original.targets.map((t: any) => [t.id, t.objective]),
      );
      expect(original.targets[0].objective).not.toBe(95);

      const now = await post(alice, heldReview(id));
      expect(now.status).toBe(201);
      expect(objectives(now)[0]).toEqual([original.targets[0].id, 95]);
    });

    it('prolongs through the lifecycle, keeping the history', async () => {
      const id = await agreed();
      const res = await post(
        alice,
        heldReview(id, {
          kind: 'agreement',
          decision: {
            type: 'prolong',
            validUntil: '2028-01-01T00:00:00.000Z',
            comment: 'Customer content',
          },
        }),
      );
      expect(res.status).toBe(201);
      expect(res.body.decision).toMatchObject({
        type: 'prolong',
        transitions: ['under-review', 'agreed'],
        agreementVersion: 6,
      });
      const a = await agreement(id);
      expect(a).toMatchObject({
        status: 'agreed',
        version: 6,
        validUntil: '2028-01-01T00:00:00.000Z',
      });
      const history = await http
        .get(`/api/sla/agreements/${id}/history`)
        .set('Authorization', bob);
      expect(
        history.body.items
          .slice(0, 2)
          .map((h: any) => [h.status, h.change.comment]),
      ).toEqual([
        ['agreed', `Review ${res.body.id}: prolong (Customer content)`],
        ['under-review', `Review ${res.body.id}: prolong (Customer content)`],
      ]);
      const schedule = (await list(`agreementId=${id}`)).body.schedules[0];
      // agreed again now: the next agreement review is reviewInterval (P3M) on
      expect(schedule.nextAgreementReviewDue).toBe(
        DateTime.fromISO(a.agreedAt, { zone: 'utc' })
          .plus({ months: 3 })
          .toISO(),
      );
    });

    it.each([
      ['amend', 'negotiation'],
      ['withdraw', 'withdrawn'],
    ])('%s moves the agreement to %s', async (type, status) => {
      const id = await agreed();
      const res = await post(alice, heldReview(id, { decision: { type } }));
      expect(res.status).toBe(201);
      expect((await agreement(id)).status).toBe(status);
    });

    it('answers 409 for a decision the lifecycle refuses, changing nothing', async () => {
      const created = await http
        .post('/api/sla/agreements')
        .set('Authorization', alice)
        .send(validAgreement());
      const res = await post(
        alice,
        heldReview(created.body.id, { decision: { type: 'prolong' } }),
      );
      expect(res.status).toBe(409);
      expect(res.body.error.name).toBe('ConflictError');
      expect(await count()).toBe(0);
      expect((await agreement(created.body.id)).version).toBe(1);
    });

    it('answers 403 to a non-owner and to a service, storing nothing', async () => {
      const id = await agreed();
      for (const who of [mallory, bob]) {
        const res = await post(
          who,
          heldReview(id, { decision: { type: 'withdraw' } }),
        );
        expect(res.status).toBe(403);
        expect(res.body.error.name).toBe('NotAllowedError');
      }
      expect(await count()).toBe(0);
      expect((await agreement(id)).status).toBe('agreed');
      // services read
      expect(
        (
          await http
            .get(`/api/sla/reviews?agreementId=${id}`)
            .set('Authorization', service)
        ).status,
      ).toBe(200);
    });

    it.each([
      ['missing agreementId', { agreementId: undefined }, 'agreementId'],
      ['unknown agreement', { agreementId: 'nope' }, 'agreementId'],
      ['no period', { period: undefined }, 'period'],
      [
        'period backwards',
        {
          period: {
            start: '2026-02-01T00:00:00Z',
            end: '2026-01-01T00:00:00Z',
          },
        },
        'period.end',
      ],
      ['no participants', { participants: [] }, 'participants'],
      ['unknown decision', { decision: { type: 'extend' } }, 'decision.type'],
      [
        'interval too long',
        { serviceReviewInterval: 'P6M' },
        'serviceReviewInterval',
      ],
      [
        'action without title',
        { actions: [{ owner: 'x' }] },
        'actions[0].title',
      ],
      [
        'prolonging to an earlier end',
        { decision: { type: 'prolong', validUntil: '2026-06-01T00:00:00Z' } },
        'decision.validUntil',
      ],
    ])(
      'answers 400 for %s, naming the field and storing nothing',
      async (_n, extra, field) => {
        const id = await agreed();
        const res = await post(alice, heldReview(id, extra));
        expect(res.status).toBe(400);
        expect(res.body.error.name).toBe('InputError');
        expect(res.body.error.message).toContain(field);
        expect(await count()).toBe(0);
        expect(await agreement(id)).toMatchObject({
          status: 'agreed',
          version: 4,
        });
      },
    );
  });

  describe('GET /reviews', () => {
    it('needs entityRef or agreementId', async () => {
      const res = await http.get('/api/sla/reviews').set('Authorization', bob);
      expect(res.status).toBe(400);
    });

    it('answers 403 when the policy denies reading', async () => {
      ({ http } = await startSlaBackend(databaseId, {
        deny: ['sla.agreement.read'],
      }));
      expect((await list()).status).toBe(403);
    });
  });

  describe('PUT /reviews/{id}', () => {
    const put = (who: string, id: string, body: object) =>
      http.put(`/api/sla/reviews/${id}`).set('Authorization', who).send(body);

    it('holds an opened review later, with its decision', async () => {
      const id = await agreed();
      const opened = await post(alice, {
        agreementId: id,
        kind: 'event',
        status: 'open',
        reason: 'Customer escalation',
      });
      expect(opened.status).toBe(201);
      expect(opened.body).toMatchObject({
        status: 'open',
        trigger: { type: 'on-demand' },
      });
      expect(opened.body.snapshot).toBeUndefined();
      expect(
        (await list(`agreementId=${id}`)).body.schedules[0].openReviews,
      ).toBe(1);

      const held = await put(alice, opened.body.id, {
        version: 1,
        status: 'held',
        period: period(),
        participants: ['user:default/alice'],
        decision: { type: 'amend' },
      });
      expect(held.status).toBe(200);
      expect(held.body).toMatchObject({
        status: 'held',
        version: 2,
        decision: { type: 'amend' },
      });
      expect(held.body.snapshot).toBeDefined();
      expect((await agreement(id)).status).toBe('negotiation');
    });

    it('edits minutes and actions of a held review but not its decision', async () => {
      const id = await agreed();
      const { body: review } = await post(alice, heldReview(id));
      const ok = await put(alice, review.id, {
        version: 1,
        minutes: 'Corrected minutes',
        actions: [{ title: 'Add on-call for P1', done: true }],
      });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({
        version: 2,
        minutes: 'Corrected minutes',
      });
      expect(ok.body.snapshot).toEqual(review.snapshot);
      const frozen = await put(alice, review.id, {
        version: 2,
        decision: { type: 'withdraw' },
      });
      expect(frozen.status).toBe(409);
      expect((await agreement(id)).status).toBe('agreed');
    });

    it('answers 409 for a stale version, 403 for a non-owner, 400 naming the field, 404 for unknown', async () => {
      const id = await agreed();
      const { body: review } = await post(alice, heldReview(id));
      expect(
        (await put(alice, review.id, { version: 1, minutes: 'a' })).status,
      ).toBe(200);
      const stale = await put(alice, review.id, { version: 1, minutes: 'b' });
      expect(stale.status).toBe(409);
      expect(stale.body.error.name).toBe('ConflictError');
      const denied = await put(mallory, review.id, {
        version: 2,
        minutes: 'c',
      });
      expect(denied.status).toBe(403);
      const bad = await put(alice, review.id, {
        version: 2,
        actions: [{ title: '' }],
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('actions[0].title');
      const noVersion = await put(alice, review.id, { minutes: 'd' });
      expect(noVersion.status).toBe(400);
      expect(noVersion.body.error.message).toContain('version');
      expect((await list()).body.items[0]).toMatchObject({
        version: 2,
        minutes: 'a',
      });
      expect((await put(alice, 'nope', { version: 1 })).status).toBe(404);
    });
  });

  describe('openForBreach', () => {
    it('opens one event review per breach, listed as open', async () => {
      const id = await agreed();
      const a = await agreement(id);
      const reviews = new ReviewService({
        reviews: new ReviewStore(backend.knex),
        agreementStore: new AgreementStore(backend.knex),
        agreements: undefined as any,
        attainment: undefined as any,
        satisfaction: undefined as any,
        guard: undefined as any,
        clock: () => new Date(),
      });
      const breach = {
        breachId: 'b-1',
        agreementId: id,
        targetId: a.targets[0].id,
        severity: 'major',
        at: Date.parse('2026-11-01T10:00:00Z'),
      };
      const first = await reviews.openForBreach(breach);
      expect(first).toMatchObject({
        kind: 'event',
        status: 'open',
        reason: 'major breach of Availability',
        trigger: { type: 'breach', breachId: 'b-1', targetId: a.targets[0].id },
        createdAt: '2026-11-01T10:00:00.000Z',
      });
      const again = await reviews.openForBreach({
        ...breach,
        at: breach.at + HOUR,
      });
      expect(again!.id).toBe(first!.id);
      expect(
        await reviews.openForBreach({
          ...breach,
          breachId: 'b-2',
          agreementId: 'nope',
        }),
      ).toBeUndefined();
      const open = await list(`entityRef=${CHECKOUT}&status=open`);
      expect(open.body.items.map((r: any) => r.id)).toEqual([first!.id]);
    });
  });
});
