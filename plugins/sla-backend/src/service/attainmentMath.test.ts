import fc from 'fast-check';
import type {
  MaintenanceWindow,
  ParsedMeasurement,
  Target,
} from '@opensla/backstage-plugin-sla-common';
import { scanRawSamples } from '../__testUtils__/scanRawSamples';
import {
  alice,
  databases,
  mallory,
  service,
  startSlaBackend,
} from '../__testUtils__/testBackend';
import { resolveWindow } from '../domain';

jest.setTimeout(300_000);

const SEED = 20261203;
const RUNS = 40;
const CHECKOUT = 'component:default/checkout';
const HOUR = 3_600_000;
const iso = (t: number) => new Date(t).toISOString();

/** Every accepted timeslice length (docs/api.md). */
const TIMESLICES = [
  'PT1M',
  'PT72S',
  'PT75S',
  'PT80S',
  'PT90S',
  'PT100S',
  'PT2M',
  'PT3M',
  'PT4M',
  'PT5M',
  'PT6M',
  'PT10M',
  'PT12M',
  'PT15M',
  'PT20M',
  'PT30M',
  'PT1H',
];
/** Zones and the DST changes of 2026 that the samples straddle. */
const ZONES: Array<[string, string]> = [
  ['Europe/Berlin', '2026-03-29T01:00:00Z'],
  ['America/New_York', '2026-11-01T06:00:00Z'],
  ['Australia/Sydney', '2026-04-04T16:00:00Z'],
  ['UTC', '2026-06-01T00:00:00Z'],
];

const windowOf = (zone: string) =>
  fc.oneof(
    fc
      .constantFrom('PT6H', 'P1D', 'P2D', 'P7D')
      .map(duration => ({ type: 'rolling' as const, duration })),
    fc
      .constantFrom('week', 'month')
      .map(unit => ({ type: 'calendar' as const, unit, timeZone: zone })),
  );

const sli = fc.oneof(
  fc.constant({ sli: { kind: 'ratio' as const } }),
  fc
    .record({
      operator: fc.constantFrom('lte' as const, 'gte' as const),
      threshold: fc.integer({ min: 100, max: 400 }),
      // Every accepted length; the ones that cut minutes in two more often.
      timeslice: fc.oneof(
        fc.constantFrom(...TIMESLICES),
        fc.constantFrom(...TIMESLICES.filter(t => t.endsWith('S'))),
      ),
    })
    .map(({ operator, threshold, timeslice }) => ({
      sli: { kind: 'threshold' as const, operator, threshold },
      timeslice,
    })),
);

const maintenance = (zone: string, base: number) =>
  fc.array(
    fc.oneof(
      fc
        .record({
          from: fc.integer({ min: -6 * HOUR, max: 72 * HOUR }),
          length: fc.integer({ min: 1_000, max: 6 * HOUR }),
        })
        .map(
          ({ from, length }): MaintenanceWindow => ({
            start: iso(base + from),
            end: iso(base + from + length),
          }),
        ),
      fc
        .record({
          day: fc.constantFrom('mon', 'sat', 'sun'),
          from: fc.integer({ min: 0, max: 22 }),
          hours: fc.integer({ min: 1, max: 3 }),
        })
        .map(
          ({ day, from, hours }): MaintenanceWindow => ({
            weekly: {
              day: day as 'mon',
              from: `${String(from).padStart(2, '0')}:00`,
              to: `${String(Math.min(24, from + hours)).padStart(2, '0')}:00`,
            },
            timeZone: zone,
          }),
        ),
    ),
    { maxLength: 2 },
  );

/**
 * Samples in clusters a few minutes long (offsets from the DST change), so
 * that slices hold several and minutes hold parts of two PT90S slices.
 */
const clusters = fc.array(
  fc.record({
    hour: fc.integer({ min: -24, max: 72 }),
    points: fc.array(fc.integer({ min: 0, max: 400_000 }), {
      minLength: 1,
      maxLength: 15,
    }),
  }),
  { minLength: 1, maxLength: 8 },
);

const scenario = fc.constantFrom(...ZONES).chain(([zone, dst]) => {
  const base = Date.parse(dst);
  return clusters.chain(list => {
    const offsets = [
      ...new Set(list.flatMap(c => c.points.map(p => c.hour * HOUR + p))),
    ];
    return fc.record({
      zone: fc.constant(zone),
      base: fc.constant(base),
      window: windowOf(zone),
      sli,
      objective: fc.constantFrom(90, 99, 99.9),
      maintenance: maintenance(zone, base),
      samples: fc.tuple(
        ...offsets.map(offset =>
          fc.record({
            offset: fc.constant(offset),
            a: fc.integer({ min: 0, max: 500 }),
            b: fc.integer({ min: 0, max: 100 }),
          }),
        ),
      ),
      // Instants anywhere, or such that the window's end, its 1 h
      // look-back's start or a PT6H window's start falls inside a cluster.
      ats: fc.array(
        fc.oneof(
          fc.integer({ min: -12 * HOUR, max: 96 * HOUR }),
          fc
            .record({
              c: fc.integer({ min: 0, max: list.length - 1 }),
              back: fc.constantFrom(0, 1, 6),
              ms: fc.integer({ min: 0, max: 400_000 }),
            })
            .map(({ c, back, ms }) => (list[c].hour + back) * HOUR + ms),
        ),
        { minLength: 1, maxLength: 3 },
      ),
    });
  });
});

/**
 * product.md §3 from outside: for generated targets and samples, the
 * figures GET /attainment serves (rollups, plans, kept sums, edge reads)
 * equal a plain scan of the raw samples (scanRawSamples).
 */
describe.each(databases.eachSupportedId())(
  'attainment equals a scan of the raw samples on %p',
  databaseId => {
    it(`holds for ${RUNS} generated targets`, async () => {
      const { http } = await startSlaBackend(databaseId);
      let run = 0;
      await fc.assert(
        fc.asyncProperty(scenario, async s => {
          run++;
          const metric = `m${run}`;
          const target = {
            id: 't',
            name: 'Generated',
            aspect: 'performance',
            metric,
            ...s.sli,
            objective: s.objective,
            window: s.window,
          } as unknown as Target;
          const created = await http
            .post('/api/sla/agreements')
            .set('Authorization', alice)
            .send({
              kind: 'SLA',
              entityRef: CHECKOUT,
              title: `Generated ${run}`,
              status: 'draft',
              maintenanceWindows: s.maintenance,
              targets: [target],
            });
          if (created.status !== 201) {
            throw new Error(JSON.stringify(created.body));
          }
          for (const to of ['negotiation', 'agreed']) {
            const moved = await http
              .post(`/api/sla/agreements/${created.body.id}/transitions`)
              .set('Authorization', alice)
              .send({ to });
            if (moved.status !== 200)
              throw new Error(JSON.stringify(moved.body));
          }
          const samples: ParsedMeasurement[] = s.samples.map(x =>
            s.sli.sli.kind === 'ratio'
              ? {
                  kind: 'ratio',
                  entityRef: CHECKOUT,
                  metric,
                  ts: s.base + x.offset,
                  good: Math.min(x.a, x.b),
                  total: x.b,
                }
              : {
                  kind: 'threshold',
                  entityRef: CHECKOUT,
                  metric,
                  ts: s.base + x.offset,
                  value: x.a,
                },
          );
          // In two batches, the second partly before the first's latest
          // sample (late writes), so that kept sums and slices must move.
          const half = Math.ceil(samples.length / 2);
          for (const batch of [samples.slice(0, half), samples.slice(half)]) {
            if (!batch.length) continue;
            const res = await http
              .post('/api/sla/measurements')
              .set('Authorization', service)
              .send({
                items: batch.map(m => ({
                  entityRef: m.entityRef,
                  metric: m.metric,
                  timestamp: iso((m as { ts: number }).ts),
                  ...(m.kind === 'ratio'
                    ? { good: m.good, total: m.total }
                    : { value: (m as any).value }),
                })),
              });
            if (res.status !== 200) throw new Error(JSON.stringify(res.body));
          }
          const stored = { entityRef: CHECKOUT, ...created.body };
          for (const offset of s.ats) {
            const at = s.base + offset;
            const res = await http
              .get(`/api/sla/attainment?entityRef=${CHECKOUT}&at=${iso(at)}`)
              .set('Authorization', mallory);
            if (res.status !== 200) throw new Error(JSON.stringify(res.body));
            const served = res.body.items.find(
              (i: any) => i.agreementId === created.body.id,
            );
            const range = {
              start: resolveWindow(target.window, at).start,
              end: at,
            };
            const raw = scanRawSamples(samples, stored, target, range);
            const context = `${JSON.stringify(s)} at ${iso(at)}`;
            expect({ context, counted: served.counted }).toEqual({
              context,
              counted: raw.good + raw.bad,
            });
            expect({ context, consumed: served.errorBudget.consumed }).toEqual({
              context,
              consumed: raw.bad,
            });
            for (const [key, length] of [
              ['1h', HOUR],
              ['1d', 24 * HOUR],
            ] as const) {
              const l = scanRawSamples(samples, stored, target, {
                start: at - length,
                end: at,
              });
              const base = l.good + l.bad;
              const expected =
                base > 0 ? l.bad / base / (1 - s.objective / 100) : null;
              const got: number | null = served.burnRates[key];
              const close =
                expected === null || got === null
                  ? expected === got
                  : Math.abs(got - expected) < 1e-9;
              expect({ context, key, got, expected, close }).toEqual({
                context,
                key,
                got,
                expected,
                close: true,
              });
            }
          }
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
      expect(run).toBe(RUNS);
    });
  },
);
