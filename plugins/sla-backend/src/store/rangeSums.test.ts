import { resolvePackagePath } from '@backstage/backend-plugin-api';
import type {
  Agreement,
  ParsedMeasurement,
  Target,
} from '@opensla/backstage-plugin-sla-common';
import { Knex } from 'knex';
import { databases } from '../__testUtils__/testBackend';
import { scanRawSamples } from '../__testUtils__/scanRawSamples';
import { resolveWindow } from '../domain';
import { AttainmentService } from '../service/AttainmentService';
import { MeasurementStore } from './MeasurementStore';

jest.setTimeout(120_000);

const MINUTE = 60_000;
const ENTITY = 'component:default/checkout';
const t = (s: string) => Date.parse(s);

const targets: Target[] = [
  {
    id: 'availability',
    name: 'Availability',
    aspect: 'availability',
    metric: 'requests',
    sli: { kind: 'ratio' },
    objective: 99,
    window: { type: 'rolling', duration: 'P1D' },
  },
  {
    id: 'latency',
    name: 'Latency',
    aspect: 'performance',
    metric: 'latency_ms',
    sli: { kind: 'threshold', operator: 'lte', threshold: 300 },
    objective: 95,
    timeslice: 'PT5M',
    window: { type: 'rolling', duration: 'P1D' },
  },
];

const agreement: Agreement = {
  id: 'sla-1',
  kind: 'SLA',
  entityRef: ENTITY,
  title: 'Checkout SLA',
  status: 'agreed',
  version: 1,
  agreedAt: '2026-01-01T00:00:00.000Z',
  // Not on slice or hour boundaries: slices straddle both ends.
  maintenanceWindows: [
    { start: '2026-06-09T22:07:00.000Z', end: '2026-06-09T23:33:30.000Z' },
    { start: '2026-06-10T04:58:00.000Z', end: '2026-06-10T05:02:00.000Z' },
  ],
  targets,
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'test',
  updatedAt: '2026-01-01T00:00:00.000Z',
  updatedBy: 'test',
};

/** Deterministic noise in [0, 1). */
function noise(a: number, b: number): number {
  let h = (a * 374761393 + b * 668265263) | 0;
  h = Math.imul(h ^ (h >>> 13), 1274126177);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/** Two days of samples 20 s apart, some of them bad. */
function samples(from: number, to: number): ParsedMeasurement[] {
  const out: ParsedMeasurement[] = [];
  for (let ts = from, k = 0; ts < to; ts += 20_000, k++) {
    const r = noise(1, k);
    out.push({
      kind: 'ratio',
      entityRef: ENTITY,
      metric: 'requests',
      ts,
      good: 100 - (r < 0.05 ? Math.floor(r * 400) : 0),
      total: 100,
    });
    out.push({
      kind: 'threshold',
      entityRef: ENTITY,
      metric: 'latency_ms',
      ts,
      value: noise(2, k) < 0.01 ? 900 : 100 + r * 100,
    });
  }
  return out;
}

/** The window's good and bad as product.md §3 counts them, from raw samples. */
const scanned = (all: ParsedMeasurement[], target: Target, at: number) =>
  scanRawSamples(all, agreement, target, {
    start: resolveWindow(target.window, at).start,
    end: at,
  });

/**
 * MeasurementStore keeps sums over rollup buckets for reuse, and plans a
 * window's edges from the nearest hour's rollup minus the minutes outside.
 * Neither may change a figure: checked against a scan of the raw samples,
 * and across "replicas" (two stores on one database), where one ingests a
 * late sample into an hour the other has kept a sum of.
 */
describe.each(databases.eachSupportedId())(
  'kept sums and aligned edges on %p',
  databaseId => {
    let db: Knex;
    beforeEach(async () => {
      db = await databases.init(databaseId);
      await db.migrate.latest({
        directory: resolvePackagePath(
          '@opensla/backstage-plugin-sla-backend',
          'migrations',
        ),
      });
    });

    const figures = (
      result: Awaited<ReturnType<AttainmentService['forAgreements']>>,
    ) =>
      Object.fromEntries(
        result.map(r => [
          r.targetId,
          { counted: r.counted, bad: r.errorBudget.consumed },
        ]),
      );

    it('answers what the raw samples say at instants off every boundary, kept or not', async () => {
      const all = samples(t('2026-06-09T00:00:00Z'), t('2026-06-10T12:00:00Z'));
      const writer = new MeasurementStore(db);
      for (let i = 0; i < all.length; i += 5000) {
        await writer.ingest(all.slice(i, i + 5000));
      }
      const keeping = new AttainmentService(new MeasurementStore(db));
      const fresh = new AttainmentService(
        new MeasurementStore(db, { rangeSumCapacity: 0 }),
      );
      // From 09:00 on, moving by odd steps: edges 0–59 minutes into their
      // hours, at and off whole minutes and slices, some at a maintenance
      // edge; after the data ends, too.
      let checked = 0;
      for (let at = t('2026-06-10T09:00:00Z'); ; at += 7 * MINUTE + 13_000) {
        if (at > t('2026-06-10T12:40:00Z')) break;
        const kept = figures(await keeping.forAgreements([agreement], at));
        expect(figures(await fresh.forAgreements([agreement], at))).toEqual(
          kept,
        );
        for (const target of targets) {
          const raw = scanned(all, target, at);
          expect([target.id, at, kept[target.id]]).toEqual([
            target.id,
            at,
            { counted: raw.good + raw.bad, bad: raw.bad },
          ]);
        }
        checked++;
      }
      expect(checked).toBeGreaterThan(25);
    });

    it('sees a late sample ingested through another replica into a kept hour', async () => {
      const all = samples(t('2026-06-09T12:00:00Z'), t('2026-06-10T12:00:00Z'));
      const writer = new MeasurementStore(db);
      await writer.ingest(all);
      const reader = new AttainmentService(new MeasurementStore(db));
      const at = t('2026-06-10T12:00:30Z');
      const before = figures(await reader.forAgreements([agreement], at));
      // Read again: now from kept sums.
      expect(figures(await reader.forAgreements([agreement], at))).toEqual(
        before,
      );

      // Late samples at 03:00:10 (between stored ones, long before the
      // latest): 100 failed requests, and a slow response that spoils the
      // 03:00 slice.
      const late: ParsedMeasurement[] = [
        {
          kind: 'ratio',
          entityRef: ENTITY,
          metric: 'requests',
          ts: t('2026-06-10T03:00:10Z'),
          good: 0,
          total: 100,
        },
        {
          kind: 'threshold',
          entityRef: ENTITY,
          metric: 'latency_ms',
          ts: t('2026-06-10T03:00:10Z'),
          value: 5000,
        },
      ];
      await new MeasurementStore(db).ingest(late);
      const after = figures(await reader.forAgreements([agreement], at));
      const sliceWasBad =
        scanned(all, targets[1], at).bad !==
        scanned([...all, ...late], targets[1], at).bad;
      expect(after).toEqual({
        availability: {
          counted: before.availability.counted + 100,
          bad: before.availability.bad + 100,
        },
        latency: {
          counted: before.latency.counted,
          bad: before.latency.bad + (sliceWasBad ? 1 : 0),
        },
      });
      expect(sliceWasBad).toBe(true);
      for (const target of targets) {
        const raw = scanned([...all, ...late], target, at);
        expect(after[target.id]).toEqual({
          counted: raw.good + raw.bad,
          bad: raw.bad,
        });
      }
    });

    it('counts samples that arrive in time order after a read', async () => {
      const writer = new MeasurementStore(db);
      await writer.ingest(
        samples(t('2026-06-10T00:00:00Z'), t('2026-06-10T11:30:00Z')),
      );
      const reader = new AttainmentService(new MeasurementStore(db));
      const at = t('2026-06-10T12:30:00Z');
      const before = figures(await reader.forAgreements([agreement], at));
      // The rest of 11:00–12:00 (its hour was read while incomplete).
      const rest = samples(
        t('2026-06-10T11:30:00Z'),
        t('2026-06-10T12:00:00Z'),
      );
      await writer.ingest(rest);
      const after = figures(await reader.forAgreements([agreement], at));
      expect(after.availability.counted).toBe(
        before.availability.counted + (rest.length / 2) * 100,
      );
      expect(after.latency.counted).toBe(before.latency.counted + 6);
    });

    it('keeps sums for page reads, not for bulk readers, who use them still', async () => {
      await new MeasurementStore(db).ingest(
        samples(t('2026-06-09T00:00:00Z'), t('2026-06-10T12:00:00Z')),
      );
      const store = new MeasurementStore(db);
      const page = new AttainmentService(store);
      const bulk = new AttainmentService(store, undefined, {
        keepSums: false,
      });
      // How many ranges the read statement asks the database for.
      let asked = 0;
      const count = (q: { sql: string; bindings: unknown[] }) => {
        if (q.sql.startsWith('WITH q')) {
          asked = JSON.parse(String(q.bindings[0])).length;
        }
      };
      db.on('query', count);
      const at = t('2026-06-10T12:00:30Z');
      const read = async (by: AttainmentService) => {
        const result = figures(await by.forAgreements([agreement], at));
        return { result, asked };
      };
      await read(bulk); // (the first read also learns the series' stamps)
      const first = await read(bulk);
      const afterBulk = await read(bulk);
      expect(afterBulk).toEqual(first); // nothing kept: asked as much
      const byPage = await read(page);
      expect(byPage).toEqual(first);
      const again = await read(page);
      expect(again.result).toEqual(first.result);
      expect(again.asked).toBeLessThan(first.asked);
      // The bulk reader uses what the page read kept.
      expect((await read(bulk)).asked).toBe(again.asked);
      db.removeListener('query', count);
    });
  },
);
