import {
  alice,
  bob,
  carol,
  databases,
  mallory,
  sentNotifications,
  startSlaBackend,
  validAgreement,
} from '../__testUtils__/testBackend';

import { mockServices } from '@backstage/backend-test-utils';
import { AgreementStore } from '../store/AgreementStore';
import { BreachStore } from '../store/BreachStore';
import { ExpiryStore } from '../store/ExpiryStore';
import { TargetStateStore } from '../store/TargetStateStore';
import { AgreementService } from './AgreementService';
import { BreachService } from './BreachService';
import { ExpiryService } from './ExpiryService';
import { SlaNotifier } from './SlaNotifier';

jest.setTimeout(120_000);

const CUSTOMER = 'group:default/team-other';

describe.each(databases.eachSupportedId())('negotiation on %p', databaseId => {
  let backend: Awaited<ReturnType<typeof startSlaBackend>>;
  let http: typeof backend.http;

  beforeAll(async () => {
    backend = await startSlaBackend(databaseId);
    http = backend.http;
  });

  const get = async (id: string) =>
    (await http.get(`/api/sla/agreements/${id}`).set('Authorization', bob))
      .body;
  const history = async (id: string) =>
    (
      await http
        .get(`/api/sla/agreements/${id}/history`)
        .set('Authorization', bob)
    ).body.items;
  const sign = (id: string, who: string, body: object) =>
    http
      .post(`/api/sla/agreements/${id}/signatures`)
      .set('Authorization', who)
      .send(body);
  const move = (id: string, who: string, body: object) =>
    http
      .post(`/api/sla/agreements/${id}/transitions`)
      .set('Authorization', who)
      .send(body);
  const signatureRows = async (id: string) =>
    backend.knex('sla_agreement_signatures').where('agreement_id', id);

  /** An SLA of checkout (team-checkout) for team-other, proposed. */
  async function proposed(overrides: Record<string, unknown> = {}) {
    const created = await http
      .post('/api/sla/agreements')
      .set('Authorization', alice)
      .send(
        validAgreement({ customer: CUSTOMER, status: 'draft', ...overrides }),
      );
    expect(created.status).toBe(201);
    const res = await move(created.body.id, alice, { to: 'negotiation' });
    expect(res.status).toBe(200);
    return res.body as { id: string; version: number; termsVersion: number };
  }

  describe('without credentials', () => {
    it.each([
      ['get', '/api/sla/agreements/x/negotiation'],
      ['post', '/api/sla/agreements/x/signatures'],
      ['get', '/api/sla/agreements/x/comments'],
      ['post', '/api/sla/agreements/x/comments'],
      ['post', '/api/sla/agreements/x/change-requests'],
    ])('%s %s answers 401', async (method, path) => {
      const res = await (http as any)[method](path).send({
        party: 'customer',
        version: 1,
        text: 'x',
      });
      expect(res.status).toBe(401);
    });
  });

  it('tells the customer its signature is awaited when proposed', async () => {
    sentNotifications.length = 0;
    const a = await proposed();
    const sent = sentNotifications.find(n =>
      n.payload.title.includes('your signature is awaited'),
    );
    expect(sent?.recipients).toEqual({
      type: 'entity',
      entityRef: [CUSTOMER],
    });
    const view = await http
      .get(`/api/sla/agreements/${a.id}/negotiation`)
      .set('Authorization', mallory);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({
      open: true,
      awaiting: ['provider', 'customer'],
      parties: [
        {
          party: 'provider',
          entityRef: 'group:default/team-checkout',
          mustSign: true,
          callerMaySign: false,
        },
        {
          party: 'customer',
          entityRef: CUSTOMER,
          mustSign: true,
          signers: ['user:default/carol', 'user:default/mallory'],
          callerMaySign: true,
        },
      ],
    });
  });

  it.each([
    ['provider first', [alice, 'provider'], [mallory, 'customer']],
    ['customer first', [mallory, 'customer'], [alice, 'provider']],
  ] as const)(
    'is agreed when both parties signed the same version (%s)',
    async (_, [firstWho, firstParty], [secondWho, secondParty]) => {
      const a = await proposed();
      sentNotifications.length = 0;
      const first = await sign(a.id, firstWho, {
        party: firstParty,
        version: a.version,
      });
      expect(first.status).toBe(200);
      expect(first.body.status).toBe('negotiation');
      expect(first.body.signatures).toHaveLength(1);
      // the other party hears that its signature is awaited
      expect(sentNotifications.map(n => n.payload.title)).toEqual([
        'Checkout SLA: your signature is awaited',
      ]);
      const second = await sign(a.id, secondWho, {
        party: secondParty,
        version: first.body.version,
      });
      expect(second.status).toBe(200);
      expect(second.body).toMatchObject({
        status: 'agreed',
        version: a.version + 2,
        termsVersion: a.termsVersion,
      });
      expect(second.body.signatures.map((s: any) => s.party).sort()).toEqual(
        ['customer', 'provider'],
      );
      expect(sentNotifications.map(n => n.payload.title)).toContain(
        'Checkout SLA is agreed',
      );
      // the history names who signed for which party, which version, when
      const [agreedEntry, signedEntry] = await history(a.id);
      expect(signedEntry.change).toMatchObject({
        type: 'signed',
        signature: { party: firstParty, version: a.termsVersion },
      });
      expect(agreedEntry).toMatchObject({
        status: 'agreed',
        change: {
          type: 'transition',
          to: 'agreed',
          signature: { party: secondParty, version: a.termsVersion },
        },
      });
      expect(agreedEntry.change.summary).toMatch(
        new RegExp(`^Signed for the ${secondParty} by user:default/`),
      );
      const rows = await signatureRows(a.id);
      expect(rows).toHaveLength(2);
      expect(rows.filter(r => Boolean(Number(r.completed)))).toHaveLength(1);
    },
  );

  it('refuses /transitions to agreed while the customer has not signed (409, nothing changed)', async () => {
    const a = await proposed();
    const res = await move(a.id, alice, { to: 'agreed' });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(
      /awaiting the provider's and the customer's signature/,
    );
    const signed = await sign(a.id, alice, {
      party: 'provider',
      version: a.version,
    });
    const again = await move(a.id, alice, { to: 'agreed' });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(
      /awaiting the customer's signature/,
    );
    expect((await get(a.id)).version).toBe(signed.body.version);
  });

  it("counts /transitions to agreed as the caller's signature when it completes both", async () => {
    const a = await proposed();
    await sign(a.id, mallory, { party: 'customer', version: a.version });
    const res = await move(a.id, alice, { to: 'agreed' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('agreed');
    expect(
      res.body.signatures.find((s: any) => s.party === 'provider').signedBy,
    ).toBe('user:default/alice');
  });

  it('agrees as before when the customer is no party or the provider itself', async () => {
    for (const customer of [
      undefined,
      'All web shop customers',
      'group:default/team-checkout',
    ]) {
      const a = await proposed({ customer });
      const res = await move(a.id, alice, { to: 'agreed' });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('agreed');
    }
  });

  it('voids the signatures when the terms change, recorded in the history', async () => {
    const a = await proposed();
    const signed = await sign(a.id, alice, {
      party: 'provider',
      version: a.version,
    });
    const current = await get(a.id);
    const put = await http
      .put(`/api/sla/agreements/${a.id}`)
      .set('Authorization', alice)
      .send({
        ...validAgreement({ customer: CUSTOMER, title: 'Checkout SLA v2' }),
        version: current.version,
      });
    expect(put.status).toBe(200);
    expect(put.body.signatures).toBeUndefined();
    expect(put.body.termsVersion).toBe(put.body.version);
    const [entry] = await history(a.id);
    expect(entry.change.voidedSignatures).toEqual(signed.body.signatures);
    expect(entry.change.summary).toMatch(/signatures voided/);

    // a signature on the terms read before the change is stale
    const stale = await sign(a.id, mallory, {
      party: 'customer',
      version: signed.body.version,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toMatch(/is stale/);
    expect((await get(a.id)).version).toBe(put.body.version);

    // the customer's signature on the new terms does not agree it alone
    const customer = await sign(a.id, mallory, {
      party: 'customer',
      version: put.body.version,
    });
    expect(customer.status).toBe(200);
    expect(customer.body.status).toBe('negotiation');
  });

  it('refuses a non-member of the customer group (403), changing nothing', async () => {
    const a = await proposed();
    for (const [who, party] of [
      [bob, 'customer'],
      [alice, 'customer'],
      [mallory, 'provider'],
    ]) {
      const res = await sign(a.id, who, { party, version: a.version });
      expect(res.status).toBe(403);
    }
    expect((await get(a.id)).version).toBe(a.version);
    expect(await signatureRows(a.id)).toHaveLength(0);
  });

  it('stores one signature when two people sign for the same party at once', async () => {
    const a = await proposed();
    const results = await Promise.all([
      sign(a.id, mallory, { party: 'customer', version: a.version }),
      sign(a.id, carol, { party: 'customer', version: a.version }),
      sign(a.id, mallory, { party: 'customer', version: a.version }),
    ]);
    expect(results.map(r => r.status)).toEqual([200, 200, 200]);
    expect(await signatureRows(a.id)).toHaveLength(1);
    const now = await get(a.id);
    expect(now.version).toBe(a.version + 1);
    expect(now.signatures).toHaveLength(1);
    expect(
      (await history(a.id)).filter((h: any) => h.change.type === 'signed'),
    ).toHaveLength(1);
  });

  it('agrees once when both parties sign at once', async () => {
    const a = await proposed();
    const [p, c] = await Promise.all([
      sign(a.id, alice, { party: 'provider', version: a.version }),
      sign(a.id, mallory, { party: 'customer', version: a.version }),
    ]);
    expect([p.status, c.status]).toEqual([200, 200]);
    const now = await get(a.id);
    expect(now.status).toBe('agreed');
    expect(now.version).toBe(a.version + 2);
  });

  it('answers 400 naming the field, changing nothing', async () => {
    const a = await proposed();
    const cases: Array<[string, object, RegExp]> = [
      ['signatures', { version: a.version }, /party/],
      ['signatures', { party: 'buyer', version: a.version }, /party/],
      ['signatures', { party: 'customer' }, /version/],
      ['signatures', { party: 'customer', version: 'one' }, /version/],
      ['comments', {}, /text/],
      ['comments', { text: '   ' }, /text/],
      ['comments', { text: 'x', party: 'buyer' }, /party/],
      ['change-requests', { text: '' }, /text/],
      ['change-requests', { text: 'x'.repeat(4001) }, /text/],
    ];
    for (const [route, body, field] of cases) {
      const res = await http
        .post(`/api/sla/agreements/${a.id}/${route}`)
        .set('Authorization', mallory)
        .send(body);
      expect([route, res.status]).toEqual([route, 400]);
      expect(res.body.error.message).toMatch(field);
    }
    const bad = await http
      .get(`/api/sla/agreements/${a.id}/comments?limit=0`)
      .set('Authorization', bob);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/limit/);
    expect((await get(a.id)).version).toBe(a.version);
    expect(
      await backend.knex('sla_agreement_comments').where('agreement_id', a.id),
    ).toHaveLength(0);
  });

  it('records comments of either party, open until the terms change, paged', async () => {
    const a = await proposed();
    sentNotifications.length = 0;
    const c1 = await http
      .post(`/api/sla/agreements/${a.id}/comments`)
      .set('Authorization', mallory)
      .send({ text: 'Can P1 be 30 minutes?' });
    expect(c1.status).toBe(201);
    expect(c1.body).toMatchObject({
      party: 'customer',
      author: 'user:default/mallory',
      kind: 'comment',
      open: true,
    });
    // the other party hears of each comment
    expect(sentNotifications.at(-1)).toMatchObject({
      recipients: { type: 'entity', entityRef: ['group:default/team-checkout'] },
      payload: {
        title: 'Checkout SLA: new comment from the customer',
        description: expect.stringContaining(
          'user:default/mallory commented on SLA on component:default/checkout: Can P1 be 30 minutes?',
        ),
        scope: `sla:${a.id}:negotiation:commented`,
      },
    });
    const c2 = await http
      .post(`/api/sla/agreements/${a.id}/comments`)
      .set('Authorization', alice)
      .send({ text: 'Only in business hours.' });
    expect(c2.body.party).toBe('provider');
    expect(sentNotifications.at(-1)).toMatchObject({
      recipients: { type: 'entity', entityRef: [CUSTOMER] },
      payload: { title: 'Checkout SLA: new comment from the provider' },
    });
    const refused = await http
      .post(`/api/sla/agreements/${a.id}/comments`)
      .set('Authorization', bob)
      .send({ text: 'Me too' });
    expect(refused.status).toBe(403);

    const page1 = await http
      .get(`/api/sla/agreements/${a.id}/comments?limit=1`)
      .set('Authorization', bob);
    expect(page1.body.items).toHaveLength(1);
    expect(page1.body.nextCursor).toBeDefined();
    const page2 = await http
      .get(
        `/api/sla/agreements/${a.id}/comments?limit=1&cursor=${page1.body.nextCursor}`,
      )
      .set('Authorization', bob);
    expect(page2.body.items).toHaveLength(1);
    expect(page2.body.nextCursor).toBeUndefined();
    expect(
      [page1.body.items[0].id, page2.body.items[0].id].sort(),
    ).toEqual([c1.body.id, c2.body.id].sort());

    const view = await http
      .get(`/api/sla/agreements/${a.id}/negotiation`)
      .set('Authorization', bob);
    expect(view.body.openComments).toHaveLength(2);
    expect(view.body.parties.every((p: any) => !p.callerMaySign)).toBe(true);
  });

  it('sends a proposal back to draft on a change request, telling the provider', async () => {
    const a = await proposed();
    sentNotifications.length = 0;
    const res = await http
      .post(`/api/sla/agreements/${a.id}/change-requests`)
      .set('Authorization', mallory)
      .send({ text: 'We need 99.95 % availability.' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('draft');
    const [entry] = await history(a.id);
    expect(entry.change).toMatchObject({
      type: 'changes-requested',
      comment: 'We need 99.95 % availability.',
    });
    expect(sentNotifications).toHaveLength(1);
    expect(sentNotifications[0].recipients).toEqual({
      type: 'entity',
      entityRef: ['group:default/team-checkout'],
    });
    const comments = await http
      .get(`/api/sla/agreements/${a.id}/comments?open=true`)
      .set('Authorization', bob);
    expect(comments.body.items[0]).toMatchObject({
      kind: 'change-request',
      party: 'customer',
    });
    // only a proposal takes change requests
    const again = await http
      .post(`/api/sla/agreements/${a.id}/change-requests`)
      .set('Authorization', mallory)
      .send({ text: 'And more.' });
    expect(again.status).toBe(409);
    const refused = await http
      .post(`/api/sla/agreements/${(await proposed()).id}/change-requests`)
      .set('Authorization', bob)
      .send({ text: 'Not mine.' });
    expect(refused.status).toBe(403);
  });

  it('tells no one of a comment where the provider agrees alone', async () => {
    const a = await proposed({ customer: 'All web shop customers' });
    sentNotifications.length = 0;
    const res = await http
      .post(`/api/sla/agreements/${a.id}/comments`)
      .set('Authorization', alice)
      .send({ text: 'Note to self.' });
    expect(res.status).toBe(201);
    expect(sentNotifications).toEqual([]);
  });

  /** Proposed and signed by both parties: agreed, in force. */
  async function agreedByBoth(overrides: Record<string, unknown> = {}) {
    const a = await proposed(overrides);
    await sign(a.id, alice, { party: 'provider', version: a.version });
    const agreed = await sign(a.id, mallory, {
      party: 'customer',
      version: a.version,
    });
    expect(agreed.body.status).toBe('agreed');
    return agreed.body as {
      id: string;
      version: number;
      validUntil: string;
      agreedAt: string;
      nextReviewDue: string;
    };
  }
  const holdReview = (agreementId: string, decision: object) =>
    http
      .post('/api/sla/reviews')
      .set('Authorization', alice)
      .send({
        agreementId,
        period: {
          start: new Date(Date.now() - 86_400_000).toISOString(),
          end: new Date().toISOString(),
        },
        participants: ['user:default/alice'],
        minutes: 'Fine.',
        decision,
      });

  it('starts a round of signatures when a review prolongs without a new date; agreed when both sign', async () => {
    const a = await agreedByBoth();
    sentNotifications.length = 0;
    const res = await holdReview(a.id, {
      type: 'prolong',
      comment: 'Another term as it is',
    });
    expect([res.status, res.body.error?.message]).toEqual([201, undefined]);
    // the review says the decision awaits both signatures
    expect(res.body.decision).toEqual({
      type: 'prolong',
      comment: 'Another term as it is',
      transitions: ['under-review'],
      agreementVersion: a.version + 1,
      awaitingSignatures: ['provider', 'customer'],
    });
    const listed = await http
      .get(`/api/sla/reviews?agreementId=${a.id}`)
      .set('Authorization', bob);
    expect(
      listed.body.items.find((r: any) => r.id === res.body.id).decision
        .awaitingSignatures,
    ).toEqual(['provider', 'customer']);
    // the same terms, under review as a new round: validUntil unchanged
    const round = await get(a.id);
    expect(round).toMatchObject({
      status: 'under-review',
      version: a.version + 1,
      termsVersion: a.version + 1,
      validUntil: a.validUntil,
      agreedAt: a.agreedAt,
    });
    expect(round.signatures).toBeUndefined();
    // awaiting signatures in the portfolio's sense
    expect(round.signaturesRequestedAt).toBeDefined();
    const portfolio = await http
      .get('/api/sla/portfolio?awaitingSignature=true&limit=500')
      .set('Authorization', bob);
    expect(portfolio.status).toBe(200);
    expect(portfolio.body.items.map((i: any) => i.entityRef)).toContain(
      'component:default/checkout',
    );
    // the history says so
    const [entry] = await history(a.id);
    expect(entry).toMatchObject({
      status: 'under-review',
      changedBy: 'user:default/alice',
      change: {
        type: 'transition',
        from: 'agreed',
        to: 'under-review',
        summary: `agreed → under-review (prolongation decided by review ${res.body.id}; awaiting the provider's and the customer's signatures)`,
        comment: `Review ${res.body.id}: prolong (Another term as it is)`,
      },
    });
    // the customer hears its signature is awaited
    expect(sentNotifications).toEqual([
      expect.objectContaining({
        recipients: { type: 'entity', entityRef: [CUSTOMER] },
        payload: expect.objectContaining({
          title: 'Checkout SLA: your signature is awaited',
          description: expect.stringContaining(
            'A service review held by user:default/alice decided to prolong SLA on component:default/checkout',
          ),
        }),
      }),
    ]);
    // the provider alone does not agree it
    const alone = await move(a.id, alice, { to: 'agreed' });
    expect(alone.status).toBe(409);
    expect(alone.body.error.message).toMatch(/awaiting the provider's and the customer's signature/);

    const first = await sign(a.id, mallory, {
      party: 'customer',
      version: round.version,
    });
    expect(first.body.status).toBe('under-review');
    const done = await sign(a.id, alice, {
      party: 'provider',
      version: round.version,
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      status: 'agreed',
      validUntil: a.validUntil,
      termsVersion: round.version,
      agreedBy: 'user:default/alice',
    });
    expect(done.body.signatures.map((s: any) => s.party).sort()).toEqual([
      'customer',
      'provider',
    ]);
    expect(done.body.signaturesRequestedAt).toBeUndefined();
    // re-agreed now: the next review is due a review interval from now
    expect(Date.parse(done.body.agreedAt)).toBeGreaterThan(
      Date.parse(a.agreedAt),
    );
    expect(Date.parse(done.body.nextReviewDue)).toBeGreaterThan(
      Date.parse(a.nextReviewDue),
    );
    const [agreedEntry] = await history(a.id);
    expect(agreedEntry.change).toMatchObject({
      type: 'transition',
      from: 'under-review',
      to: 'agreed',
      signature: { party: 'provider', version: round.version },
    });
  });

  it('lets the agreed validUntil pass while a prolongation awaits the signatures', async () => {
    const end = new Date(Date.now() + 10 * 86_400_000).toISOString();
    const a = await agreedByBoth({ validUntil: end });
    const res = await holdReview(a.id, { type: 'prolong' });
    expect(res.status).toBe(201);
    expect((await get(a.id)).status).toBe('under-review');
    const store = new AgreementStore(backend.knex);
    const expiry = new ExpiryService({
      store: new ExpiryStore(backend.knex),
      agreements: new AgreementService({
        store,
        guard: undefined as any,
        logger: mockServices.logger.mock(),
        clock: () => new Date(),
      }),
      notifier: new SlaNotifier({ logger: mockServices.logger.mock() }),
      logger: mockServices.logger.mock(),
      noticeDays: [],
      breaches: new BreachService({
        breachStore: new BreachStore(backend.knex),
        states: new TargetStateStore(backend.knex),
        agreements: store,
        logger: mockServices.logger.mock(),
      } as any),
    });
    const run = await expiry.run(Date.parse(end) + 1000);
    expect(run.expired).toContain(a.id);
    expect(await get(a.id)).toMatchObject({ status: 'expired', validUntil: end });
    // signing is over: the owners renegotiate an expired agreement
    const late = await sign(a.id, mallory, {
      party: 'customer',
      version: a.version + 1,
    });
    expect(late.status).toBe(409);
  });

  it('tells the customer when a review amends an agreement it signs', async () => {
    const a = await agreedByBoth();
    sentNotifications.length = 0;
    const res = await holdReview(a.id, { type: 'amend' });
    expect(res.status).toBe(201);
    expect(res.body.decision).toMatchObject({
      transitions: ['under-review', 'negotiation'],
      awaitingSignatures: ['provider', 'customer'],
    });
    expect((await get(a.id)).status).toBe('negotiation');
    expect(sentNotifications).toEqual([
      expect.objectContaining({
        recipients: { type: 'entity', entityRef: [CUSTOMER] },
        payload: expect.objectContaining({
          description: expect.stringContaining('decided to amend'),
        }),
      }),
    ]);
  });

  it('prolongs after a review through both signatures', async () => {
    const a = await proposed();
    await sign(a.id, alice, { party: 'provider', version: a.version });
    const agreed = await sign(a.id, mallory, {
      party: 'customer',
      version: a.version,
    });
    expect(agreed.body.status).toBe('agreed');
    const review = await move(a.id, alice, { to: 'under-review' });
    expect(review.body.signatures).toBeUndefined();
    const prolong = await move(a.id, alice, {
      to: 'agreed',
      validUntil: '2028-01-01T00:00:00Z',
    });
    expect(prolong.status).toBe(409);
    const res = await http
      .post('/api/sla/reviews')
      .set('Authorization', alice)
      .send({
        agreementId: a.id,
        period: {
          start: new Date(Date.now() - 86_400_000).toISOString(),
          end: new Date().toISOString(),
        },
        participants: ['user:default/alice'],
        minutes: 'Fine.',
        decision: { type: 'prolong', validUntil: '2028-01-01T00:00:00Z' },
      });
    expect(res.status).toBe(201);
    expect(res.body.decision).toMatchObject({
      transitions: ['negotiation'],
      awaitingSignatures: ['provider', 'customer'],
    });
    const proposedAgain = await get(a.id);
    expect(proposedAgain).toMatchObject({
      status: 'negotiation',
      validUntil: '2028-01-01T00:00:00Z',
    });
    await sign(a.id, alice, {
      party: 'provider',
      version: proposedAgain.version,
    });
    const done = await sign(a.id, mallory, {
      party: 'customer',
      version: proposedAgain.version,
    });
    expect(done.body).toMatchObject({
      status: 'agreed',
      validUntil: '2028-01-01T00:00:00Z',
    });
  });

  it('shows the signatures in the service report', async () => {
    const a = await proposed();
    await sign(a.id, alice, { party: 'provider', version: a.version });
    await sign(a.id, mallory, { party: 'customer', version: a.version });
    const from = new Date(Date.now() - 3_600_000).toISOString();
    await new Promise(resolve => setTimeout(resolve, 20));
    const to = new Date().toISOString();
    const res = await http
      .get(
        `/api/sla/reports?entityRef=component:default/checkout&from=${from}&to=${to}`,
      )
      .set('Authorization', bob);
    expect([res.status, res.body.error?.message]).toEqual([200, undefined]);
    const reported = res.body.agreements.find((x: any) => x.id === a.id);
    expect(reported.signatures).toEqual([
      expect.objectContaining({
        party: 'provider',
        signedBy: 'user:default/alice',
      }),
      expect.objectContaining({
        party: 'customer',
        signedBy: 'user:default/mallory',
      }),
    ]);
  });
});

describe.each(databases.eachSupportedId())(
  'signing on behalf on %p',
  databaseId => {
    it('lets a policy widen who signs only with sla.permissions.signOnBehalf', async () => {
      const { http } = await startSlaBackend(databaseId, {
        config: { sla: { permissions: { signOnBehalf: true } } },
      });
      const created = await http
        .post('/api/sla/agreements')
        .set('Authorization', alice)
        .send(validAgreement({ customer: CUSTOMER, status: 'draft' }));
      const a = (
        await http
          .post(`/api/sla/agreements/${created.body.id}/transitions`)
          .set('Authorization', alice)
          .send({ to: 'negotiation' })
      ).body;
      const res = await http
        .post(`/api/sla/agreements/${a.id}/signatures`)
        .set('Authorization', bob)
        .send({ party: 'customer', version: a.version });
      expect(res.status).toBe(200);
      expect(res.body.signatures[0]).toMatchObject({
        party: 'customer',
        signedBy: 'user:default/bob',
        onBehalf: true,
      });
    });

    it('refuses members when the policy denies sla.agreement.sign', async () => {
      const { http } = await startSlaBackend(databaseId, {
        deny: ['sla.agreement.sign'],
      });
      const created = await http
        .post('/api/sla/agreements')
        .set('Authorization', alice)
        .send(validAgreement({ customer: CUSTOMER, status: 'draft' }));
      const a = (
        await http
          .post(`/api/sla/agreements/${created.body.id}/transitions`)
          .set('Authorization', alice)
          .send({ to: 'negotiation' })
      ).body;
      const res = await http
        .post(`/api/sla/agreements/${a.id}/signatures`)
        .set('Authorization', mallory)
        .send({ party: 'customer', version: a.version });
      expect(res.status).toBe(403);
    });
  },
);
