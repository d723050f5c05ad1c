import { mockServices } from '@backstage/backend-test-utils';
import type { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import { capturingScheduler } from '../__testUtils__/capturingScheduler';
import {
  alice,
  bob,
  databases,
  sentNotifications,
  startSlaBackend,
  validAgreement,
} from '../__testUtils__/testBackend';
import { AgreementStore } from '../store/AgreementStore';
import { ExpiryStore } from '../store/ExpiryStore';
import { AgreementService } from './AgreementService';
import { ExpiryService } from './ExpiryService';
import { SlaNotifier } from './SlaNotifier';
import { BreachService } from './BreachService';
import { BreachStore } from '../store/BreachStore';
import { TargetStateStore } from '../store/TargetStateStore';

jest.setTimeout(180_000);

const CHECKOUT = 'component:default/checkout';
const END = '2027-01-01T00:00:00Z';
const at = (iso: string) => Date.parse(iso);

describe.each(databases.eachSupportedId())('expiry on %p', databaseId => {
  let backend: Awaited<ReturnType<typeof startSlaBackend>>;
  let http: typeof backend.http;
  /** Notifications of the expiry services made by `expiryAt`. */
  let sent: NotificationSendOptions[];

  beforeEach(async () => {
    backend = await startSlaBackend(databaseId);
    http = backend.http;
    sent = [];
  });

  /** An expiry run as the scheduled task makes it, with the clock at `when`. */
  function expiryService(noticeDays = [30, 7, 1]) {
    const store = new AgreementStore(backend.knex);
    return new ExpiryService({
      store: new ExpiryStore(backend.knex),
      agreements: new AgreementService({
        store,
        guard: undefined as any,
        logger: mockServices.logger.mock(),
        clock: () => new Date(),
      }),
      notifier: new SlaNotifier({
        notifications: { send: async n => void sent.push(n) },
        logger: mockServices.logger.mock(),
      }),
      logger: mockServices.logger.mock(),
      noticeDays,
      breaches: new BreachService({
        breachStore: new BreachStore(backend.knex),
        states: new TargetStateStore(backend.knex),
        agreements: store,
        logger: mockServices.logger.mock(),
      } as any),
    });
  }
  const runAt = (when: string, service = expiryService()) =>
    service.run(at(when));

  async function create(overrides: Record<string, unknown> = {}) {
    const res = await http
      .post('/api/sla/agreements')
      .set('Authorization', alice)
      .send(validAgreement(overrides));
    expect(res.status).toBe(201);
    return res.body.id as string;
  }
  async function move(id: string, to: string, extra: object = {}) {
    return http
      .post(`/api/sla/agreements/${id}/transitions`)
      .set('Authorization', alice)
      .send({ to, ...extra });
  }
  /** An agreed checkout SLA, valid until END unless overridden. */
  async function agreed(overrides: Record<string, unknown> = {}) {
    const id = await create(overrides);
    for (const to of ['draft', 'negotiation', 'agreed']) {
      expect((await move(id, to)).status).toBe(200);
    }
    return id;
  }
  const get = async (id: string) =>
    (await http.get(`/api/sla/agreements/${id}`).set('Authorization', bob))
      .body;
  const history = async (id: string) =>
    (
      await http
        .get(`/api/sla/agreements/${id}/history`)
        .set('Authorization', bob)
    ).body.items;
  const titles = () => sent.map(n => n.payload.title);

  it('moves an agreement past validUntil to expired, with a history entry by the plugin', async () => {
    const id = await agreed();
    const before = await runAt('2026-12-31T23:59:59Z');
    expect(before.expired).toEqual([]);
    expect((await get(id)).status).toBe('agreed');

    const run = await runAt(END);
    expect(run.expired).toEqual([id]);
    const agreement = await get(id);
    expect(agreement).toMatchObject({
      status: 'expired',
      version: 5,
      updatedBy: 'plugin:sla',
      updatedAt: '2027-01-01T00:00:00.000Z',
    });
    const [latest] = await history(id);
    expect(latest).toMatchObject({
      version: 5,
      status: 'expired',
      changedBy: 'plugin:sla',
      changedAt: '2027-01-01T00:00:00.000Z',
      change: {
        type: 'transition',
        summary: 'agreed → expired',
        from: 'agreed',
        to: 'expired',
        comment: `validUntil ${END} passed`,
      },
    });
    // the run a second before gave the 1-day notice
    expect(titles()).toEqual([
      'Checkout SLA expires in 1 day (2027-01-01)',
      'Checkout SLA expired on 2027-01-01',
    ]);
    expect(sent[1]).toMatchObject({
      recipients: { type: 'entity', entityRef: CHECKOUT },
      payload: {
        title: 'Checkout SLA expired on 2027-01-01',
        severity: 'high',
        link: '/catalog/default/component/checkout/service-levels',
      },
    });

    // Expired is final for the task: later runs change nothing
    expect((await runAt('2027-02-01T00:00:00Z')).expired).toEqual([]);
    expect((await get(id)).version).toBe(5);
    expect(sent).toHaveLength(2);
    // and the owners may renegotiate it
    expect((await move(id, 'negotiation')).status).toBe(200);
  });

  it('treats targets past validUntil as not in force in attainment', async () => {
    await agreed();
    const attainment = async (when: string) =>
      (
        await http
          .get(`/api/sla/attainment?entityRef=${CHECKOUT}&at=${when}`)
          .set('Authorization', bob)
      ).body.items;
    expect(await attainment('2026-12-31T23:59:59Z')).toHaveLength(2);
    // before the task ran, and after
    expect(await attainment(END)).toEqual([]);
    await runAt(END);
    expect(await attainment('2027-01-02T00:00:00Z')).toEqual([]);
  });

  it('closes the open breaches of an agreement when it expires', async () => {
    const id = await agreed();
    const now = Date.now();
    const pushed = await http
      .post('/api/sla/measurements')
      .set('Authorization', alice)
      .send({
        items: [
          {
            entityRef: CHECKOUT,
            metric: 'checkout_requests',
            timestamp: new Date(now - 600_000).toISOString(),
            good: 10,
            total: 100,
          },
        ],
      });
    expect(pushed.status).toBe(200);
    const breaches = async () =>
      (
        await http
          .get(`/api/sla/breaches?entityRef=${CHECKOUT}`)
          .set('Authorization', bob)
      ).body.items;
    const [open] = await breaches();
    expect(open).toMatchObject({ agreementId: id, closedAt: null });

    expect((await runAt(END)).expired).toEqual([id]);
    const [closed] = await breaches();
    expect(closed).toMatchObject({
      id: open.id,
      closedAt: '2027-01-01T00:00:00.000Z',
    });
  });

  it('expires an agreement under review too', async () => {
    const id = await agreed();
    expect((await move(id, 'under-review')).status).toBe(200);
    expect((await runAt('2027-01-02T00:00:00Z')).expired).toEqual([id]);
    expect((await history(id))[0].change.from).toBe('under-review');
  });

  it('leaves requirements, drafts, negotiations and withdrawn agreements alone', async () => {
    const requirements = await create();
    const draft = await create();
    await move(draft, 'draft');
    const negotiation = await create();
    await move(negotiation, 'draft');
    await move(negotiation, 'negotiation');
    const withdrawn = await agreed();
    await move(withdrawn, 'withdrawn');
    const open = await agreed({ validUntil: undefined });

    const run = await runAt('2030-01-01T00:00:00Z');
    expect(run).toEqual({ expired: [], notices: 0 });
    expect(sent).toEqual([]);
    for (const [id, status, version] of [
      [requirements, 'requirements', 1],
      [draft, 'draft', 2],
      [negotiation, 'negotiation', 3],
      [withdrawn, 'withdrawn', 5],
      [open, 'agreed', 4],
    ] as const) {
      expect(await get(id)).toMatchObject({ status, version });
    }
  });

  it('gives notice once per threshold, across runs, restarts and concurrent runs', async () => {
    await agreed();
    // 30 days and a second before: nothing yet
    expect((await runAt('2026-12-01T23:59:59Z')).notices).toBe(0);
    expect((await runAt('2026-12-02T00:00:00Z')).notices).toBe(1);
    expect(titles()).toEqual(['Checkout SLA expires in 30 days (2027-01-01)']);
    expect(sent[0].payload).toMatchObject({
      severity: 'normal',
      scope: `sla:${sent[0].payload.scope!.split(':')[1]}:expiry:${END}`,
    });
    // the next run, and a fresh service (a restart or another replica)
    expect((await runAt('2026-12-02T00:15:00Z')).notices).toBe(0);
    expect((await runAt('2026-12-10T00:00:00Z', expiryService())).notices).toBe(
      0,
    );
    // two replicas at the 7-day threshold at once: one notice
    const [a, b] = await Promise.all([
      runAt('2026-12-25T00:00:00Z', expiryService()),
      runAt('2026-12-25T00:00:00Z', expiryService()),
    ]);
    expect(a.notices + b.notices).toBe(1);
    expect(titles()).toEqual([
      'Checkout SLA expires in 30 days (2027-01-01)',
      'Checkout SLA expires in 7 days (2027-01-01)',
    ]);
    expect(sent[1].payload.severity).toBe('high');
    expect((await runAt('2026-12-31T12:00:00Z')).notices).toBe(1);
    expect(titles()[2]).toBe('Checkout SLA expires in 1 day (2027-01-01)');
    expect((await runAt('2026-12-31T18:00:00Z')).notices).toBe(0);
  });

  it('sends only the nearest notice when several thresholds were crossed while it did not run', async () => {
    await agreed();
    expect((await runAt('2026-12-28T00:00:00Z')).notices).toBe(1);
    expect(titles()).toEqual(['Checkout SLA expires in 4 days (2027-01-01)']);
    // the skipped 30-day notice is never sent later
    expect((await runAt('2026-12-29T00:00:00Z')).notices).toBe(0);
    const rows = await backend
      .knex('sla_expiry_notices')
      .orderBy('days')
      .select('days', 'sent');
    expect(rows.map(r => [r.days, Boolean(r.sent)])).toEqual([
      [7, true],
      [30, false],
    ]);
  });

  it('expires two concurrent runs once', async () => {
    const id = await agreed();
    const runs = await Promise.all([
      runAt('2027-01-01T00:05:00Z', expiryService()),
      runAt('2027-01-01T00:05:00Z', expiryService()),
    ]);
    expect(runs.flatMap(r => r.expired)).toEqual([id]);
    const entries = await history(id);
    expect(entries.filter((e: any) => e.status === 'expired')).toHaveLength(1);
    expect(titles()).toEqual(['Checkout SLA expired on 2027-01-01']);
  });

  it('does not expire a prolonged agreement, and prolonging resets the notices', async () => {
    const id = await agreed();
    expect((await runAt('2026-12-25T00:00:00Z')).notices).toBe(1);
    expect((await move(id, 'under-review')).status).toBe(200);
    const prolonged = await move(id, 'agreed', {
      validUntil: '2027-07-01T00:00:00Z',
    });
    expect(prolonged.status).toBe(200);

    expect(await runAt('2027-01-02T00:00:00Z')).toEqual({
      expired: [],
      notices: 0,
    });
    expect(await get(id)).toMatchObject({
      status: 'agreed',
      validUntil: '2027-07-01T00:00:00Z',
    });
    // the new period gives notice again from its first threshold
    expect((await runAt('2027-06-01T00:00:00Z')).notices).toBe(1);
    expect(titles()).toEqual([
      'Checkout SLA expires in 7 days (2027-01-01)',
      'Checkout SLA expires in 30 days (2027-07-01)',
    ]);
    expect((await runAt('2027-07-01T00:00:00Z')).expired).toEqual([id]);
  });

  it('never undoes a prolongation that races the expiry', async () => {
    const id = await agreed();
    await move(id, 'under-review');
    // The expiry reads the agreement (under review, validUntil passed);
    // before it writes, the owner prolongs it.
    const store = new AgreementStore(backend.knex);
    let raced = false;
    let prolongStatus = 0;
    const racing = Object.create(store) as AgreementStore;
    racing.get = async (agreementId: string) => {
      const read = await store.get(agreementId);
      if (!raced) {
        raced = true;
        const res = await move(id, 'agreed', {
          validUntil: '2027-07-01T00:00:00Z',
        });
        prolongStatus = res.status;
      }
      return read;
    };
    const agreements = new AgreementService({
      store: racing,
      guard: undefined as any,
      logger: mockServices.logger.mock(),
      clock: () => new Date(),
    });
    expect(await agreements.expire(id, at('2027-01-02T00:00:00Z'))).toBe(
      undefined,
    );
    expect(raced).toBe(true);
    expect(prolongStatus).toBe(200);
    expect(await get(id)).toMatchObject({
      status: 'agreed',
      validUntil: '2027-07-01T00:00:00Z',
      version: 6,
    });
    expect((await history(id)).map((e: any) => e.status)).not.toContain(
      'expired',
    );
  });

  it('refuses a stale prolongation cleanly once the expiry won (409)', async () => {
    const id = await agreed();
    await move(id, 'under-review');
    const read = await get(id);
    await runAt('2027-01-02T00:00:00Z');
    const late = await move(id, 'agreed', {
      validUntil: '2027-07-01T00:00:00Z',
      version: read.version,
    });
    expect(late.status).toBe(409);
    expect(late.body.error.message).toContain('plugin:sla');
    expect(await get(id)).toMatchObject({ status: 'expired', validUntil: END });
  });

  it('sends no advance notice with noticeDays [], but still tells about the expiry', async () => {
    await agreed();
    const quiet = expiryService([]);
    expect((await runAt('2026-12-31T00:00:00Z', quiet)).notices).toBe(0);
    expect((await runAt(END, quiet)).expired).toHaveLength(1);
    expect(titles()).toEqual(['Checkout SLA expired on 2027-01-01']);
  });
});

describe.each(databases.eachSupportedId())(
  'expiry in the running plugin on %p',
  databaseId => {
    it('schedules the task every 15 minutes by default; a run expires what is past validUntil, shows it in history, attainment and portfolio', async () => {
      const { tasks, factory } = capturingScheduler();
      const { http } = await startSlaBackend(databaseId, {
        features: [factory],
      });
      const task = tasks.get('sla-agreement-expiry')!;
      expect(task).toMatchObject({
        frequency: { minutes: 15 },
        initialDelay: { seconds: 10 },
      });

      // Valid until an hour ago (the clock is the real one here)
      const validUntil = new Date(Date.now() - 3_600_000).toISOString();
      const created = await http
        .post('/api/sla/agreements')
        .set('Authorization', alice)
        .send(
          validAgreement({ validFrom: '2025-01-01T00:00:00Z', validUntil }),
        );
      const id = created.body.id;
      for (const to of ['draft', 'negotiation', 'agreed']) {
        await http
          .post(`/api/sla/agreements/${id}/transitions`)
          .set('Authorization', alice)
          .send({ to });
      }
      const attainment = () =>
        http
          .get(`/api/sla/attainment?entityRef=${CHECKOUT}`)
          .set('Authorization', bob);
      // Past validUntil, not in force even before the task ran
      expect((await attainment()).body.items).toEqual([]);

      sentNotifications.length = 0;
      await task.fn();
      const agreement = await http
        .get(`/api/sla/agreements/${id}`)
        .set('Authorization', bob);
      expect(agreement.body).toMatchObject({
        status: 'expired',
        updatedBy: 'plugin:sla',
      });
      expect(sentNotifications.map(n => n.payload.title)).toEqual([
        `Checkout SLA expired on ${validUntil.slice(0, 10)}`,
      ]);
      expect((await attainment()).body.items).toEqual([]);

      const portfolio = await http
        .get('/api/sla/portfolio')
        .set('Authorization', bob);
      expect(portfolio.status).toBe(200);
      const checkout = portfolio.body.items.find(
        (s: any) => s.entityRef === CHECKOUT,
      );
      expect(checkout).toMatchObject({
        agreements: 1,
        agreementsInForce: 0,
        targets: 0,
        slaAgreedInDate: false,
      });
    });

    it('reads sla.expiry.frequency', async () => {
      const { tasks, factory } = capturingScheduler();
      await startSlaBackend(databaseId, {
        features: [factory],
        config: { sla: { expiry: { frequency: { hours: 1 } } } },
      });
      expect(tasks.get('sla-agreement-expiry')!.frequency).toEqual({
        hours: 1,
      });
    });
  },
);
