import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  SlaTicketSink,
  slaTicketFeedsExtensionPoint,
} from '@opensla/backstage-plugin-sla-node';
import { capturingScheduler } from '../__testUtils__/capturingScheduler';
import {
  alice,
  bob,
  databases,
  mallory,
  sentNotifications,
  service,
  startSlaBackend,
} from '../__testUtils__/testBackend';

jest.setTimeout(180_000);

const HOUR = 3_600_000;
const MINUTE = 60_000;
const CHECKOUT = 'component:default/checkout';
const iso = (t: number) => new Date(t).toISOString();
/** The evaluation instant of the route tests: Wednesday 10 June 2026, 12:00Z. */
const at = Date.parse('2026-06-10T12:00:00Z');

/** An SLA on checkout with P1 response (15 min) and resolution (4 h) targets. */
function ticketSla(window = { type: 'rolling', duration: 'P7D' }) {
  return {
    kind: 'SLA',
    entityRef: CHECKOUT,
    title: 'Checkout support',
    status: 'draft',
    targets: [
      {
        id: 'p1-response',
        name: 'P1 response',
        aspect: 'support',
        metric: 'tickets',
        sli: {
          kind: 'ticket',
          measure: 'response',
          maxDuration: 'PT15M',
          priority: 'P1',
        },
        objective: 90,
        window,
      },
      {
        id: 'p1-resolution',
        name: 'P1 resolution',
        aspect: 'support',
        metric: 'tickets',
        sli: {
          kind: 'ticket',
          measure: 'resolution',
          maxDuration: 'PT4H',
          priority: 'P1',
        },
        objective: 50,
        window,
      },
    ],
  };
}

const change = (
  ticketId: string,
  t: number,
  state: string,
  extra: object = {},
) => ({
  source: 'api',
  ticketId,
  entityRef: CHECKOUT,
  at: iso(t),
  state,
  ...extra,
});

/** INC-1: P1, answered in 10 min, waiting on the customer 1 h, resolved. */
const inc1 = [
  change('INC-1', at - 5 * HOUR, 'new', {
    priority: 'P1',
    title: 'Checkout down',
  }),
  change('INC-1', at - 5 * HOUR + 10 * MINUTE, 'in-progress'),
  change('INC-1', at - 4 * HOUR, 'waiting-on-customer'),
  change('INC-1', at - 3 * HOUR, 'in-progress'),
  change('INC-1', at - 2 * HOUR, 'resolved'),
];
/** INC-2: P1, open, answered late (30 min), now waiting on the customer. */
const inc2 = [
  change('INC-2', at - 3 * HOUR, 'new', { priority: 'P1' }),
  change('INC-2', at - 150 * MINUTE, 'in-progress'),
  change('INC-2', at - 2 * HOUR, 'waiting-on-customer'),
];

describe.each(databases.eachSupportedId())('tickets on %p', databaseId => {
  let http: Awaited<ReturnType<typeof startSlaBackend>>['http'];
  let knex: Awaited<ReturnType<typeof startSlaBackend>>['knex'];

  beforeEach(async () => {
    ({ http, knex } = await startSlaBackend(databaseId));
  });

  async function agree(body: object) {
    const created = await http
      .post('/api/sla/agreements')
      .set('Authorization', alice)
      .send(body);
    expect(created.body).toMatchObject({ id: expect.any(String) });
    expect(created.status).toBe(201);
    for (const to of ['negotiation', 'agreed']) {
      const moved = await http
        .post(`/api/sla/agreements/${created.body.id}/transitions`)
        .set('Authorization', alice)
        .send({ to });
      expect(moved.status).toBe(200);
    }
    return created.body.id as string;
  }

  const post = (items: object[], auth = service) =>
    http.post('/api/sla/tickets').set('Authorization', auth).send({ items });
  const list = (query: string, auth = bob) =>
    http.get(`/api/sla/tickets?${query}`).set('Authorization', auth);
  const stored = async () =>
    Number((await knex('sla_ticket_changes').count({ n: '*' }))[0].n);

  it('answers 401 without credentials and 403 for a user who does not own the entity', async () => {
    expect(
      (await http.post('/api/sla/tickets').send({ items: [] })).status,
    ).toBe(401);
    expect(
      (await http.get(`/api/sla/tickets?entityRef=${CHECKOUT}`)).status,
    ).toBe(401);
    const res = await post(inc1, mallory);
    expect(res.status).toBe(403);
    expect(res.body.error.name).toBe('NotAllowedError');
    expect(await stored()).toBe(0);
  });

  it('GET /tickets: 400 naming the query field, 403 when reading the entity is denied', async () => {
    await post(inc2);
    const missing = await list('state=open');
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain('entityRef');
    const badState = await list(`entityRef=${CHECKOUT}&state=closed-ish`);
    expect(badState.status).toBe(400);
    expect(badState.body.error.message).toContain('state');
    const denied = await startSlaBackend(databaseId, {
      knex,
      deny: ['sla.agreement.read'],
    });
    const res = await denied.http
      .get(`/api/sla/tickets?entityRef=${CHECKOUT}`)
      .set('Authorization', bob);
    expect(res.status).toBe(403);
    expect(res.body.error.name).toBe('NotAllowedError');
    expect(JSON.stringify(res.body)).not.toContain('INC-2');
  });

  it('refuses a batch with a bad item, naming the field, and stores nothing', async () => {
    const res = await post([
      ...inc1,
      change('INC-9', at, 'snoozed'),
      { ...change('INC-9', at, 'new'), at: 'yesterday' },
    ]);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('items[5].state');
    expect(res.body.error.message).toContain('items[6].at');
    expect(await stored()).toBe(0);
    const unknown = await post([
      { ...change('INC-9', at, 'new'), entityRef: 'component:default/nope' },
    ]);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('items[0].entityRef');
    expect(await stored()).toBe(0);
  });

  it('records changes idempotently and in any order, and answers open tickets with their clocks', async () => {
    await agree(ticketSla());
    // Owners may post too; the changes arrive out of order.
    const first = await post([...inc2].reverse(), alice);
    expect(first.body).toEqual({ accepted: 3, duplicates: 0 });
    const res = await post([...inc1.slice(2), ...inc1.slice(0, 2)]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ accepted: 5, duplicates: 0 });
    const again = await post([...inc1, ...inc2]);
    expect(again.body).toEqual({ accepted: 0, duplicates: 8 });
    expect(await stored()).toBe(8);

    const open = await list(`entityRef=${CHECKOUT}&at=${iso(at)}`);
    expect(open.status).toBe(200);
    expect(open.body.items).toHaveLength(1);
    const ticket = open.body.items[0];
    expect(ticket).toMatchObject({
      source: 'api',
      ticketId: 'INC-2',
      entityRef: CHECKOUT,
      priority: 'P1',
      state: 'waiting-on-customer',
      openedAt: iso(at - 3 * HOUR),
    });
    const clocks = Object.fromEntries(
      ticket.clocks.map((c: any) => [c.targetId, c]),
    );
    // Responded after 30 min: over the 15 min allowed.
    expect(clocks['p1-response']).toMatchObject({
      measure: 'response',
      elapsedMs: 30 * MINUTE,
      allowedMs: 15 * MINUTE,
      fractionUsed: 2,
      clockState: 'stopped',
      breached: true,
      breachedAt: iso(at - 3 * HOUR + 15 * MINUTE),
      stoppedAt: iso(at - 150 * MINUTE),
      deadline: null,
    });
    // 1 h counted, paused waiting on the customer since.
    expect(clocks['p1-resolution']).toMatchObject({
      elapsedMs: HOUR,
      allowedMs: 4 * HOUR,
      fractionUsed: 0.25,
      clockState: 'paused',
      pausedIn: 'waiting-on-customer',
      counting: false,
      deadline: null,
      breached: false,
    });

    const all = await list(`entityRef=${CHECKOUT}&state=all&at=${iso(at)}`);
    expect(all.body.items.map((i: any) => [i.ticketId, i.state])).toEqual([
      ['INC-1', 'resolved'],
      ['INC-2', 'waiting-on-customer'],
    ]);
    const resolved = all.body.items[0].clocks.find(
      (c: any) => c.targetId === 'p1-resolution',
    );
    // 07:00–08:00 running, 08:00–09:00 paused, 09:00–10:00 running.
    expect(resolved).toMatchObject({
      elapsedMs: 2 * HOUR,
      clockState: 'stopped',
      breached: false,
    });

    // Before INC-2 was opened only INC-1 was open.
    const earlier = await list(
      `entityRef=${CHECKOUT}&at=${iso(at - 4 * HOUR)}`,
    );
    expect(earlier.body.items.map((i: any) => i.ticketId)).toEqual(['INC-1']);
  });

  it('pages with limit and cursor', async () => {
    await post([
      change('A', at - 3 * HOUR, 'new'),
      change('B', at - 2 * HOUR, 'new'),
      change('C', at - 1 * HOUR, 'new'),
    ]);
    const first = await list(`entityRef=${CHECKOUT}&at=${iso(at)}&limit=2`);
    expect(first.body.items.map((i: any) => i.ticketId)).toEqual(['A', 'B']);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await list(
      `entityRef=${CHECKOUT}&at=${iso(at)}&limit=2&cursor=${
        first.body.nextCursor
      }`,
    );
    expect(second.body.items.map((i: any) => i.ticketId)).toEqual(['C']);
    expect(second.body.nextCursor).toBeUndefined();
    const bad = await list(`entityRef=${CHECKOUT}&limit=0`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('limit');
  });

  it('stores two concurrent posts of the same changes once', async () => {
    const changes = [...inc1, ...inc2];
    const [a, b] = await Promise.all([post(changes), post(changes)]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(a.body.accepted + b.body.accepted).toBe(8);
    expect(await stored()).toBe(8);
    expect(Number((await knex('sla_tickets').count({ n: '*' }))[0].n)).toBe(2);
    const tickets = await knex('sla_tickets').orderBy('ticket_id');
    expect(tickets.map(t => t.last_state)).toEqual([
      'resolved',
      'waiting-on-customer',
    ]);
  });

  it('gives ticket targets attainment, budget and status like duration targets', async () => {
    await agree(ticketSla());
    await post([...inc1, ...inc2]);
    const res = await http
      .get(`/api/sla/attainment?entityRef=${CHECKOUT}&at=${iso(at)}`)
      .set('Authorization', bob);
    expect(res.status).toBe(200);
    const byTarget = Object.fromEntries(
      res.body.items.map((i: any) => [i.targetId, i]),
    );
    // Response: INC-1 met (10 min), INC-2 failed (30 min): 50 % < 90 %.
    expect(byTarget['p1-response']).toMatchObject({
      attainment: 50,
      counted: 2,
      status: 'breached',
      errorBudget: { consumed: 1 },
    });
    // Resolution: INC-1 met (2 h); INC-2 open, not failed: left out.
    expect(byTarget['p1-resolution']).toMatchObject({
      attainment: 100,
      counted: 1,
      status: 'met',
    });
  });
});

describe.each(databases.eachSupportedId())(
  'ticket notifications and feeds on %p',
  databaseId => {
    it('notifies 50/75/100 % once per ticket, target and level, whichever replica runs', async () => {
      const one = capturingScheduler();
      const { http, knex } = await startSlaBackend(databaseId, {
        features: [one.factory],
      });
      const two = capturingScheduler();
      await startSlaBackend(databaseId, { features: [two.factory], knex });
      expect(one.tasks.get('sla-ticket-notifications')).toMatchObject({
        frequency: { minutes: 1 },
      });
      const created = await http
        .post('/api/sla/agreements')
        .set('Authorization', alice)
        .send({
          ...ticketSla(),
          targets: [ticketSla().targets[1]],
        });
      for (const to of ['negotiation', 'agreed']) {
        await http
          .post(`/api/sla/agreements/${created.body.id}/transitions`)
          .set('Authorization', alice)
          .send({ to });
      }
      // The real clock: opened 3 h 10 min ago, 4 h allowed → 79 %.
      const now = Date.now();
      await http
        .post('/api/sla/tickets')
        .set('Authorization', service)
        .send({
          items: [
            change('INC-7', now - 190 * MINUTE, 'new', {
              priority: 'P1',
              title: 'Payments fail',
            }),
          ],
        });
      sentNotifications.length = 0;
      await Promise.all([
        one.tasks.get('sla-ticket-notifications')!.fn(),
        two.tasks.get('sla-ticket-notifications')!.fn(),
      ]);
      await one.tasks.get('sla-ticket-notifications')!.fn();
      const titles = sentNotifications.map(n => n.payload.title);
      expect(titles).toEqual([
        'Ticket INC-7 "Payments fail" used 75 % of its resolution time ("P1 resolution")',
      ]);
      const levels = await knex('sla_ticket_notices').orderBy('level');
      expect(levels.map(l => l.level)).toEqual([50, 75]);
    });

    it('reads sla.tickets.notificationSchedule', async () => {
      const { tasks, factory } = capturingScheduler();
      await startSlaBackend(databaseId, {
        features: [factory],
        config: {
          sla: {
            tickets: {
              notificationSchedule: {
                frequency: { minutes: 5 },
                timeout: { minutes: 2 },
              },
            },
          },
        },
      });
      expect(tasks.get('sla-ticket-notifications')!.frequency).toEqual({
        minutes: 5,
      });
    });

    it('starts ticket feeds once with a sink that validates and records idempotently', async () => {
      const sinks: SlaTicketSink[] = [];
      const feedModule = createBackendModule({
        pluginId: 'sla',
        moduleId: 'test-ticket-feed',
        register(env) {
          env.registerInit({
            deps: { feeds: slaTicketFeedsExtensionPoint },
            async init({ feeds }) {
              feeds.addTicketFeed({
                id: 'test',
                start(sink) {
                  sinks.push(sink);
                },
              });
            },
          });
        },
      });
      const { http, knex } = await startSlaBackend(databaseId, {
        features: [feedModule],
      });
      expect(sinks).toHaveLength(1);
      const [sink] = sinks;
      await expect(
        sink.record([{ ...inc2[0], state: 'snoozed' as any }]),
      ).rejects.toThrow(/items\[0\]\.state/);
      expect(
        Number((await knex('sla_ticket_changes').count({ n: '*' }))[0].n),
      ).toBe(0);
      await sink.record(inc2 as any);
      await sink.record(inc2 as any);
      const res = await http
        .get(`/api/sla/tickets?entityRef=${CHECKOUT}&at=${iso(at)}`)
        .set('Authorization', bob);
      expect(res.body.items.map((i: any) => i.ticketId)).toEqual(['INC-2']);
      expect(
        Number((await knex('sla_ticket_changes').count({ n: '*' }))[0].n),
      ).toBe(3);
    });
  },
);
