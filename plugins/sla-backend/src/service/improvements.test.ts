import {
  alice,
  bob,
  databases,
  mallory,
  startSlaBackend,
  validAgreement,
} from '../__testUtils__/testBackend';

jest.setTimeout(180_000);

const CHECKOUT = 'component:default/checkout';

describe.each(databases.eachSupportedId())('improvements on %p', databaseId => {
  let http: Awaited<ReturnType<typeof startSlaBackend>>['http'];

  beforeEach(async () => {
    ({ http } = await startSlaBackend(databaseId));
  });

  const initiative = (extra: object = {}) => ({
    entityRef: CHECKOUT,
    title: 'Faster P1 handling',
    source: 'review',
    owner: 'user:default/alice',
    due: '2020-01-01T00:00:00Z',
    ...extra,
  });
  const post = (who: string, body: object) =>
    http.post('/api/sla/improvements').set('Authorization', who).send(body);
  const put = (who: string, id: string, body: object) =>
    http
      .put(`/api/sla/improvements/${id}`)
      .set('Authorization', who)
      .send(body);
  const list = () =>
    http
      .get(`/api/sla/improvements?entityRef=${CHECKOUT}`)
      .set('Authorization', bob);
  const count = async () => (await list()).body.items.length;

  it.each([
    ['get', `/api/sla/improvements?entityRef=${CHECKOUT}`],
    ['post', '/api/sla/improvements'],
    ['put', '/api/sla/improvements/x'],
  ])('%s %s answers 401 without credentials', async (method, path) => {
    const res = await (http as any)[method](path).send({});
    expect(res.status).toBe(401);
  });

  it('starts an initiative linked to a target; consumers see the plan', async () => {
    const agreement = await http
      .post('/api/sla/agreements')
      .set('Authorization', alice)
      .send(validAgreement());
    const targetId = agreement.body.targets[1].id;
    const res = await post(
      alice,
      initiative({ targets: [{ agreementId: agreement.body.id, targetId }] }),
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      entityRef: CHECKOUT,
      status: 'proposed',
      source: 'review',
      due: '2020-01-01T00:00:00.000Z',
      targets: [{ agreementId: agreement.body.id, targetId }],
      version: 1,
      createdBy: 'user:default/alice',
    });
    const read = await list();
    expect(read.status).toBe(200);
    expect(read.body.items).toHaveLength(1);
    expect(read.body.plan).toEqual({
      total: 1,
      open: 1,
      done: 0,
      cancelled: 0,
      overdue: 1,
      progress: 0,
    });
  });

  it('tracks an initiative to the end; done is final', async () => {
    const { body: created } = await post(alice, initiative());
    const { id, version: _v, createdAt: _c, ...rest } = created;
    const moving = await put(alice, id, {
      ...rest,
      entityRef: undefined,
      version: 1,
      status: 'in-progress',
      progress: 60,
    });
    expect(moving.status).toBe(200);
    expect(moving.body).toMatchObject({
      status: 'in-progress',
      progress: 60,
      version: 2,
    });
    const done = await put(alice, id, {
      title: 'Faster P1 handling',
      source: 'review',
      owner: 'user:default/alice',
      version: 2,
      status: 'done',
    });
    expect(done.status).toBe(200);
    expect(done.body.completedAt).toEqual(expect.any(String));
    expect((await list()).body.plan).toMatchObject({
      done: 1,
      overdue: 0,
      progress: 100,
    });
    const reopen = await put(alice, id, {
      title: 'Again',
      source: 'review',
      owner: 'user:default/alice',
      version: 3,
      status: 'in-progress',
    });
    expect(reopen.status).toBe(409);
    expect((await list()).body.items[0]).toMatchObject({
      status: 'done',
      version: 3,
    });
  });

  it('answers 403 to non-owners, storing nothing', async () => {
    expect((await post(mallory, initiative())).status).toBe(403);
    expect(await count()).toBe(0);
    const { body } = await post(alice, initiative());
    const res = await put(mallory, body.id, {
      title: 'Hijacked',
      source: 'review',
      owner: 'user:default/mallory',
      version: 1,
    });
    expect(res.status).toBe(403);
    expect((await list()).body.items[0].title).toBe('Faster P1 handling');
  });

  it('answers 409 for a stale version and 404 for an unknown id', async () => {
    const { body } = await post(alice, initiative());
    const change = {
      title: 'X',
      source: 'breach',
      owner: 'user:default/alice',
    };
    expect((await put(alice, body.id, { ...change, version: 1 })).status).toBe(
      200,
    );
    const stale = await put(alice, body.id, {
      ...change,
      title: 'Y',
      version: 1,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.name).toBe('ConflictError');
    expect((await list()).body.items[0].title).toBe('X');
    expect((await put(alice, 'nope', { ...change, version: 1 })).status).toBe(
      404,
    );
  });

  it.each([
    ['no title', { title: undefined }, 'title'],
    ['unknown source', { source: 'rumour' }, 'source'],
    ['no owner', { owner: '' }, 'owner'],
    ['progress above 100', { progress: 120 }, 'progress'],
    ['bad due date', { due: 'soon' }, 'due'],
    ['unknown entity', { entityRef: 'component:default/nope' }, 'entityRef'],
    [
      'unknown agreement',
      { targets: [{ agreementId: 'nope', targetId: 't' }] },
      'targets[0].agreementId',
    ],
  ])(
    'answers 400 for %s, naming the field and storing nothing',
    async (_n, extra, field) => {
      const res = await post(alice, initiative(extra));
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toContain(field);
      expect(await count()).toBe(0);
    },
  );

  it('answers 400 on PUT without a version, changing nothing', async () => {
    const { body } = await post(alice, initiative());
    const res = await put(alice, body.id, {
      title: 'Z',
      source: 'review',
      owner: 'x',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('version');
    expect((await list()).body.items[0].version).toBe(1);
  });

  it('answers 403 to reads the policy denies', async () => {
    ({ http } = await startSlaBackend(databaseId, {
      deny: ['sla.agreement.read'],
    }));
    expect((await list()).status).toBe(403);
  });
});
