import {
  alice,
  bob,
  databases,
  mallory,
  service,
  startSlaBackend,
  validAgreement,
} from '../__testUtils__/testBackend';

jest.setTimeout(180_000);

const target = (overrides: Record<string, unknown>) => ({
  ...validAgreement().targets[0],
  ...overrides,
});

/** Bodies that must be refused with 400 naming `field`, storing nothing. */
const invalidBodies: Array<[string, Record<string, unknown>, string]> = [
  ['missing kind', { kind: undefined }, 'kind'],
  ['unknown kind', { kind: 'XLA' }, 'kind'],
  ['unknown scope', { scope: 'galaxy' }, 'scope'],
  ['missing entityRef', { entityRef: undefined }, 'entityRef'],
  ['malformed entityRef', { entityRef: 'checkout' }, 'entityRef'],
  ['unknown entity', { entityRef: 'component:default/nope' }, 'entityRef'],
  ['empty title', { title: '   ' }, 'title'],
  ['title not a string', { title: 42 }, 'title'],
  ['status on create not allowed', { status: 'agreed' }, 'status'],
  ['validFrom not an instant', { validFrom: 'yesterday' }, 'validFrom'],
  [
    'validUntil before validFrom',
    { validUntil: '2025-01-01T00:00:00Z' },
    'validUntil',
  ],
  ['reviewInterval not ISO', { reviewInterval: '3 months' }, 'reviewInterval'],
  ['targets not a list', { targets: 'all' }, 'targets'],
  [
    'objective zero',
    { targets: [target({ objective: 0 })] },
    'targets[0].objective',
  ],
  [
    'objective above 100',
    { targets: [target({ objective: 100.5 })] },
    'targets[0].objective',
  ],
  [
    'objective a string',
    { targets: [target({ objective: '99.9' })] },
    'targets[0].objective',
  ],
  [
    'unknown aspect',
    { targets: [target({ aspect: 'vibes' })] },
    'targets[0].aspect',
  ],
  [
    'missing metric',
    { targets: [target({ metric: undefined })] },
    'targets[0].metric',
  ],
  [
    'unknown sli kind',
    { targets: [target({ sli: { kind: 'mood' } })] },
    'targets[0].sli.kind',
  ],
  [
    'threshold without operator',
    { targets: [target({ sli: { kind: 'threshold', threshold: 300 } })] },
    'targets[0].sli.operator',
  ],
  [
    'threshold without threshold',
    { targets: [target({ sli: { kind: 'threshold', operator: 'lte' } })] },
    'targets[0].sli.threshold',
  ],
  [
    'duration without maxDuration',
    { targets: [target({ sli: { kind: 'duration' } })] },
    'targets[0].sli.maxDuration',
  ],
  [
    'duration with bad maxDuration',
    { targets: [target({ sli: { kind: 'duration', maxDuration: '1h' } })] },
    'targets[0].sli.maxDuration',
  ],
  [
    'rolling window without duration',
    { targets: [target({ window: { type: 'rolling' } })] },
    'targets[0].window.duration',
  ],
  [
    'calendar window with bad zone',
    {
      targets: [
        target({
          window: { type: 'calendar', unit: 'month', timeZone: 'Mars/Olympus' },
        }),
      ],
    },
    'targets[0].window.timeZone',
  ],
  [
    'calendar window with bad unit',
    {
      targets: [
        target({
          window: { type: 'calendar', unit: 'fortnight', timeZone: 'UTC' },
        }),
      ],
    },
    'targets[0].window.unit',
  ],
  [
    'opening hours end before start',
    {
      targets: [
        target({
          calendar: {
            timeZone: 'UTC',
            openingHours: { mon: [['17:00', '09:00']] },
          },
        }),
      ],
    },
    'targets[0].calendar.openingHours.mon[0]',
  ],
  [
    'opening hours on a non-day',
    {
      targets: [
        target({
          calendar: {
            timeZone: 'UTC',
            openingHours: { funday: [['09:00', '17:00']] },
          },
        }),
      ],
    },
    'targets[0].calendar.openingHours.funday',
  ],
  [
    'holiday not a date',
    {
      targets: [
        target({
          calendar: {
            timeZone: 'UTC',
            openingHours: { mon: [['09:00', '17:00']] },
            holidays: ['25/12/2026'],
          },
        }),
      ],
    },
    'targets[0].calendar.holidays[0]',
  ],
  [
    'duplicate target ids',
    { targets: [target({ id: 'a' }), target({ id: 'a' })] },
    'targets[1].id',
  ],
  [
    'maintenance window ends before it starts',
    {
      maintenanceWindows: [
        { start: '2026-03-01T04:00:00Z', end: '2026-03-01T02:00:00Z' },
      ],
    },
    'maintenanceWindows[0].end',
  ],
  [
    'weekly maintenance without zone',
    {
      maintenanceWindows: [
        { weekly: { day: 'sun', from: '02:00', to: '04:00' } },
      ],
    },
    'maintenanceWindows[0].timeZone',
  ],
  [
    'weekly maintenance bad time',
    {
      maintenanceWindows: [
        { weekly: { day: 'sun', from: '2am', to: '04:00' }, timeZone: 'UTC' },
      ],
    },
    'maintenanceWindows[0].weekly.from',
  ],
];

describe.each(databases.eachSupportedId())('sla router on %p', databaseId => {
  let http: Awaited<ReturnType<typeof startSlaBackend>>['http'];

  beforeEach(async () => {
    ({ http } = await startSlaBackend(databaseId));
  });

  const create = (auth = alice, body: object = validAgreement()) =>
    http.post('/api/sla/agreements').set('Authorization', auth).send(body);

  const count = async () =>
    (await http.get('/api/sla/agreements').set('Authorization', alice)).body
      .items.length;

  describe('without credentials', () => {
    it.each([
      ['get', '/api/sla/agreements'],
      ['post', '/api/sla/agreements'],
      ['get', '/api/sla/agreements/x'],
      ['put', '/api/sla/agreements/x'],
      ['post', '/api/sla/agreements/x/transitions'],
      ['get', '/api/sla/agreements/x/history'],
      ['get', '/api/sla/access?entityRef=component:default/checkout'],
    ])('%s %s answers 401', async (method, path) => {
      const res = await (http as any)
        [method](path)
        .send(method === 'get' ? undefined : validAgreement());
      expect(res.status).toBe(401);
    });
  });

  describe('POST /agreements', () => {
    it('creates an agreement in requirements for an owner', async () => {
      const res = await create();
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        kind: 'SLA',
        entityRef: 'component:default/checkout',
        status: 'requirements',
        version: 1,
        createdBy: 'user:default/alice',
        updatedBy: 'user:default/alice',
      });
      expect(res.body.targets.map((t: any) => t.id)).toEqual([
        'availability',
        'p1-resolution',
      ]);
      const read = await http
        .get(`/api/sla/agreements/${res.body.id}`)
        .set('Authorization', mallory);
      expect(read.status).toBe(200);
      expect(read.body.title).toBe('Checkout SLA');
    });

    it('creates in draft when asked', async () => {
      const res = await create(alice, validAgreement({ status: 'draft' }));
      expect(res.status).toBe(201);
      expect(res.body.status).toBe('draft');
    });

    it('lets a user who owns the entity directly create', async () => {
      const res = await create(
        bob,
        validAgreement({ entityRef: 'component:default/search' }),
      );
      expect(res.status).toBe(201);
    });

    it('lets a backend service create', async () => {
      expect((await create(service)).status).toBe(201);
    });

    it('refuses a non-owner with 403 and stores nothing', async () => {
      const res = await create(mallory);
      expect(res.status).toBe(403);
      expect(res.body.error.name).toBe('NotAllowedError');
      expect(res.body.error.message).toContain('group:default/team-checkout');
      expect(await count()).toBe(0);
    });

    it.each(invalidBodies)(
      'answers 400 for %s, naming %s, and stores nothing',
      async (_name, overrides, field) => {
        const res = await create(alice, validAgreement(overrides));
        expect(res.status).toBe(400);
        expect(res.body.error.name).toBe('InputError');
        expect(res.body.error.message).toContain(field);
        expect(await count()).toBe(0);
      },
    );

    it('answers 400 for a body that is not JSON', async () => {
      const res = await http
        .post('/api/sla/agreements')
        .set('Authorization', alice)
        .set('Content-Type', 'application/json')
        .send('{"kind": ');
      expect(res.status).toBe(400);
      expect(await count()).toBe(0);
    });
  });

  describe('GET /agreements', () => {
    it('filters by entity, kind and status', async () => {
      await create();
      await create(alice, validAgreement({ kind: 'OLA', status: 'draft' }));
      await create(
        bob,
        validAgreement({ entityRef: 'component:default/search' }),
      );
      const get = async (query: string) =>
        (
          await http
            .get(`/api/sla/agreements?${query}`)
            .set('Authorization', mallory)
        ).body.items;
      expect(await get('entityRef=component:default/checkout')).toHaveLength(2);
      expect(await get('kind=OLA')).toHaveLength(1);
      expect(await get('status=requirements')).toHaveLength(2);
      expect(
        await get('entityRef=component:default/search&status=draft'),
      ).toHaveLength(0);
    });

    it('answers 400 for an unknown status filter', async () => {
      const res = await http
        .get('/api/sla/agreements?status=happy')
        .set('Authorization', alice);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('status');
    });

    it('answers 404 for an unknown id', async () => {
      const res = await http
        .get('/api/sla/agreements/nope')
        .set('Authorization', alice);
      expect(res.status).toBe(404);
    });
  });

  describe('PUT /agreements/{id}', () => {
    it('stores a new version and records what changed', async () => {
      const { body: created } = await create();
      const body = validAgreement({ title: 'Checkout SLA 2027', version: 1 });
      body.targets[0] = {
        ...body.targets[0],
        id: 'availability',
        objective: 99.95,
      } as any;
      const res = await http
        .put(`/api/sla/agreements/${created.id}`)
        .set('Authorization', alice)
        .send(body);
      expect(res.status).toBe(200);
      expect(res.body.version).toBe(2);
      expect(res.body.title).toBe('Checkout SLA 2027');
      expect(res.body.targets[0].objective).toBe(99.95);
      const history = await http
        .get(`/api/sla/agreements/${created.id}/history`)
        .set('Authorization', alice);
      expect(history.body.items[0]).toMatchObject({
        version: 2,
        changedBy: 'user:default/alice',
        change: {
          type: 'updated',
          fields: ['title', 'targets.availability.objective'],
        },
      });
      expect(history.body.items[0].change.summary).toContain('99.9 → 99.95');
    });

    it('answers 409 for a stale version and keeps the newer one', async () => {
      const { body: created } = await create();
      const put = (title: string) =>
        http
          .put(`/api/sla/agreements/${created.id}`)
          .set('Authorization', alice)
          .send(validAgreement({ title, version: 1 }));
      expect((await put('First')).status).toBe(200);
      const stale = await put('Second');
      expect(stale.status).toBe(409);
      expect(stale.body.error.message).toContain('version 1 is stale');
      const read = await http
        .get(`/api/sla/agreements/${created.id}`)
        .set('Authorization', alice);
      expect(read.body).toMatchObject({ title: 'First', version: 2 });
    });

    it('lets only one of two concurrent edits of the same version win', async () => {
      const { body: created } = await create();
      const results = await Promise.all(
        ['A', 'B', 'C'].map(title =>
          http
            .put(`/api/sla/agreements/${created.id}`)
            .set('Authorization', alice)
            .send(validAgreement({ title, version: 1 })),
        ),
      );
      expect(results.map(r => r.status).sort()).toEqual([200, 409, 409]);
      const history = await http
        .get(`/api/sla/agreements/${created.id}/history`)
        .set('Authorization', alice);
      expect(history.body.items.map((i: any) => i.version)).toEqual([2, 1]);
    });

    it('refuses a non-owner with 403 and changes nothing', async () => {
      const { body: created } = await create();
      const res = await http
        .put(`/api/sla/agreements/${created.id}`)
        .set('Authorization', mallory)
        .send(validAgreement({ title: 'Hijacked', version: 1 }));
      expect(res.status).toBe(403);
      const read = await http
        .get(`/api/sla/agreements/${created.id}`)
        .set('Authorization', alice);
      expect(read.body).toMatchObject({ title: 'Checkout SLA', version: 1 });
    });

    it('answers 400 naming the field and changes nothing', async () => {
      const { body: created } = await create();
      const res = await http
        .put(`/api/sla/agreements/${created.id}`)
        .set('Authorization', alice)
        .send(
          validAgreement({ version: 1, targets: [target({ objective: 120 })] }),
        );
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('targets[0].objective');
      const read = await http
        .get(`/api/sla/agreements/${created.id}`)
        .set('Authorization', alice);
      expect(read.body.version).toBe(1);
      expect(read.body.targets[0].objective).toBe(99.9);
    });

    it('requires the version it was read at', async () => {
      const { body: created } = await create();
      const res = await http
        .put(`/api/sla/agreements/${created.id}`)
        .set('Authorization', alice)
        .send(validAgreement());
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('version');
    });

    it('refuses to move an agreement to another entity', async () => {
      const { body: created } = await create();
      const res = await http
        .put(`/api/sla/agreements/${created.id}`)
        .set('Authorization', alice)
        .send(
          validAgreement({ version: 1, entityRef: 'component:default/search' }),
        );
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('entityRef');
    });
  });

  describe('POST /agreements/{id}/transitions', () => {
    const move = (id: string, to: string, auth = alice, extra = {}) =>
      http
        .post(`/api/sla/agreements/${id}/transitions`)
        .set('Authorization', auth)
        .send({ to, ...extra });

    it('walks the lifecycle to agreed and records each step', async () => {
      const { body: created } = await create();
      for (const to of ['draft', 'negotiation', 'agreed']) {
        const res = await move(created.id, to, alice, { comment: `to ${to}` });
        expect(res.status).toBe(200);
        expect(res.body.status).toBe(to);
      }
      const agreed = await http
        .get(`/api/sla/agreements/${created.id}`)
        .set('Authorization', alice);
      expect(agreed.body).toMatchObject({
        status: 'agreed',
        version: 4,
        agreedBy: 'user:default/alice',
      });
      expect(agreed.body.nextReviewDue).toBeDefined();
      const history = await http
        .get(`/api/sla/agreements/${created.id}/history`)
        .set('Authorization', alice);
      expect(
        history.body.items.map((i: any) => [
          i.version,
          i.status,
          i.change.type,
        ]),
      ).toEqual([
        [4, 'agreed', 'transition'],
        [3, 'negotiation', 'transition'],
        [2, 'draft', 'transition'],
        [1, 'requirements', 'created'],
      ]);
      expect(history.body.items[0].change).toMatchObject({
        from: 'negotiation',
        to: 'agreed',
        comment: 'to agreed',
      });
    });

    it('answers 409 naming the allowed moves for an illegal transition', async () => {
      const { body: created } = await create();
      const res = await move(created.id, 'agreed');
      expect(res.status).toBe(409);
      expect(res.body.error.message).toContain('allowed: draft, withdrawn');
      const read = await http
        .get(`/api/sla/agreements/${created.id}`)
        .set('Authorization', alice);
      expect(read.body).toMatchObject({ status: 'requirements', version: 1 });
    });

    it('withdraws instead of deleting, and a withdrawn agreement is final', async () => {
      const { body: created } = await create();
      expect((await move(created.id, 'withdrawn')).body.status).toBe(
        'withdrawn',
      );
      const res = await move(created.id, 'draft');
      expect(res.status).toBe(409);
      expect(res.body.error.message).toContain('withdrawn is final');
      const list = await http
        .get('/api/sla/agreements?status=withdrawn')
        .set('Authorization', alice);
      expect(list.body.items).toHaveLength(1);
    });

    it('refuses to agree an agreement without targets', async () => {
      const { body: created } = await create(
        alice,
        validAgreement({ status: 'draft', targets: [] }),
      );
      await move(created.id, 'negotiation');
      const res = await move(created.id, 'agreed');
      expect(res.status).toBe(409);
      expect(res.body.error.message).toContain('at least one target');
    });

    it('does not allow edits once agreed', async () => {
      const { body: created } = await create(
        alice,
        validAgreement({ status: 'draft' }),
      );
      await move(created.id, 'negotiation');
      await move(created.id, 'agreed');
      const res = await http
        .put(`/api/sla/agreements/${created.id}`)
        .set('Authorization', alice)
        .send(validAgreement({ version: 3, title: 'Sneaky' }));
      expect(res.status).toBe(409);
      expect(res.body.error.message).toContain('under-review');
    });

    it('prolongs an agreement at review', async () => {
      const { body: created } = await create(
        alice,
        validAgreement({ status: 'draft' }),
      );
      await move(created.id, 'negotiation');
      await move(created.id, 'agreed');
      await move(created.id, 'under-review');
      const res = await move(created.id, 'agreed', alice, {
        validUntil: '2028-01-01T00:00:00Z',
      });
      expect(res.status).toBe(200);
      expect(res.body.validUntil).toBe('2028-01-01T00:00:00Z');
      const history = await http
        .get(`/api/sla/agreements/${created.id}/history`)
        .set('Authorization', alice);
      expect(history.body.items[0].change.summary).toContain('prolonged');
    });

    it('answers 409 when the version given is stale', async () => {
      const { body: created } = await create();
      await move(created.id, 'draft');
      const res = await move(created.id, 'withdrawn', alice, { version: 1 });
      expect(res.status).toBe(409);
    });

    it('refuses a non-owner with 403', async () => {
      const { body: created } = await create();
      const res = await move(created.id, 'draft', mallory);
      expect(res.status).toBe(403);
    });

    it('answers 400 for an unknown status', async () => {
      const { body: created } = await create();
      const res = await move(created.id, 'party');
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('to');
    });
  });

  describe('GET /agreements/{id}/history', () => {
    it('answers 404 for an unknown agreement', async () => {
      const res = await http
        .get('/api/sla/agreements/nope/history')
        .set('Authorization', alice);
      expect(res.status).toBe(404);
    });
  });

  describe('GET /access', () => {
    it('tells owners and non-owners apart', async () => {
      const ask = async (auth: string) =>
        (
          await http
            .get('/api/sla/access?entityRef=component:default/checkout')
            .set('Authorization', auth)
        ).body;
      expect(await ask(alice)).toEqual({
        entityRef: 'component:default/checkout',
        create: true,
        update: true,
      });
      expect(await ask(mallory)).toMatchObject({
        create: false,
        update: false,
      });
    });

    it('answers 400 without entityRef', async () => {
      const res = await http.get('/api/sla/access').set('Authorization', alice);
      expect(res.status).toBe(400);
    });
  });
});

describe.each(databases.eachSupportedId())(
  'sla permissions on %p',
  databaseId => {
    it('lets the policy deny even an owner', async () => {
      const { http } = await startSlaBackend(databaseId, {
        deny: ['sla.agreement.create'],
      });
      const res = await http
        .post('/api/sla/agreements')
        .set('Authorization', alice)
        .send(validAgreement());
      expect(res.status).toBe(403);
    });

    it('hides agreements the policy does not let the caller read', async () => {
      const { http } = await startSlaBackend(databaseId, {
        deny: ['sla.agreement.read'],
      });
      const created = await http
        .post('/api/sla/agreements')
        .set('Authorization', alice)
        .send(validAgreement());
      expect(created.status).toBe(201);
      const list = await http
        .get('/api/sla/agreements')
        .set('Authorization', alice);
      expect(list.body.items).toEqual([]);
      const read = await http
        .get(`/api/sla/agreements/${created.body.id}`)
        .set('Authorization', alice);
      expect(read.status).toBe(403);
    });

    it('denies updates when the policy denies sla.agreement.update', async () => {
      const { http } = await startSlaBackend(databaseId, {
        deny: ['sla.agreement.update'],
      });
      const created = await http
        .post('/api/sla/agreements')
        .set('Authorization', alice)
        .send(validAgreement());
      const moved = await http
        .post(`/api/sla/agreements/${created.body.id}/transitions`)
        .set('Authorization', alice)
        .send({ to: 'draft' });
      expect(moved.status).toBe(403);
      const access = await http
        .get('/api/sla/access?entityRef=component:default/checkout')
        .set('Authorization', alice);
      expect(access.body).toMatchObject({ create: true, update: false });
    });

    it('lets the policy alone decide when requireOwnership is false', async () => {
      const { http } = await startSlaBackend(databaseId, {
        config: { sla: { permissions: { requireOwnership: false } } },
      });
      const res = await http
        .post('/api/sla/agreements')
        .set('Authorization', mallory)
        .send(validAgreement());
      expect(res.status).toBe(201);
    });
  },
);
