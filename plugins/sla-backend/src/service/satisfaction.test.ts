import { mockCredentials } from '@backstage/backend-test-utils';
import {
  alice,
  bob,
  databases,
  mallory,
  service,
  startSlaBackend,
} from '../__testUtils__/testBackend';

jest.setTimeout(180_000);

const CHECKOUT = 'component:default/checkout';
const user = (name: string) =>
  mockCredentials.user.header(`user:default/${name}`);

/** A CSAT answer from `name`. */
const csat = (score: number, extra: Record<string, unknown> = {}) => ({
  entityRef: CHECKOUT,
  kind: 'impromptu',
  score,
  ...extra,
});

/** Bodies that must be refused with 400 naming `field`, storing nothing. */
const invalidFeedback: Array<[string, Record<string, unknown>, string]> = [
  ['missing kind', { entityRef: CHECKOUT, score: 4 }, 'kind'],
  ['unknown kind', csat(4, { kind: 'rant' }), 'kind'],
  ['CSAT score above 5', csat(6), 'score'],
  ['CSAT score 0', csat(0), 'score'],
  ['NPS score above 10', csat(11, { scale: 'nps' }), 'score'],
  ['score not a whole number', csat(3.5), 'score'],
  ['score a string', csat('4' as any), 'score'],
  ['unknown scale', csat(4, { scale: 'stars' }), 'scale'],
  ['missing entityRef', { kind: 'impromptu', score: 4 }, 'entityRef'],
  [
    'unknown entity',
    csat(4, { entityRef: 'component:default/nope' }),
    'entityRef',
  ],
  [
    'complaint without a comment',
    { entityRef: CHECKOUT, kind: 'complaint' },
    'comment',
  ],
  ['survey without a score', { entityRef: CHECKOUT, kind: 'survey' }, 'score'],
  ['targetId without agreementId', csat(4, { targetId: 'x' }), 'agreementId'],
  ['unknown agreement', csat(4, { agreementId: 'nope' }), 'agreementId'],
  ['anonymous not a boolean', csat(4, { anonymous: 'yes' }), 'anonymous'],
  [
    'unknown campaign',
    {
      entityRef: CHECKOUT,
      kind: 'survey',
      campaignId: 'nope',
      answers: [{ questionId: 'q1', score: 4 }],
    },
    'campaignId',
  ],
];

describe.each(databases.eachSupportedId())('satisfaction on %p', databaseId => {
  let http: Awaited<ReturnType<typeof startSlaBackend>>['http'];

  beforeEach(async () => {
    ({ http } = await startSlaBackend(databaseId));
  });

  const give = (who: string, body: object) =>
    http.post('/api/sla/feedback').set('Authorization', who).send(body);
  const satisfaction = (query = '') =>
    http
      .get(`/api/sla/satisfaction?entityRef=${CHECKOUT}${query}`)
      .set('Authorization', bob);
  const feedbackCount = async () =>
    (
      await http
        .get(`/api/sla/feedback?entityRef=${CHECKOUT}`)
        .set('Authorization', bob)
    ).body.items.length;

  async function openCampaign(overrides: Record<string, unknown> = {}) {
    const res = await http
      .post('/api/sla/campaigns')
      .set('Authorization', alice)
      .send({
        entityRef: CHECKOUT,
        title: 'Checkout survey Q4',
        questions: [
          { text: 'How satisfied are you with checkout?', scale: 'csat' },
          { id: 'recommend', text: 'Would you recommend it?', scale: 'nps' },
        ],
        end: new Date(Date.now() + 86_400_000).toISOString(),
        ...overrides,
      });
    expect(res.status).toBe(201);
    return res.body;
  }

  describe('without credentials', () => {
    it.each([
      ['post', '/api/sla/feedback'],
      ['get', `/api/sla/feedback?entityRef=${CHECKOUT}`],
      ['get', `/api/sla/satisfaction?entityRef=${CHECKOUT}`],
      ['get', `/api/sla/watermelon?entityRef=${CHECKOUT}`],
      ['post', '/api/sla/campaigns'],
      ['get', `/api/sla/campaigns?entityRef=${CHECKOUT}`],
      ['post', '/api/sla/campaigns/x/close'],
      ['post', '/api/sla/feedback/x/responses'],
    ])('%s %s answers 401', async (method, path) => {
      const res = await (http as any)[method](path).send({});
      expect(res.status).toBe(401);
    });
  });

  describe('POST /feedback', () => {
    it('takes feedback from any signed-in user, owner or not', async () => {
      const res = await give(mallory, csat(2, { comment: 'Slow on Fridays' }));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        entityRef: CHECKOUT,
        kind: 'impromptu',
        score: 2,
        scale: 'csat',
        comment: 'Slow on Fridays',
        givenBy: 'user:default/mallory',
        version: 1,
      });
      expect(res.body.id).toEqual(expect.any(String));
      expect(await feedbackCount()).toBe(1);
    });

    it('opens complaints', async () => {
      const res = await give(bob, {
        entityRef: CHECKOUT,
        kind: 'complaint',
        comment: 'Payment failed twice',
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ state: 'open', responses: [] });
    });

    it('refuses service credentials: satisfaction is a person’s', async () => {
      const res = await give(service, csat(5));
      expect(res.status).toBe(403);
      expect(await feedbackCount()).toBe(0);
    });

    it('answers 403 when the policy denies feedback', async () => {
      ({ http } = await startSlaBackend(databaseId, {
        deny: ['sla.feedback.create'],
      }));
      const res = await give(bob, csat(5));
      expect(res.status).toBe(403);
      expect(await feedbackCount()).toBe(0);
    });

    it.each(invalidFeedback)(
      'answers 400 for %s and stores nothing',
      async (_name, body, field) => {
        const res = await give(bob, body);
        expect(res.status).toBe(400);
        expect(res.body.error.name).toBe('InputError');
        expect(res.body.error.message).toContain(field);
        expect(await feedbackCount()).toBe(0);
      },
    );

    it('hides the name of anonymous feedback from readers', async () => {
      const res = await give(bob, csat(1, { anonymous: true }));
      expect(res.status).toBe(201);
      expect(res.body.givenBy).toBeUndefined();
      const list = await http
        .get(`/api/sla/feedback?entityRef=${CHECKOUT}`)
        .set('Authorization', alice);
      expect(list.body.items).toHaveLength(1);
      expect(list.body.items[0].givenBy).toBeUndefined();
      expect(list.body.items[0].anonymous).toBe(true);
    });
  });

  describe('GET /satisfaction', () => {
    it('computes CSAT, mean, NPS, counts and the latest items', async () => {
      // CSAT: 5, 4, 3, 2 from four users → 2 of 4 satisfied = 50 %, mean 3.5;
      // u1 answers twice outside campaigns: only the latest (4) counts.
      for (const [who, score] of [
        ['u1', 1],
        ['u1', 5],
        ['u2', 4],
        ['u3', 3],
        ['u4', 2],
      ] as const) {
        expect((await give(user(who), csat(score))).status).toBe(201);
      }
      // NPS: 10 (promoter), 6 (detractor) → 0
      await give(user('n1'), csat(10, { scale: 'nps' }));
      await give(user('n2'), csat(6, { scale: 'nps' }));
      await give(user('c1'), {
        entityRef: CHECKOUT,
        kind: 'complaint',
        comment: 'Too slow',
      });
      await give(user('c2'), {
        entityRef: CHECKOUT,
        kind: 'compliment',
        comment: 'Love it',
        score: 5,
      });
      const res = await satisfaction();
      expect(res.status).toBe(200);
      // c2's compliment scored 5 too: CSAT 3 of 5 = 60 %, mean (5+4+3+2+5)/5 = 3.8
      expect(res.body).toMatchObject({
        entityRef: CHECKOUT,
        csat: 60,
        meanScore: 3.8,
        nps: 0,
        responses: 7,
        csatResponses: 5,
        npsResponses: 2,
        distribution: {
          csat: [0, 1, 1, 1, 2],
          nps: [0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1],
        },
        complaints: { total: 1, open: 1, acknowledged: 0, resolved: 0 },
        compliments: 1,
      });
      expect(res.body.latest).toHaveLength(9);
      // P30D in weeks: 5 periods, the newest holds everything
      expect(res.body.trend).toHaveLength(5);
      expect(res.body.trend[4]).toMatchObject({ responses: 7, csat: 60 });
    });

    it('reproduces a past figure with at', async () => {
      await give(bob, csat(5));
      const res = await satisfaction('&at=2020-01-01T00:00:00Z');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ responses: 0, csat: null, latest: [] });
    });

    it.each([
      ['window', '&window=30 days', 'window'],
      ['window', '&window=P5Y', 'window'],
      ['at', '&at=yesterday', 'at'],
    ])('answers 400 for a bad %s', async (_n, query, field) => {
      const res = await satisfaction(query);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(field);
    });

    it('answers 400 for an entity that is not in the catalog', async () => {
      const res = await http
        .get('/api/sla/satisfaction?entityRef=component:default/nope')
        .set('Authorization', bob);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('entityRef');
    });
  });

  describe('survey campaigns', () => {
    it('lets owners open a campaign, and not others', async () => {
      const campaign = await openCampaign();
      expect(campaign).toMatchObject({
        status: 'open',
        version: 1,
        createdBy: 'user:default/alice',
        questions: [
          { id: 'q1', scale: 'csat' },
          { id: 'recommend', scale: 'nps' },
        ],
      });
      const res = await http
        .post('/api/sla/campaigns')
        .set('Authorization', mallory)
        .send({ ...campaign, id: undefined });
      expect(res.status).toBe(403);
      const list = await http
        .get(`/api/sla/campaigns?entityRef=${CHECKOUT}`)
        .set('Authorization', mallory);
      expect(list.body.items).toHaveLength(1);
    });

    it.each([
      ['no questions', { questions: [] }, 'questions'],
      [
        'a question without scale',
        { questions: [{ text: 'Hm?' }] },
        'questions[0].scale',
      ],
      ['an end in the past', { end: '2020-01-01T00:00:00Z' }, 'end'],
      ['an empty title', { title: ' ' }, 'title'],
    ])(
      'answers 400 for %s and stores nothing',
      async (_n, overrides, field) => {
        const res = await http
          .post('/api/sla/campaigns')
          .set('Authorization', alice)
          .send({
            entityRef: CHECKOUT,
            title: 'Survey',
            questions: [{ text: 'How was it?', scale: 'csat' }],
            end: new Date(Date.now() + 86_400_000).toISOString(),
            ...overrides,
          });
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain(field);
        const list = await http
          .get(`/api/sla/campaigns?entityRef=${CHECKOUT}`)
          .set('Authorization', alice);
        expect(list.body.items).toHaveLength(0);
      },
    );

    it('takes one answer per user: answering again replaces it', async () => {
      const { id } = await openCampaign();
      const answer = (score: number, anonymous = false) =>
        give(bob, {
          entityRef: CHECKOUT,
          kind: 'survey',
          campaignId: id,
          anonymous,
          answers: [
            { questionId: 'q1', score },
            { questionId: 'recommend', score: 9 },
          ],
        });
      const first = await answer(2);
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ score: 2, scale: 'csat', version: 1 });
      const second = await answer(5, true);
      expect(second.status).toBe(201);
      expect(second.body).toMatchObject({
        id: first.body.id,
        score: 5,
        version: 2,
      });
      expect(second.body.givenBy).toBeUndefined();
      const res = await satisfaction();
      expect(res.body).toMatchObject({ responses: 1, csat: 100, meanScore: 5 });
      expect(res.body.latest[0].givenBy).toBeUndefined();
    });

    it('keeps one answer when the same user answers twice at once', async () => {
      const { id } = await openCampaign();
      const answer = (score: number) =>
        give(bob, {
          entityRef: CHECKOUT,
          kind: 'survey',
          campaignId: id,
          answers: [{ questionId: 'q1', score }],
        });
      const results = await Promise.all([answer(1), answer(5), answer(3)]);
      expect(results.map(r => r.status)).toEqual([201, 201, 201]);
      expect(await feedbackCount()).toBe(1);
      expect((await satisfaction()).body.responses).toBe(1);
    });

    it('answers 404 for closing an unknown campaign', async () => {
      const res = await http
        .post('/api/sla/campaigns/nope/close')
        .set('Authorization', alice)
        .send({ version: 1 });
      expect(res.status).toBe(404);
    });

    it('checks answers against the campaign questions', async () => {
      const { id } = await openCampaign();
      const res = await give(bob, {
        entityRef: CHECKOUT,
        kind: 'survey',
        campaignId: id,
        answers: [
          { questionId: 'q1', score: 4 },
          { questionId: 'recommend', score: 11 },
        ],
      });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('answers[1].score');
      const missing = await give(bob, {
        entityRef: CHECKOUT,
        kind: 'survey',
        campaignId: id,
        answers: [{ questionId: 'recommend', score: 8 }],
      });
      expect(missing.status).toBe(400);
      expect(missing.body.error.message).toContain('answers');
      expect(await feedbackCount()).toBe(0);
    });

    it('closes a campaign (owners, current version) and then refuses answers', async () => {
      const campaign = await openCampaign();
      const close = (who: string, version: number) =>
        http
          .post(`/api/sla/campaigns/${campaign.id}/close`)
          .set('Authorization', who)
          .send({ version });
      expect((await close(mallory, 1)).status).toBe(403);
      expect((await close(alice, 7)).status).toBe(409);
      const closed = await close(alice, 1);
      expect(closed.status).toBe(200);
      expect(closed.body).toMatchObject({ status: 'closed', version: 2 });
      expect((await close(alice, 2)).status).toBe(409);
      const late = await give(bob, {
        entityRef: CHECKOUT,
        kind: 'survey',
        campaignId: campaign.id,
        answers: [{ questionId: 'q1', score: 4 }],
      });
      expect(late.status).toBe(409);
      expect(await feedbackCount()).toBe(0);
    });
  });

  describe('POST /feedback/{id}/responses', () => {
    async function complaint() {
      const res = await give(bob, {
        entityRef: CHECKOUT,
        kind: 'complaint',
        comment: 'Checkout timed out',
      });
      return res.body;
    }
    const respond = (id: string, who: string, body: object) =>
      http
        .post(`/api/sla/feedback/${id}/responses`)
        .set('Authorization', who)
        .send(body);

    it('tracks a complaint to resolution with the owners’ responses', async () => {
      const { id } = await complaint();
      const ack = await respond(id, alice, {
        message: 'Looking into it',
        state: 'acknowledged',
        version: 1,
      });
      expect(ack.status).toBe(200);
      expect(ack.body).toMatchObject({ state: 'acknowledged', version: 2 });
      const done = await respond(id, alice, {
        message: 'Fixed the timeout',
        state: 'resolved',
        version: 2,
      });
      expect(done.body).toMatchObject({
        state: 'resolved',
        version: 3,
        responses: [
          {
            by: 'user:default/alice',
            message: 'Looking into it',
            state: 'acknowledged',
          },
          {
            by: 'user:default/alice',
            message: 'Fixed the timeout',
            state: 'resolved',
          },
        ],
      });
      const again = await respond(id, alice, { message: 'Hm', version: 3 });
      expect(again.status).toBe(409);
      const res = await satisfaction();
      expect(res.body.complaints).toEqual({
        total: 1,
        open: 0,
        acknowledged: 0,
        resolved: 1,
      });
    });

    it('refuses non-owners with 403 and changes nothing', async () => {
      const { id } = await complaint();
      const res = await respond(id, mallory, {
        message: 'Not mine',
        state: 'resolved',
        version: 1,
      });
      expect(res.status).toBe(403);
      const list = await http
        .get(`/api/sla/feedback?entityRef=${CHECKOUT}&kind=complaint`)
        .set('Authorization', alice);
      expect(list.body.items[0]).toMatchObject({
        state: 'open',
        version: 1,
        responses: [],
      });
    });

    it.each([
      ['no message', { state: 'acknowledged', version: 1 }, 'message'],
      [
        'an unknown state',
        { message: 'x', state: 'closed', version: 1 },
        'state',
      ],
      ['no version', { message: 'x' }, 'version'],
    ])('answers 400 for %s and changes nothing', async (_n, body, field) => {
      const { id } = await complaint();
      const res = await respond(id, alice, body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(field);
      const list = await http
        .get(`/api/sla/feedback?entityRef=${CHECKOUT}`)
        .set('Authorization', alice);
      expect(list.body.items[0]).toMatchObject({ version: 1, state: 'open' });
    });

    it('answers 409 for a stale version and for moving back', async () => {
      const { id } = await complaint();
      await respond(id, alice, {
        message: 'On it',
        state: 'acknowledged',
        version: 1,
      });
      expect(
        (await respond(id, alice, { message: 'late', version: 1 })).status,
      ).toBe(409);
      const back = await respond(id, alice, {
        message: 'x',
        state: 'open',
        version: 2,
      });
      expect(back.status).toBe(409);
      expect(back.body.error.message).toContain('acknowledged to open');
    });

    it('lets only one of two concurrent responses to the same version win', async () => {
      const { id } = await complaint();
      const results = await Promise.all([
        respond(id, alice, { message: 'A', state: 'acknowledged', version: 1 }),
        respond(id, alice, { message: 'B', state: 'resolved', version: 1 }),
      ]);
      expect(results.map(r => r.status).sort()).toEqual([200, 409]);
      const list = await http
        .get(`/api/sla/feedback?entityRef=${CHECKOUT}`)
        .set('Authorization', alice);
      expect(list.body.items[0].version).toBe(2);
      expect(list.body.items[0].responses).toHaveLength(1);
    });

    it('answers 409 for feedback that is not a complaint, 404 for none', async () => {
      const res = await give(bob, csat(4));
      expect(
        (await respond(res.body.id, alice, { message: 'Thanks', version: 1 }))
          .status,
      ).toBe(409);
      expect(
        (await respond('nope', alice, { message: 'x', version: 1 })).status,
      ).toBe(404);
    });
  });

  describe('XLA targets and the watermelon', () => {
    const MINUTE = 60_000;

    async function agree(targets: object[]) {
      const created = await http
        .post('/api/sla/agreements')
        .set('Authorization', alice)
        .send({
          kind: 'SLA',
          entityRef: CHECKOUT,
          title: 'Checkout SLA',
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
      // Availability green: 1000 of 1000 good a minute ago
      const ingest = await http
        .post('/api/sla/measurements')
        .set('Authorization', service)
        .send({
          items: [
            {
              entityRef: CHECKOUT,
              metric: 'requests',
              timestamp: new Date(Date.now() - MINUTE).toISOString(),
              good: 1000,
              total: 1000,
            },
          ],
        });
      expect(ingest.status).toBe(200);
      return created.body;
    }

    const availability = {
      id: 'availability',
      name: 'Availability',
      aspect: 'availability',
      metric: 'requests',
      sli: { kind: 'ratio' },
      objective: 99,
      window: { type: 'rolling', duration: 'P1D' },
    };
    const xla = {
      id: 'csat',
      name: 'CSAT ≥ 80 %',
      aspect: 'experience',
      metric: 'csat',
      sli: { kind: 'ratio' },
      objective: 80,
      window: { type: 'calendar', unit: 'month', timeZone: 'UTC' },
    };

    it('evaluates an XLA target from feedback with the other targets', async () => {
      const agreement = await agree([availability, xla]);
      // 5 users: 5, 4, 4, 2, 1 → 3 of 5 satisfied = 60 % < 80 % → breached
      for (const [i, score] of [5, 4, 4, 2, 1].entries()) {
        await give(user(`x${i}`), csat(score));
      }
      const res = await http
        .get(`/api/sla/attainment?entityRef=${CHECKOUT}`)
        .set('Authorization', bob);
      expect(res.status).toBe(200);
      const byId = Object.fromEntries(
        res.body.items.map((t: any) => [t.targetId, t]),
      );
      expect(byId.availability).toMatchObject({
        status: 'met',
        attainment: 100,
      });
      // allowed bad = (1 − 0.8) × 5 = 1, consumed 2 → remaining 1 − 2/1 = −1
      expect(byId.csat).toMatchObject({
        agreementId: agreement.id,
        attainment: 60,
        objective: 80,
        status: 'breached',
        counted: 5,
        errorBudget: { allowed: 1, consumed: 2, remaining: -1 },
        alerts: [],
      });
      expect(byId.csat.burnRates['1h']).toBeNull();

      const melon = await http
        .get(`/api/sla/watermelon?entityRef=${CHECKOUT}`)
        .set('Authorization', bob);
      expect(melon.status).toBe(200);
      expect(melon.body).toMatchObject({
        watermelon: true,
        green: [{ targetId: 'availability', status: 'met' }],
        red: [{ source: 'xla', targetId: 'csat', value: 60, objective: 80 }],
      });
      expect((await satisfaction()).body.watermelon.watermelon).toBe(true);
    });

    it('opens the XLA breach as soon as the feedback that breaks it arrives', async () => {
      await agree([availability, xla]);
      const breaches = async () =>
        (
          await http
            .get(`/api/sla/breaches?entityRef=${CHECKOUT}`)
            .set('Authorization', bob)
        ).body.items;
      await give(user('x0'), csat(5));
      expect(await breaches()).toEqual([]);
      // 1 of 2 satisfied: 50 % < 80 %
      await give(user('x1'), csat(1));
      expect(await breaches()).toMatchObject([
        { targetId: 'csat', closedAt: null, cause: 'own' },
      ]);
    });

    it('refuses an XLA on feedback that is not a ratio', async () => {
      const res = await http
        .post('/api/sla/agreements')
        .set('Authorization', alice)
        .send({
          kind: 'SLA',
          entityRef: CHECKOUT,
          title: 'Checkout SLA',
          targets: [
            {
              ...xla,
              sli: { kind: 'threshold', operator: 'gte', threshold: 4 },
            },
          ],
        });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('targets[0].sli.kind');
    });

    it('without an XLA, needs 5 answers and CSAT below 60 %', async () => {
      await agree([availability]);
      // 4 unhappy answers: CSAT 0 % but too few
      for (const i of [1, 2, 3, 4]) await give(user(`w${i}`), csat(1));
      let res = await satisfaction();
      expect(res.body.watermelon).toMatchObject({ watermelon: false });
      expect(res.body.watermelon.reason).toContain('only 4 CSAT answer');
      // the 5th: 1 of 5 satisfied = 20 % < 60 % → watermelon
      await give(user('w5'), csat(5));
      res = await satisfaction();
      expect(res.body.watermelon).toMatchObject({
        watermelon: true,
        red: [{ source: 'csat', value: 20, objective: 60, responses: 5 }],
      });
    });
  });
});
