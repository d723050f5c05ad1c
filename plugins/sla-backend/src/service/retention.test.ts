import {
  alice,
  databases,
  startSlaBackend,
  validAgreement,
} from '../__testUtils__/testBackend';
import { capturingScheduler } from '../__testUtils__/capturingScheduler';

jest.setTimeout(180_000);

const CHECKOUT = 'component:default/checkout';
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TASK = 'sla-measurement-retention';

/**
 * Retention (issue 14.2), through the public API: 40 days of data every 20
 * minutes for a ratio and a threshold target with 7-day windows (and the
 * weekly Sunday maintenance window of the test agreement), P1 incidents,
 * and `sla.retention` set to keep raw detail for 7 d + 3 d + a 1-day
 * margin and rollups for 30 days. The figures of windows still covered are
 * the same after pruning; windows and reports that need pruned detail say
 * so (`coverage`).
 */
describe.each(databases.eachSupportedId())('retention on %p', databaseId => {
  // Whole hours, so that hour-aligned instants read rollups only.
  const NOW = Math.floor(Date.now() / HOUR) * HOUR;
  const iso = (t: number) => new Date(t).toISOString();

  async function start(config: object = {}) {
    const scheduler = capturingScheduler();
    const backend = await startSlaBackend(databaseId, {
      features: [scheduler.factory],
      config: {
        sla: {
          retention: {
            rawMargin: 'P1D',
            rollups: { days: 30 },
            chunkSize: 97,
            ...config,
          },
        },
      },
    });
    const prune = async (signal = new AbortController().signal) => {
      const task = scheduler.tasks.get(TASK)!;
      await (task.fn as (s: AbortSignal) => Promise<void>)(signal);
    };
    return { ...backend, prune, tasks: scheduler.tasks };
  }

  async function agreed(http: Awaited<ReturnType<typeof start>>['http']) {
    const body = validAgreement({
      targets: [
        {
          name: 'Availability',
          aspect: 'availability',
          metric: 'checkout_requests',
          sli: { kind: 'ratio' },
          objective: 99,
          window: { type: 'rolling', duration: 'P7D' },
        },
        {
          name: 'Latency',
          aspect: 'performance',
          metric: 'checkout_latency',
          sli: { kind: 'threshold', operator: 'lte', threshold: 300 },
          timeslice: 'PT5M',
          objective: 90,
          window: { type: 'rolling', duration: 'P7D' },
        },
        validAgreement().targets[1],
      ],
    });
    const created = await http
      .post('/api/sla/agreements')
      .set('Authorization', alice)
      .send(body);
    expect(created.status).toBe(201);
    for (const to of ['draft', 'negotiation', 'agreed']) {
      const res = await http
        .post(`/api/sla/agreements/${created.body.id}/transitions`)
        .set('Authorization', alice)
        .send({ to });
      expect(res.status).toBe(200);
    }
  }

  const samples = () => {
    const items: object[] = [];
    for (
      let t = NOW - 40 * DAY, i = 0;
      t < NOW - 10 * MINUTE;
      t += 20 * MINUTE, i++
    ) {
      items.push({
        entityRef: CHECKOUT,
        metric: 'checkout_requests',
        timestamp: iso(t),
        good: i % 17 === 0 ? 970 : 1000,
        total: 1000,
      });
      items.push({
        entityRef: CHECKOUT,
        metric: 'checkout_latency',
        timestamp: iso(t + 30_000),
        value: i % 13 === 0 ? 420 : 180,
      });
    }
    // P1 incidents: an old one (resolved in 30 min) and a recent one (2 h).
    for (const [id, at, minutes] of [
      ['INC-1', NOW - 35 * DAY, 30],
      ['INC-2', NOW - 20 * DAY, 120],
      ['INC-3', NOW - 3 * DAY, 30],
    ] as const) {
      items.push({
        entityRef: CHECKOUT,
        metric: 'checkout_incidents',
        eventId: id,
        start: iso(at),
        end: iso(at + minutes * MINUTE),
        priority: 'P1',
      });
    }
    return items;
  };

  it('keeps the figures of covered windows and says which need pruned detail', async () => {
    const { http, knex, prune, tasks } = await start();
    expect(tasks.get(TASK)).toMatchObject({
      frequency: { hours: 1 },
      timeout: { minutes: 30 },
    });
    await agreed(http);
    const ingest = await http
      .post('/api/sla/measurements')
      .set('Authorization', alice)
      .send({ items: samples() });
    expect(ingest.status).toBe(200);
    expect(ingest.body).toEqual({ accepted: 5763, duplicates: 0 });

    const attainment = async (at: number) => {
      const res = await http
        .get(`/api/sla/attainment?entityRef=${CHECKOUT}&at=${iso(at)}`)
        .set('Authorization', alice);
      expect(res.status).toBe(200);
      return res.body.items as Array<Record<string, any>>;
    };
    const report = async (from: number, to: number) => {
      const res = await http
        .get(
          `/api/sla/reports?entityRef=${CHECKOUT}&from=${iso(from)}&to=${iso(
            to,
          )}`,
        )
        .set('Authorization', alice);
      expect(res.status).toBe(200);
      const { generatedAt, ...rest } = res.body;
      return rest as Record<string, any>;
    };
    const figures = (items: Array<Record<string, any>>) =>
      items.map(({ coverage, ...rest }) => rest);
    const countRaw = async () => {
      const [r] = await knex('sla_ratio_samples').count({ n: '*' });
      const [t] = await knex('sla_threshold_samples').count({ n: '*' });
      const [m] = await knex('sla_threshold_minutes').count({ n: '*' });
      return [Number(r.n), Number(t.n), Number(m.n)];
    };

    // Live, 2 days back (window from 9 days back, raw kept for 11 days),
    // 20 days back on a whole hour (from rollups, but the 5m and 30m
    // look-backs need raw minutes), 20 days back off the hour (raw edges
    // everywhere), and 36 days back (rollups pruned too).
    const A = NOW - 7 * MINUTE;
    const B = NOW - 2 * DAY - 7 * MINUTE;
    const D = NOW - 20 * DAY;
    const C = D - 7 * MINUTE;
    const E = NOW - 36 * DAY;
    const before = {
      A: await attainment(A),
      B: await attainment(B),
      C: await attainment(C),
      D: await attainment(D),
      E: await attainment(E),
      covered: await report(NOW - 25 * DAY, NOW - 15 * DAY),
      old: await report(NOW - 39 * DAY, NOW - 32 * DAY),
    };
    for (const items of Object.values(before).slice(0, 5)) {
      expect(items).toHaveLength(3);
      for (const item of items as Array<Record<string, any>>) {
        expect(item.coverage).toBeUndefined();
      }
    }
    expect(before.C[0].counted).toBeGreaterThan(0);
    const rawBefore = await countRaw();

    // An aborted run deletes nothing.
    const aborted = new AbortController();
    aborted.abort();
    await prune(aborted.signal);
    expect(await countRaw()).toEqual(rawBefore);

    // Two replicas' runs at once (the scheduler runs it once; a run past
    // its timeout may meet the next).
    await Promise.all([prune(), prune()]);

    const series = await knex('sla_series')
      .whereIn('metric', ['checkout_requests', 'checkout_latency'])
      .select('metric', 'raw_kept_from', 'rollups_kept_from');
    expect(series).toHaveLength(2);
    for (const s of series) {
      const raw = Number(s.raw_kept_from);
      // 7-day window + 3-day look-back + 1-day margin, whole hours.
      expect(raw % HOUR).toBe(0);
      expect(Math.abs(raw - (NOW - 11 * DAY))).toBeLessThanOrEqual(HOUR);
      const rollups = Number(s.rollups_kept_from);
      expect(rollups % (7 * DAY)).toBe(0);
      expect(rollups).toBeLessThanOrEqual(NOW - 30 * DAY);
      expect(rollups).toBeGreaterThan(NOW - 38 * DAY);
    }
    const rawFrom = Number(series[0].raw_kept_from);
    const rollupsFrom = Number(series[0].rollups_kept_from);
    for (const [table, column] of [
      ['sla_ratio_samples', 'ts'],
      ['sla_threshold_samples', 'ts'],
      ['sla_threshold_minutes', 'minute'],
    ]) {
      const [old] = await knex(table)
        .where(column, '<', rawFrom)
        .count({ n: '*' });
      expect(Number(old.n)).toBe(0);
      const [kept] = await knex(table).count({ n: '*' });
      expect(Number(kept.n)).toBeGreaterThan(0);
    }
    for (const table of ['sla_ratio_rollups', 'sla_slice_rollups']) {
      const [old] = await knex(table)
        .where('bucket', '<', rollupsFrom)
        .count({ n: '*' });
      expect(Number(old.n)).toBe(0);
    }
    const events = await knex('sla_events').select('event_id');
    expect(events.map(e => e.event_id).sort()).toEqual(
      rollupsFrom > NOW - 35 * DAY + 30 * MINUTE
        ? ['INC-2', 'INC-3']
        : ['INC-1', 'INC-2', 'INC-3'],
    );
    const rawAfter = await countRaw();
    expect(rawAfter[0]).toBeLessThan(rawBefore[0]);

    const after = {
      A: await attainment(A),
      B: await attainment(B),
      C: await attainment(C),
      D: await attainment(D),
      E: await attainment(E),
      covered: await report(NOW - 25 * DAY, NOW - 15 * DAY),
      old: await report(NOW - 39 * DAY, NOW - 32 * DAY),
    };
    // Covered windows: the same answer, to the last field.
    expect(after.A).toEqual(before.A);
    expect(after.B).toEqual(before.B);
    // On a whole hour 20 days back: the window's figures come from the
    // rollups and are unchanged; the 5m and 30m burn rates needed raw
    // minutes, and the answer says so.
    expect(
      figures(after.D).map(({ burnRates, alerts, status, ...f }) => f),
    ).toEqual(
      figures(before.D).map(({ burnRates, alerts, status, ...f }) => f),
    );
    const [ratioD, latencyD] = after.D;
    for (const item of [ratioD, latencyD]) {
      expect(item.coverage).toEqual({
        pruned: true,
        window: false,
        burnRates: ['5m', '30m'],
        detailKeptFrom: iso(rawFrom),
        rollupsKeptFrom: iso(rollupsFrom),
      });
    }
    // Off the hour: the window's raw edges are gone.
    for (const item of after.C.slice(0, 2)) {
      expect(item.coverage).toMatchObject({ pruned: true, window: true });
      expect(item.coverage.burnRates).toEqual(
        expect.arrayContaining(['5m', '30m', '1h', '3d']),
      );
    }
    // 36 days back: the rollups are gone too, and the old incident with
    // them (events are kept as long as rollups).
    for (const item of after.E.slice(0, 2)) {
      expect(item.coverage).toMatchObject({ pruned: true, window: true });
    }
    expect(after.E[2].coverage).toMatchObject({ pruned: true });

    // A report of a covered period (whole hours): every figure the same,
    // from the rollups; the status at its end says its short burn rates
    // needed pruned minutes.
    const targetsOf = (r: Record<string, any>) =>
      r.agreements.flatMap((a: any) => a.targets) as Array<Record<string, any>>;
    const beforeTargets = targetsOf(before.covered);
    targetsOf(after.covered).forEach((t, i) => {
      const { atPeriodEnd, ...over } = t;
      const { atPeriodEnd: was, ...overBefore } = beforeTargets[i];
      expect(over).toEqual(overBefore);
      // The status at the period's end may miss a burn-rate alert; a
      // calendar window at the end may reach before the kept rollups.
      const comparable = !atPeriodEnd.coverage?.window;
      expect(comparable ? atPeriodEnd.attainment : was.attainment).toEqual(
        was.attainment,
      );
      expect(atPeriodEnd.window).toEqual(was.window);
    });
    const [ratioT, latencyT, incidentsT] = after.covered.agreements[0].targets;
    for (const t of [ratioT, latencyT, incidentsT]) {
      expect(t.coverage).toBeUndefined();
    }
    expect(ratioT.atPeriodEnd.coverage).toMatchObject({
      pruned: true,
      window: false,
      burnRates: ['5m', '30m'],
    });
    // A report of a pruned period says so for each target.
    for (const t of after.old.agreements[0].targets) {
      expect(t.coverage).toMatchObject({ pruned: true, window: true });
    }

    // Samples sent again for pruned time are neither stored nor counted
    // twice: the figures at D do not move.
    const resend = samples().filter(
      (item: any) => item.timestamp && Date.parse(item.timestamp) < rawFrom,
    );
    const again = await http
      .post('/api/sla/measurements')
      .set('Authorization', alice)
      .send({ items: resend.slice(0, 2000) });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({
      accepted: 0,
      duplicates: 0,
      beyondRetention: 2000,
    });
    expect(await attainment(D)).toEqual(after.D);
    expect(await countRaw()).toEqual(rawAfter);
  });

  it('prunes nothing when retention is disabled', async () => {
    const { http, knex, tasks } = await start({ enabled: false });
    expect(tasks.get(TASK)).toBeUndefined();
    await agreed(http);
    const res = await http
      .post('/api/sla/measurements')
      .set('Authorization', alice)
      .send({ items: samples().slice(0, 300) });
    expect(res.status).toBe(200);
    const [row] = await knex('sla_series').whereNotNull('raw_kept_from').count({
      n: '*',
    });
    expect(Number(row.n)).toBe(0);
  });
});
