import type { ParsedMeasurement } from '@opensla/backstage-plugin-sla-common';
import fc from 'fast-check';
import { Knex } from 'knex';
import { migrated } from '../__testUtils__/replica';
import { databases } from '../__testUtils__/testBackend';
import { MeasurementStore, SeriesKindError } from './MeasurementStore';

jest.setTimeout(180_000);

const MINUTE = 60_000;
const START = Date.parse('2026-06-09T22:50:00Z'); // batches straddle an hour

/**
 * Batches that reach one replica at once are written as one transaction
 * (group commit, store/measurements/GroupCommit.ts). Each caller must still
 * be told what its own batch did, exactly as if the batches had been
 * written one after the other in arrival order, and the rollups must add
 * every stored sample once.
 */
describe.each(databases.eachSupportedId())(
  'ingest batches grouped into one transaction on %p',
  databaseId => {
    let db: Knex;
    beforeAll(async () => {
      db = await migrated(await databases.init(databaseId));
    });

    let run = 0;
    const sample = fc.record({
      entity: fc.integer({ min: 0, max: 2 }),
      minute: fc.integer({ min: 0, max: 20 }),
      good: fc.integer({ min: 0, max: 10 }),
    });

    it('answers each batch as if written alone in arrival order; rollups count each stored sample once', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.array(sample, { minLength: 1, maxLength: 30 }), {
            minLength: 2,
            maxLength: 6,
          }),
          async generated => {
            run++;
            const ref = (e: number) => `component:default/g${run}-${e}`;
            const batches: ParsedMeasurement[][] = generated.map(batch =>
              batch.map(s => ({
                kind: 'ratio',
                entityRef: ref(s.entity),
                metric: 'requests',
                ts: START + s.minute * MINUTE,
                good: s.good,
                total: 10,
              })),
            );
            const store = new MeasurementStore(db);
            // all sent at once: the first goes alone, the rest as a group
            const answers = await Promise.all(
              batches.map(b => store.ingest(b)),
            );

            // the same batches one after the other
            const stored = new Map<string, number>();
            const expected = generated.map(batch => {
              let accepted = 0;
              for (const m of batch) {
                const key = `${ref(m.entity)} ${START + m.minute * MINUTE}`;
                if (stored.has(key)) continue;
                stored.set(key, m.good);
                accepted++;
              }
              return { accepted, duplicates: batch.length - accepted };
            });
            expect(answers).toEqual(expected);

            // what is stored is each sample's first copy
            const refs = [0, 1, 2].map(ref);
            const rows = await db('sla_ratio_samples as s')
              .join('sla_series as r', 'r.id', 's.series_id')
              .whereIn('r.entity_ref', refs)
              .select('r.entity_ref', 's.ts', 's.good');
            expect(
              new Map(
                rows.map(r => [
                  `${r.entity_ref} ${Number(r.ts)}`,
                  Number(r.good),
                ]),
              ),
            ).toEqual(stored);
            // every rollup level adds each stored sample once
            const sums = await db('sla_ratio_rollups as u')
              .join('sla_series as r', 'r.id', 'u.series_id')
              .whereIn('r.entity_ref', refs)
              .groupBy('u.resolution')
              .select('u.resolution')
              .sum({ good: 'u.good', total: 'u.total' });
            const good = [...stored.values()].reduce((a, b) => a + b, 0);
            for (const level of sums) {
              expect([Number(level.good), Number(level.total)]).toEqual([
                good,
                stored.size * 10,
              ]);
            }
            expect(sums).toHaveLength(3);
          },
        ),
        { seed: 20261204, numRuns: 15, endOnFailure: true },
      );
    });

    it('refuses a batch of a group for its own fault only, with its own item numbers', async () => {
      const store = new MeasurementStore(db);
      const entity = 'component:default/kinds';
      const ratio = (ts: number): ParsedMeasurement => ({
        kind: 'ratio',
        entityRef: entity,
        metric: 'requests',
        ts,
        good: 9,
        total: 10,
      });
      await store.ingest([ratio(START)]);
      const answers = await Promise.allSettled([
        store.ingest([ratio(START + MINUTE)]),
        store.ingest([ratio(START + 2 * MINUTE)]),
        store.ingest([
          ratio(START + 3 * MINUTE),
          // a threshold sample for a ratio series
          {
            kind: 'threshold',
            entityRef: entity,
            metric: 'requests',
            ts: START,
            value: 1,
          },
        ]),
        store.ingest([ratio(START + 4 * MINUTE)]),
      ]);
      expect(answers.map(a => a.status)).toEqual([
        'fulfilled',
        'fulfilled',
        'rejected',
        'fulfilled',
      ]);
      const refused = (answers[2] as PromiseRejectedResult).reason;
      expect(refused).toBeInstanceOf(SeriesKindError);
      expect(refused.conflicts.map((c: { index: number }) => c.index)).toEqual([
        1,
      ]);
      const [{ n }] = await db('sla_ratio_samples as s')
        .join('sla_series as r', 'r.id', 's.series_id')
        .where('r.entity_ref', entity)
        .count({ n: '*' });
      // the first, and the three good batches of the group; nothing of the refused one
      expect(Number(n)).toBe(4);
    });
  },
);
