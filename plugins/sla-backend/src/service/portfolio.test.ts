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
const SEARCH = 'component:default/search';
const ORDERS = 'component:default/orders';
const DAY = 86_400_000;
const user = (name: string) =>
  mockCredentials.user.header(`user:default/${name}`);

const availability = (objective = 99) => ({
  id: 'availability',
  name: 'Availability',
  aspect: 'availability',
  metric: 'requests',
  sli: { kind: 'ratio' },
  objective,
  window: { type: 'rolling', duration: 'P1D' },
});

describe.each(databases.eachSupportedId())('portfolio on %p', databaseId => {
  let http: Awaited<ReturnType<typeof startSlaBackend>>['http'];
  let knex: Awaited<ReturnType<typeof startSlaBackend>>['knex'];

  beforeEach(async () => {
    ({ http, knex } = await startSlaBackend(databaseId));
  });

  async function agreement(
    who: string,
    body: Record<string, unknown>,
    agree: boolean,
  ) {
    const created = await http
      .post('/api/sla/agreements')
      .set('Authorization', who)
      .send({ title: 'SLA', status: 'draft', ...body });
    expect(created.status).toBe(201);
    if (agree) {
      for (const to of ['negotiation', 'agreed']) {
        const moved = await http
          .post(`/api/sla/agreements/${created.body.id}/transitions`)
          .set('Authorization', who)
          .send({ to });
        expect(moved.status).toBe(200);
      }
    }
    return created.body;
  }

  async function measure(
    entityRef: string,
    good: number,
    total: number,
    timestamp = new Date(Date.now() - 60_000).toISOString(),
  ) {
    const res = await http
      .post('/api/sla/measurements')
      .set('Authorization', service)
      .send({
        items: [
          {
            entityRef,
            metric: 'requests',
            timestamp,
            good,
            total,
          },
        ],
      });
    expect(res.status).toBe(200);
  }

  /**
   * checkout (team-checkout): SLA agreed, reviewed every P3M, 1000 of 1000
   * good → met; CSAT 5 and 2 → 50 %.
   * search (bob): SLA agreed, reviewed yearly (default), 900 of 1000 good
   * against 99 % → breached (critical: 100 bad for 10 allowed).
   * orders (team-checkout): an OLA still in draft, nothing in force.
   */
  async function seedPortfolio() {
    await agreement(
      alice,
      {
        kind: 'SLA',
        entityRef: CHECKOUT,
        reviewInterval: 'P3M',
        targets: [availability()],
      },
      true,
    );
    await agreement(
      bob,
      { kind: 'SLA', entityRef: SEARCH, targets: [availability()] },
      true,
    );
    await agreement(
      alice,
      { kind: 'OLA', entityRef: ORDERS, targets: [availability()] },
      false,
    );
    await measure(CHECKOUT, 1000, 1000);
    await measure(SEARCH, 900, 1000);
    for (const [name, score] of [
      ['u1', 5],
      ['u2', 2],
    ] as const) {
      const res = await http
        .post('/api/sla/feedback')
        .set('Authorization', user(name))
        .send({ entityRef: CHECKOUT, kind: 'impromptu', score });
      expect(res.status).toBe(201);
    }
  }

  const portfolio = (query = '', who: string | null = bob) => {
    const req = http.get(`/api/sla/portfolio${query}`);
    return who ? req.set('Authorization', who) : req;
  };

  it('answers 401 without credentials', async () => {
    const res = await portfolio('', null);
    expect(res.status).toBe(401);
  });

  it.each([
    ['?at=yesterday', 'at'],
    ['?period=P0D', 'period'],
    ['?period=thirty-days', 'period'],
    ['?period=P2Y', 'period'],
    ['?kind=SLO', 'kind'],
    ['?status=green', 'status'],
    ['?owner=group:default/', 'owner'],
    ['?awaitingSignature=yes', 'awaitingSignature'],
  ])('answers 400 naming the field for %s', async (query, field) => {
    const res = await portfolio(query);
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toContain(field);
  });

  it('answers an empty portfolio with null KPIs', async () => {
    const res = await portfolio();
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([]);
    expect(res.body.kpis.services).toEqual({
      value: 0,
      previous: 0,
      change: 0,
    });
    expect(res.body.kpis.targetsMetPercent.value).toBeNull();
    expect(res.body.kpis.csat.value).toBeNull();
  });

  it('lists every service with agreements and the KPIs against the previous period', async () => {
    await seedPortfolio();
    const res = await portfolio();
    expect(res.status).toBe(200);
    // entity-ref order (the order pages follow; the page sorts by status)
    expect(res.body.items.map((i: any) => i.entityRef)).toEqual([
      CHECKOUT,
      ORDERS,
      SEARCH,
    ]);
    const [checkout, orders, search] = res.body.items;
    expect(search).toMatchObject({
      owners: ['user:default/bob'],
      kinds: ['SLA'],
      agreements: 1,
      agreementsInForce: 1,
      worstStatus: 'breached',
      targets: 1,
      targetsWithData: 1,
      targetsMet: 0,
      targetsMetPercent: 0,
      breaches: { total: 1, critical: 1, own: 1, thirdParty: 0 },
      slaAgreedInDate: true,
      reviewOverdue: false,
      watermelon: false,
    });
    expect(checkout).toMatchObject({
      owners: ['group:default/team-checkout'],
      worstStatus: 'met',
      targetsMetPercent: 100,
      breaches: { total: 0 },
      csat: 50,
      csatResponses: 2,
      slaAgreedInDate: true,
      reviewOverdue: false,
    });
    // no review held yet: the first service review is due a month (P1M)
    // after it was agreed, the agreement's own review P3M after
    expect(Date.parse(checkout.nextServiceReviewDue)).toBeGreaterThan(
      Date.now() + 27 * DAY,
    );
    expect(Date.parse(checkout.nextServiceReviewDue)).toBeLessThan(
      Date.now() + 32 * DAY,
    );
    expect(Date.parse(checkout.nextAgreementReviewDue)).toBeGreaterThan(
      Date.now() + 85 * DAY,
    );
    expect(checkout.nextReviewDue).toBe(checkout.nextServiceReviewDue);
    expect(orders).toMatchObject({
      kinds: ['OLA'],
      agreementsInForce: 0,
      worstStatus: null,
      targets: 0,
      targetsMetPercent: null,
      slaAgreedInDate: false,
      nextReviewDue: null,
    });

    const { kpis } = res.body;
    const end = Date.parse(kpis.period.end);
    expect(end - Date.parse(kpis.period.start)).toBe(30 * DAY);
    expect(kpis.previousPeriod.end).toBe(kpis.period.start);
    expect(kpis.services).toEqual({ value: 3, previous: 3, change: 0 });
    // 1 of 2 targets with data meets its objective; nothing was in force
    // 30 days ago
    expect(kpis.targetsMetPercent).toEqual({
      value: 50,
      previous: null,
      change: null,
    });
    expect(kpis.breaches.total).toEqual({ value: 1, previous: 0, change: 1 });
    expect(kpis.breaches.critical.value).toBe(1);
    expect(kpis.breaches.thirdParty.value).toBe(0);
    expect(kpis.breaches.internal.value).toBe(0);
    // checkout and search of 3; none 30 days ago
    expect(kpis.slaAgreedInDatePercent).toEqual({
      value: 66.666666667,
      previous: 0,
      change: 66.666666667,
    });
    expect(kpis.timelyReviewsPercent.value).toBe(66.666666667);
    expect(kpis.slasOverdueForReviewPercent.value).toBe(0);
    expect(kpis.targetsWithoutMeasurementPercent.value).toBe(0);
    // 1 of 2 answers satisfied
    expect(kpis.csat).toEqual({ value: 50, previous: null, change: null });
  });

  it("counts the services whose last month's report was published in time", async () => {
    // A grace longer than any month: publishing last month's report now is
    // in time whatever today's date.
    const graced = await startSlaBackend(databaseId, {
      config: { sla: { reports: { graceDays: 40 } } },
    });
    ({ http, knex } = graced);
    await seedPortfolio();
    const before = await portfolio('');
    expect(before.body.kpis.timelyReportsPercent.value).toBe(0);
    const lastMonth = new Date();
    lastMonth.setUTCDate(1);
    lastMonth.setUTCMonth(lastMonth.getUTCMonth() - 1);
    const published = await http
      .post('/api/sla/reports/published')
      .set('Authorization', alice)
      .send({
        entityRef: CHECKOUT,
        month: lastMonth.toISOString().slice(0, 7),
      });
    expect(published.status).toBe(201);
    const res = await portfolio('');
    const timely = Object.fromEntries(
      res.body.items.map((i: any) => [i.entityRef, i.timelyReports]),
    );
    expect(timely).toEqual({
      [CHECKOUT]: true,
      [SEARCH]: false,
      [ORDERS]: false,
    });
    // 1 of 3 services; at the previous period's end it was not published yet
    expect(res.body.kpis.timelyReportsPercent).toEqual({
      value: 33.333333333,
      previous: 0,
      change: 33.333333333,
    });
  });

  it('finds reviews overdue once their date has passed', async () => {
    await seedPortfolio();
    const at = new Date(Date.now() + 100 * DAY).toISOString();
    const res = await portfolio(`?at=${at}`);
    expect(res.status).toBe(200);
    const checkout = res.body.items.find((i: any) => i.entityRef === CHECKOUT);
    expect(checkout.reviewOverdue).toBe(true);
    // no service review held: both SLAs' monthly service reviews are
    // overdue (checkout's P3M agreement review too, search's yearly one not)
    expect(res.body.kpis.slasOverdueForReviewPercent.value).toBe(100);
    expect(res.body.kpis.timelyReviewsPercent.value).toBe(0);
    // nothing measured 100 days from now
    expect(res.body.kpis.targetsWithoutMeasurementPercent.value).toBe(100);
  });

  it('takes the review schedules from the review records', async () => {
    await seedPortfolio();
    const [checkoutSla] = (
      await http
        .get(`/api/sla/agreements?entityRef=${CHECKOUT}`)
        .set('Authorization', bob)
    ).body.items;
    // alice holds checkout's service review today and sets the next one
    // three months ahead
    const held = await http
      .post('/api/sla/reviews')
      .set('Authorization', alice)
      .send({
        agreementId: checkoutSla.id,
        period: {
          start: new Date(Date.now() - 30 * DAY).toISOString(),
          end: new Date().toISOString(),
        },
        participants: ['user:default/alice'],
        serviceReviewInterval: 'P3M',
      });
    expect(held.status).toBe(201);
    const heldAt = Date.parse(held.body.heldAt);

    const today = await portfolio();
    const checkout = today.body.items.find(
      (i: any) => i.entityRef === CHECKOUT,
    );
    // held today + P3M; the agreement's own review (agreed today + P3M)
    expect(Date.parse(checkout.nextServiceReviewDue)).toBeGreaterThan(
      heldAt + 85 * DAY,
    );
    expect(Date.parse(checkout.nextServiceReviewDue)).toBeLessThan(
      heldAt + 93 * DAY,
    );

    // 40 days on: search's first monthly service review is overdue,
    // checkout's next is two months away
    const later = await portfolio(
      `?at=${new Date(Date.now() + 40 * DAY).toISOString()}`,
    );
    expect(later.status).toBe(200);
    const overdue = Object.fromEntries(
      later.body.items.map((i: any) => [i.entityRef, i.reviewOverdue]),
    );
    expect(overdue).toEqual({
      [CHECKOUT]: false,
      [SEARCH]: true,
      [ORDERS]: false,
    });
    // 1 of the 2 SLAs in force; checkout alone has timely reviews (of 3)
    expect(later.body.kpis.slasOverdueForReviewPercent.value).toBe(50);
    expect(later.body.kpis.timelyReviewsPercent.value).toBe(33.333333333);
    // at the previous period's end (10 days from now) nothing was due yet
    expect(later.body.kpis.slasOverdueForReviewPercent).toEqual({
      value: 50,
      previous: 0,
      change: 50,
    });
  });

  /** Changes search's kept state (one target), after seeding. */
  async function updateSearchState(change: Record<string, unknown>) {
    const [searchAgreement] = (
      await http
        .get(`/api/sla/agreements?entityRef=${SEARCH}`)
        .set('Authorization', bob)
    ).body.items;
    const updated = await knex('sla_target_states')
      .where({ agreement_id: searchAgreement.id })
      .update(change);
    expect(updated).toBe(1);
  }
  const searchOf = (res: any) =>
    res.body.items.find((i: any) => i.entityRef === SEARCH);

  it('answers the current statuses from those the breach evaluator kept', async () => {
    await seedPortfolio();
    // ingest evaluated checkout and search and kept their statuses
    const kept = await knex('sla_target_states').whereNotNull('evaluated_at');
    expect(kept.length).toBe(2);
    // a kept status is what the portfolio shows (here: tampered to tell)
    await updateSearchState({ status: 'met' });
    const res = await portfolio();
    expect(searchOf(res).worstStatus).toBe('met');
    // the statuses are as of the oldest evaluation used
    const evaluatedAt = Math.min(...kept.map(k => Number(k.evaluated_at)));
    expect(Date.parse(res.body.statusesAt.current)).toBe(evaluatedAt);
    expect(Date.parse(res.body.kpis.period.end)).toBeGreaterThanOrEqual(
      evaluatedAt,
    );
  });

  it('shows a status the breach evaluator kept after the previous request', async () => {
    await seedPortfolio();
    expect(searchOf(await portfolio()).worstStatus).toBe('breached');
    // the evaluator's next round (here: tampered to tell)
    await updateSearchState({ status: 'met', evaluated_at: Date.now() });
    expect(searchOf(await portfolio()).worstStatus).toBe('met');
    // and a new breach recorded since shows in the counts at once
    const before = searchOf(await portfolio()).breaches.total;
    await knex('sla_breaches').insert({
      id: 'late-breach',
      entity_ref: SEARCH,
      agreement_id: 'x',
      target_id: 'availability',
      opened_at: new Date(Date.now() - 3_600_000).toISOString(),
      closed_at: null,
      severity: 'minor',
      cause: 'own',
      details: '{}',
    });
    expect(searchOf(await portfolio()).breaches.total).toBe(before + 1);
  });

  it('shows a kept status over ten minutes old while it is known to hold', async () => {
    await seedPortfolio();
    // Evaluated 11 minutes ago, holding for another hour without new data:
    // the due-only rounds have no reason to evaluate it again.
    await updateSearchState({
      status: 'met',
      evaluated_at: Date.now() - 11 * 60_000,
      holds_until: Date.now() + 3_600_000,
    });
    expect(searchOf(await portfolio()).worstStatus).toBe('met');
  });

  it('evaluates a kept status over ten minutes old whose instant has come', async () => {
    await seedPortfolio();
    await updateSearchState({
      status: 'met',
      evaluated_at: Date.now() - 11 * 60_000,
      holds_until: Date.now() - 60_000,
    });
    expect(searchOf(await portfolio()).worstStatus).toBe('breached');
  });

  it('evaluates a target whose kept status is over ten minutes old', async () => {
    await seedPortfolio();
    await updateSearchState({
      status: 'met',
      evaluated_at: Date.now() - 11 * 60_000,
    });
    const res = await portfolio();
    expect(searchOf(res).worstStatus).toBe('breached');
    // checkout's kept status is the oldest used
    const [checkout] = await knex('sla_target_states').whereNot(
      'evaluated_at',
      '<',
      Date.now() - 10 * 60_000,
    );
    expect(Date.parse(res.body.statusesAt.current)).toBe(
      Number(checkout.evaluated_at),
    );
  });

  it('evaluates a target whose status was kept for another definition', async () => {
    await seedPortfolio();
    await updateSearchState({ status: 'met', fingerprint: 'another' });
    expect(searchOf(await portfolio()).worstStatus).toBe('breached');
  });

  /** Moves when the entity's agreements were agreed (for past `at`s). */
  async function backdate(entityRef: string, agreedAt: string) {
    const rows = await knex('sla_agreements').where('entity_ref', entityRef);
    for (const row of rows) {
      const data = JSON.parse(row.data);
      await knex('sla_agreements')
        .where('id', row.id)
        .update({ data: JSON.stringify({ ...data, agreedAt }) });
    }
  }

  it('reads the statuses kept for a past whole hour, stores none itself, and drops them on late data', async () => {
    await seedPortfolio();
    const twoDaysAgo = new Date(Date.now() - 2 * DAY).toISOString();
    await backdate(CHECKOUT, twoDaysAgo);
    await backdate(SEARCH, twoDaysAgo);
    // the previous period's end (30 days ago) and a past `at` snap to the
    // whole hour before them
    const at = new Date(Date.now() - 2 * 3_600_000);
    const hour = Math.floor(at.getTime() / 3_600_000) * 3_600_000;
    const first = await portfolio(`?at=${at.toISOString()}`);
    expect(first.status).toBe(200);
    expect(first.body.statusesAt.current).toBe(new Date(hour).toISOString());
    expect(first.body.kpis.period.end).toBe(at.toISOString());
    // nothing measured before that hour
    expect(first.body.kpis.targetsWithoutMeasurementPercent.value).toBe(100);
    const snapshots = () =>
      knex('sla_target_snapshots').where({ at: hour }).orderBy('entity_ref');
    // A GET stores nothing (issue 13): snapshots come from the task only
    expect(await knex('sla_target_snapshots')).toEqual([]);

    // What the task `sla-portfolio-snapshots` keeps (written here as it
    // writes them, with each target's fingerprint) the next request reads
    // (search tampered to tell)
    const states = await knex('sla_target_states')
      .join(
        'sla_agreements',
        'sla_agreements.id',
        'sla_target_states.agreement_id',
      )
      .whereIn('sla_agreements.entity_ref', [CHECKOUT, SEARCH])
      .select(
        'sla_target_states.agreement_id',
        'sla_target_states.target_id',
        'sla_target_states.fingerprint',
        'sla_agreements.entity_ref',
      );
    expect(states.length).toBeGreaterThan(0);
    await knex('sla_target_snapshots').insert(
      states.map(r => ({
        at: hour,
        agreement_id: r.agreement_id,
        target_id: r.target_id,
        entity_ref: r.entity_ref,
        status: r.entity_ref === SEARCH ? 'breached' : 'no-data',
        fingerprint: r.fingerprint,
        kept_at: Date.now(),
      })),
    );
    const second = await portfolio(`?at=${at.toISOString()}`);
    expect(
      second.body.items.find((i: any) => i.entityRef === SEARCH).worstStatus,
    ).toBe('breached');

    // late data for search from before that hour drops its snapshot, and
    // the status is evaluated again with it (and not stored)
    await measure(
      SEARCH,
      1000,
      1000,
      new Date(hour - 30 * 60_000).toISOString(),
    );
    expect([...new Set((await snapshots()).map(r => r.entity_ref))]).toEqual([
      CHECKOUT,
    ]);
    const third = await portfolio(`?at=${at.toISOString()}`);
    expect(
      third.body.items.find((i: any) => i.entityRef === SEARCH).worstStatus,
    ).toBe('met');
    expect([...new Set((await snapshots()).map(r => r.entity_ref))]).toEqual([
      CHECKOUT,
    ]);
  });

  it.each([
    ['1999-12-31T23:59:59Z', 'before 2000-01-01'],
    [new Date(Date.now() + 367 * DAY).toISOString(), '366 days after now'],
  ])(
    'answers 400 naming at for an instant beyond the bounds (%s)',
    async (at, why) => {
      const res = await portfolio(`?at=${at}`);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('at must not be');
      expect(res.body.error.message).toContain(why);
      expect(await knex('sla_target_snapshots')).toEqual([]);
    },
  );

  it('answers a future instant within the bounds and stores nothing', async () => {
    await seedPortfolio();
    const res = await portfolio(
      `?at=${new Date(Date.now() + 300 * DAY).toISOString()}`,
    );
    expect(res.status).toBe(200);
    expect(await knex('sla_target_snapshots')).toEqual([]);
  });

  it('filters by owner, kind and status', async () => {
    await seedPortfolio();
    const refs = async (query: string) => {
      const res = await portfolio(query);
      expect(res.status).toBe(200);
      return res.body.items.map((i: any) => i.entityRef);
    };
    expect(await refs('?owner=user:default/bob')).toEqual([SEARCH]);
    expect(await refs('?owner=team-checkout')).toEqual([CHECKOUT, ORDERS]);
    expect(await refs('?kind=OLA')).toEqual([ORDERS]);
    expect(await refs('?status=met')).toEqual([CHECKOUT]);
    const breached = await portfolio('?status=breached');
    expect(breached.body.kpis.services.value).toBe(1);
    expect(breached.body.kpis.targetsMetPercent.value).toBe(0);
  });

  it('counts the agreements awaiting a signature, filters by it and measures the time to agree', async () => {
    await seedPortfolio();
    // checkout's second SLA, for team-other (mallory), proposed by alice
    const created = await http
      .post('/api/sla/agreements')
      .set('Authorization', alice)
      .send({
        title: 'Checkout SLA for team-other',
        kind: 'SLA',
        status: 'draft',
        entityRef: CHECKOUT,
        customer: 'group:default/team-other',
        targets: [availability()],
      });
    expect(created.status).toBe(201);
    const proposed = await http
      .post(`/api/sla/agreements/${created.body.id}/transitions`)
      .set('Authorization', alice)
      .send({ to: 'negotiation' });
    expect(proposed.status).toBe(200);

    const before = await portfolio();
    expect(before.body.kpis.awaitingSignature).toEqual({
      value: 1,
      previous: null,
      change: null,
    });
    // checkout's and search's SLAs were agreed by their providers alone
    // (no second signature): no time to agree yet
    expect(before.body.kpis.averageTimeToAgreeMs.value).toBeNull();
    const awaiting = await portfolio('?awaitingSignature=true');
    expect(awaiting.status).toBe(200);
    expect(awaiting.body.items.map((i: any) => i.entityRef)).toEqual([
      CHECKOUT,
    ]);
    expect(awaiting.body.kpis.services.value).toBe(1);
    expect(awaiting.body.kpis.awaitingSignature.value).toBe(1);
    const notAwaiting = await portfolio('?awaitingSignature=false');
    expect(notAwaiting.body.items.map((i: any) => i.entityRef)).toEqual([
      ORDERS,
      SEARCH,
    ]);
    expect(notAwaiting.body.kpis.awaitingSignature.value).toBe(0);

    for (const [who, party] of [
      [alice, 'provider'],
      [mallory, 'customer'],
    ]) {
      const signed = await http
        .post(`/api/sla/agreements/${created.body.id}/signatures`)
        .set('Authorization', who)
        .send({ party, version: proposed.body.version });
      expect(signed.status).toBe(200);
    }
    const after = await portfolio();
    expect(after.body.kpis.awaitingSignature.value).toBe(0);
    const timeToAgree = after.body.kpis.averageTimeToAgreeMs;
    expect(timeToAgree.value).toBeGreaterThanOrEqual(0);
    expect(timeToAgree.value).toBeLessThan(60_000);
    expect(timeToAgree.previous).toBeNull();
    expect((await portfolio('?awaitingSignature=true')).body.items).toEqual(
      [],
    );
    // the filter narrows the time to agree too: search agreed none
    const search = await portfolio('?owner=user:default/bob');
    expect(search.body.kpis.averageTimeToAgreeMs.value).toBeNull();
  });

  it('leaves out the services the policy does not let the caller read', async () => {
    const denied = await startSlaBackend(databaseId, {
      deny: ['sla.agreement.read'],
    });
    const res = await denied.http
      .get('/api/sla/portfolio')
      .set('Authorization', bob);
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([]);
  });

  it('asks a conditional policy entity by entity and lists only what the caller may read', async () => {
    await seedPortfolio();
    const conditional = await startSlaBackend(databaseId, {
      knex,
      readableOnly: [SEARCH],
    });
    const res = await conditional.http
      .get('/api/sla/portfolio')
      .set('Authorization', bob);
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: any) => i.entityRef)).toEqual([SEARCH]);
    expect(res.body.kpis.services.value).toBe(1);
  });

  it('is readable by services', async () => {
    const res = await portfolio('', service);
    expect(res.status).toBe(200);
  });
});
