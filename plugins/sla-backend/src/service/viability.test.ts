import {
  alice,
  databases,
  mallory,
  startSlaBackend,
  validAgreement,
} from '../__testUtils__/testBackend';

jest.setTimeout(180_000);

const [availabilityTarget, p1Target] = validAgreement().targets;

/** A body for `entityRef` with an availability target (and optionally P1 resolution). */
function body(
  entityRef: string,
  objective: number,
  options: { kind?: string; p1?: string } = {},
) {
  return validAgreement({
    entityRef,
    kind: options.kind ?? 'SLA',
    title: `${entityRef} ${options.kind ?? 'SLA'}`,
    status: 'draft',
    targets: [
      { ...availabilityTarget, objective },
      ...(options.p1
        ? [{ ...p1Target, sli: { ...p1Target.sli, maxDuration: options.p1 } }]
        : []),
    ],
  });
}

describe.each(databases.eachSupportedId())('viability on %p', databaseId => {
  let http: Awaited<ReturnType<typeof startSlaBackend>>['http'];

  const create = async (payload: object) => {
    const res = await http
      .post('/api/sla/agreements')
      .set('Authorization', alice)
      .send(payload);
    expect(res.status).toBe(201);
    return res.body;
  };
  const move = (id: string, payload: object, auth = alice) =>
    http
      .post(`/api/sla/agreements/${id}/transitions`)
      .set('Authorization', auth)
      .send(payload);
  const agree = async (payload: object) => {
    const created = await create(payload);
    expect((await move(created.id, { to: 'negotiation' })).status).toBe(200);
    const res = await move(created.id, { to: 'agreed' });
    expect(res.status).toBe(200);
    return res.body;
  };
  const viability = (query: Record<string, string>, auth = alice) =>
    http.get('/api/sla/viability').query(query).set('Authorization', auth);

  beforeEach(async () => {
    ({ http } = await startSlaBackend(databaseId));
    // Agreements in force of web's dependencies (leaves: viable by themselves)
    await agree(
      body('component:default/gateway', 99.99, { kind: 'OLA', p1: 'PT4H' }),
    );
    await agree(body('resource:default/orders-store', 99.95, { kind: 'OLA' }));
    await agree(body('resource:default/psp-a', 99.9, { kind: 'UC' }));
    await agree(body('resource:default/psp-b', 99, { kind: 'UC' }));
    await agree(body('component:default/recs', 90));
    // in negotiation: not in force, so it bounds nothing
    const pending = await create(body('resource:default/orders-queue', 95));
    await move(pending.id, { to: 'negotiation' });
  });

  // supportable(web) = gateway × orders-store × group(psp-a | psp-b)
  //   × orders-queue (missing: 1); orders has no agreement, so it is
  //   expanded (unagreed); recs is soft, left out:
  //   group = 1 − (1 − 0.999)(1 − 0.99) = 0.99999
  //   bound(orders) = 0.9995 × 0.99999 × 1 = 0.999490005 → 99.9490005 %
  //   supportable(web) = 0.9999 × 0.999490005 = 0.9993900559995 → 99.9390056 %
  const SUPPORTABLE_WEB = 99.9390056;

  it('needs credentials', async () => {
    for (const path of ['/api/sla/viability', '/api/sla/blast-radius']) {
      const res = await http
        .get(path)
        .query({ entityRef: 'component:default/web' });
      expect(res.status).toBe(401);
    }
  });

  it('refuses callers the policy does not let read (403)', async () => {
    ({ http } = await startSlaBackend(databaseId, {
      deny: ['sla.agreement.read'],
    }));
    const res = await viability({ entityRef: 'component:default/web' });
    expect(res.status).toBe(403);
    const blast = await http
      .get('/api/sla/blast-radius')
      .query({ entityRef: 'component:default/gateway' })
      .set('Authorization', alice);
    expect(blast.status).toBe(403);
  });

  it.each([
    [{}, 'entityRef'],
    [{ entityRef: 'component:default/nope' }, 'entityRef'],
    [{ entityRef: 'component:default/web', objective: '0' }, 'objective'],
    [{ entityRef: 'component:default/web', objective: '100.5' }, 'objective'],
    [{ entityRef: 'component:default/web', objective: 'high' }, 'objective'],
    [
      { entityRef: 'component:default/web', agreementId: 'nope' },
      'agreementId',
    ],
    [{ entityRef: 'component:default/web', targetId: 'nope' }, 'targetId'],
  ])('answers 400 naming the field for %j', async (query, field) => {
    const res = await viability(query as Record<string, string>);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(field);
  });

  it('computes what the dependencies support, with the tree and the weakest link', async () => {
    const web = await create(
      body('component:default/web', 99.9, { p1: 'PT1H' }),
    );
    const res = await viability({ entityRef: 'component:default/web' });
    expect(res.status).toBe(200);
    expect(res.body.supportable).toBeCloseTo(SUPPORTABLE_WEB, 7);
    expect(res.body.items).toHaveLength(1);
    const [item] = res.body.items;
    expect(item).toMatchObject({
      targetId: 'availability',
      agreementId: web.id,
      objective: 99.9,
      viable: true,
      weakestLink: 'component:default/orders',
      cycles: [],
    });
    // headroom = 99.9390056 − 99.9 = 0.0390056 points
    expect(item.headroom).toBeCloseTo(0.0390056, 7);
    expect(item.weakestLinkBound).toBeCloseTo(99.9490005, 7);
    expect(
      item.dependencies.map((d: any) => [d.entityRef, d.source, d.bound]),
    ).toEqual([
      ['component:default/gateway', 'agreed', 99.99],
      ['component:default/orders', 'unagreed', 99.9490005],
    ]);
    const orders = res.body.dependencies[1];
    expect(
      orders.children.map((d: any) => [
        d.entityRef,
        d.source,
        d.bound,
        d.group,
      ]),
    ).toEqual([
      ['resource:default/orders-store', 'agreed', 99.95, undefined],
      ['resource:default/orders-queue', 'missing', 100, undefined],
      ['resource:default/psp-a', 'agreed', 99.9, 'psp'],
      ['resource:default/psp-b', 'agreed', 99, 'psp'],
    ]);
    expect(res.body.softDependencies).toEqual([
      expect.objectContaining({
        entityRef: 'component:default/recs',
        bound: 90,
        source: 'agreed',
      }),
    ]);
    // gateway's OLA allows PT4H for P1, web promises PT1H
    expect(item.misaligned).toEqual([
      expect.objectContaining({
        kind: 'duration',
        targetId: 'p1-resolution',
        ours: 3_600_000,
        theirs: 14_400_000,
      }),
    ]);
  });

  it('answers "what if" for a typed objective, with and without an agreement', async () => {
    const web = await create(body('component:default/web', 99.9));
    const whatIf = await viability({
      entityRef: 'component:default/web',
      agreementId: web.id,
      objective: '99.95',
    });
    expect(whatIf.status).toBe(200);
    expect(whatIf.body.items[0]).toMatchObject({
      targetId: 'availability',
      objective: 99.95,
      viable: false,
      weakestLink: 'component:default/orders',
    });
    // 99.9390056 − 99.95 = −0.0109944
    expect(whatIf.body.items[0].headroom).toBeCloseTo(-0.0109944, 7);
    // nothing was changed by asking
    const stored = await http
      .get(`/api/sla/agreements/${web.id}`)
      .set('Authorization', alice);
    expect(stored.body.targets[0].objective).toBe(99.9);

    // an entity without availability targets: one hypothetical item
    const fresh = await viability({
      entityRef: 'component:default/orders',
      objective: '99.9',
    });
    expect(fresh.body.items).toEqual([
      expect.objectContaining({
        targetId: 'what-if',
        objective: 99.9,
        viable: true,
      }),
    ]);
    expect(fresh.body.items[0].supportable).toBeCloseTo(99.9490005, 7);
  });

  it('lists the blast radius of a breach and of a lowered target', async () => {
    const web = await agree(body('component:default/web', 99.9));
    const breach = await http
      .get('/api/sla/blast-radius')
      .query({ entityRef: 'resource:default/psp-a' })
      .set('Authorization', alice);
    expect(breach.status).toBe(200);
    // psp-a <- orders <- orders-api <- ... web (through the API provider)
    expect(breach.body.items).toEqual([
      expect.objectContaining({
        entityRef: 'component:default/web',
        agreementId: web.id,
        targetId: 'availability',
        path: [
          'component:default/web',
          'component:default/orders',
          'resource:default/psp-a',
        ],
      }),
    ]);

    // gateway lowers 99.99 → 99.9: web = 0.999 × 0.999490005 = 0.99849051… < 99.9
    const lowered = await http
      .get('/api/sla/blast-radius')
      .query({ entityRef: 'component:default/gateway', objective: '99.9' })
      .set('Authorization', alice);
    expect(lowered.status).toBe(200);
    expect(lowered.body.items).toHaveLength(1);
    expect(lowered.body.items[0].supportableAfter).toBeCloseTo(99.849051, 5);
    // lowering to 99.98 keeps web viable (0.9998 × 0.999490005 → 99.929)
    const slight = await http
      .get('/api/sla/blast-radius')
      .query({ entityRef: 'component:default/gateway', objective: '99.98' })
      .set('Authorization', alice);
    expect(slight.body.items).toEqual([]);

    const bad = await http
      .get('/api/sla/blast-radius')
      .query({ entityRef: 'component:default/gateway', objective: '-1' })
      .set('Authorization', alice);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('objective');
  });

  describe('agreeing a target that is not viable', () => {
    let id: string;
    beforeEach(async () => {
      const created = await create(body('component:default/web', 99.95));
      id = created.id;
      await move(id, { to: 'negotiation' });
    });
    const history = async () =>
      (
        await http
          .get(`/api/sla/agreements/${id}/history`)
          .set('Authorization', alice)
      ).body.items;

    it('is refused with 409 naming the target, the figures and the weakest link', async () => {
      const before = await history();
      const res = await move(id, { to: 'agreed' });
      expect(res.status).toBe(409);
      expect(res.body.error.message).toMatch(/Availability/);
      expect(res.body.error.message).toContain('99.95 %');
      expect(res.body.error.message).toContain('99.9390056');
      expect(res.body.error.message).toContain(
        'weakest link: component:default/orders',
      );
      expect(await history()).toEqual(before);
    });

    it('needs a reason to override (400, nothing changed)', async () => {
      const before = await history();
      const res = await move(id, {
        to: 'agreed',
        viabilityOverride: { reason: '  ' },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('viabilityOverride.reason');
      const noReason = await move(id, { to: 'agreed', viabilityOverride: {} });
      expect(noReason.status).toBe(400);
      expect(noReason.body.error.message).toContain('reason');
      expect(await history()).toEqual(before);
    });

    it('lets only owners override (403)', async () => {
      const res = await move(
        id,
        { to: 'agreed', viabilityOverride: { reason: 'mine now' } },
        mallory,
      );
      expect(res.status).toBe(403);
    });

    it('agrees with an override and keeps the reason in the history', async () => {
      const res = await move(id, {
        to: 'agreed',
        comment: 'signed',
        viabilityOverride: { reason: 'Orders gets a second PSP in Q1' },
      });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('agreed');
      const [latest] = await history();
      expect(latest.change.viabilityOverride).toMatchObject({
        reason: 'Orders gets a second PSP in Q1',
        shortfalls: [
          {
            targetId: 'availability',
            objective: 99.95,
            weakestLink: 'component:default/orders',
          },
        ],
      });
      expect(latest.change.summary).toContain('Orders gets a second PSP in Q1');
    });

    describe('a review that prolongs it', () => {
      const hold = (decision: object, auth = alice) =>
        http
          .post('/api/sla/reviews')
          .set('Authorization', auth)
          .send({
            agreementId: id,
            kind: 'agreement',
            period: {
              start: new Date(Date.now() - 86_400_000).toISOString(),
              end: new Date().toISOString(),
            },
            participants: ['user:default/alice'],
            decision,
          });
      const reviews = async () =>
        (
          await http
            .get(`/api/sla/reviews?agreementId=${id}`)
            .set('Authorization', alice)
        ).body.items;

      beforeEach(async () => {
        const res = await move(id, {
          to: 'agreed',
          viabilityOverride: { reason: 'Orders gets a second PSP in Q1' },
        });
        if (res.status !== 200) throw new Error(JSON.stringify(res.body));
      });

      it('changes nothing when the prolongation is not viable (409)', async () => {
        const before = await history();
        const res = await hold({
          type: 'prolong',
          validUntil: '2030-01-01T00:00:00.000Z',
        });
        expect(res.status).toBe(409);
        expect(res.body.error.message).toContain('99.95 %');
        // not left under review, no review stored, no history written
        expect(await history()).toEqual(before);
        expect(before[0].status).toBe('agreed');
        expect(await reviews()).toEqual([]);
      });

      it('holds with an override: review, moves and reason stored together', async () => {
        const res = await hold({
          type: 'prolong',
          validUntil: '2030-01-01T00:00:00.000Z',
          viabilityOverride: { reason: ' Second PSP signed ' },
        });
        expect(res.status).toBe(201);
        expect(res.body.decision).toMatchObject({
          type: 'prolong',
          transitions: ['under-review', 'agreed'],
          viabilityOverride: { reason: 'Second PSP signed' },
        });
        const [agreedAgain, underReview] = await history();
        expect(agreedAgain).toMatchObject({
          status: 'agreed',
          version: res.body.decision.agreementVersion,
          agreement: { validUntil: '2030-01-01T00:00:00.000Z' },
        });
        expect(agreedAgain.change.viabilityOverride).toMatchObject({
          reason: 'Second PSP signed',
          shortfalls: [{ targetId: 'availability', objective: 99.95 }],
        });
        expect(underReview.status).toBe('under-review');
        expect((await reviews()).map((r: any) => r.id)).toEqual([res.body.id]);
      });

      it.each([
        [
          { type: 'amend', viabilityOverride: { reason: 'x' } },
          'decision.viabilityOverride',
        ],
        [
          { type: 'prolong', viabilityOverride: { reason: ' ' } },
          'decision.viabilityOverride.reason',
        ],
        [
          { type: 'prolong', viabilityOverride: 'yes' },
          'decision.viabilityOverride',
        ],
      ])(
        'answers 400 for a bad override %p, changing nothing',
        async (decision, field) => {
          const before = await history();
          const res = await hold(decision);
          expect(res.status).toBe(400);
          expect(res.body.error.message).toContain(field);
          expect(await history()).toEqual(before);
          expect(await reviews()).toEqual([]);
        },
      );

      it('lets only owners hold it (403, nothing changed)', async () => {
        const before = await history();
        const res = await hold(
          { type: 'prolong', viabilityOverride: { reason: 'mine' } },
          mallory,
        );
        expect(res.status).toBe(403);
        expect(await history()).toEqual(before);
      });
    });

    it('agrees a viable target without an override', async () => {
      const viable = await create(body('component:default/web', 99.9));
      await move(viable.id, { to: 'negotiation' });
      const res = await move(viable.id, { to: 'agreed' });
      expect(res.status).toBe(200);
      const overrideElsewhere = await move(viable.id, {
        to: 'under-review',
        viabilityOverride: { reason: 'x' },
      });
      expect(overrideElsewhere.status).toBe(400);
      expect(overrideElsewhere.body.error.message).toContain(
        'viabilityOverride',
      );
    });
  });
});
