import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { databases } from '../__testUtils__/testBackend';
import {
  EvaluationQueueStore,
  enqueueEvaluation,
  enqueueMeasured,
} from './EvaluationQueueStore';

jest.setTimeout(180_000);

const MIGRATIONS = resolvePackagePath(
  '@opensla/backstage-plugin-sla-backend',
  'migrations',
);
const A = 'component:default/a';
const B = 'component:default/b';

describe.each(databases.eachSupportedId())(
  'EvaluationQueueStore on %p',
  databaseId => {
    it('finishes claims while an ingest re-queues the same entities, without a deadlock: the re-queued ones stay, claimable', async () => {
      const db = await databases.init(databaseId);
      await db.migrate.latest({ directory: MIGRATIONS });
      const store = new EvaluationQueueStore(db);
      // b is claimed (and so rewritten) before a: a scan meets b first.
      await enqueueEvaluation(db, [B], 0);
      await enqueueEvaluation(db, [A], 1);
      const claimed = await store.claim('me', 10, 1_000, 10);
      expect(claimed.map(c => c.entityRef)).toEqual([B, A]);
      if (databaseId.startsWith('POSTGRES')) {
        // An ingest's transaction re-queues a, then (while finishing
        // waits for a) b: ingest writes refs in order, and so must finish.
        const ingest = await db.transaction();
        await enqueueEvaluation(ingest, [A], 5);
        const finishing = store.finishMany('me', claimed, 20);
        await new Promise(wake => setTimeout(wake, 300));
        await enqueueEvaluation(ingest, [B], 5);
        await ingest.commit();
        await finishing;
      } else {
        await enqueueEvaluation(db, [A, B], 5);
        await store.finishMany('me', claimed, 20);
      }
      const rows = await db('sla_evaluation_queue')
        .orderBy('entity_ref')
        .select('entity_ref', 'claimed_by', 'version');
      expect(
        rows.map(r => [r.entity_ref, r.claimed_by, Number(r.version)]),
      ).toEqual([
        [A, null, 2],
        [B, null, 2],
      ]);
      const again = await store.claim('other', 30, 1_000, 10);
      expect(again.map(c => c.entityRef).sort()).toEqual([A, B]);
      // Finished without a change meanwhile: gone.
      await store.finishMany('other', again, 40);
      expect(await store.pending()).toBe(0);
    });

    it('claims entities whose new data may worsen a status before a backlog of entities that got only good data', async () => {
      const db = await databases.init(databaseId);
      await db.migrate.latest({ directory: MIGRATIONS });
      const store = new EvaluationQueueStore(db);
      const ratio = (ref: string, good: number, ts = 1_000) => ({
        kind: 'ratio' as const,
        entityRef: ref,
        metric: 'requests',
        ts,
        good,
        total: 100,
      });
      const refs = Array.from(
        { length: 12 },
        (_, i) => `component:default/s${String(i).padStart(2, '0')}`,
      );
      // A backlog of good data, then a bad sample for the last entity, and
      // good then bad data for another one within one batch.
      await db.transaction(tx =>
        enqueueMeasured(
          tx,
          refs.map(ref => ratio(ref, 100)),
        ),
      );
      await db.transaction(tx =>
        enqueueMeasured(tx, [
          ratio(refs[11], 0, 2_000),
          ratio(refs[5], 100, 2_000),
          ratio(refs[5], 99, 2_001),
        ]),
      );
      // Good data after bad does not take the entity back in line.
      await db.transaction(tx =>
        enqueueMeasured(tx, [ratio(refs[11], 100, 3_000)]),
      );
      const first = await store.claim('me', 10, 1_000, 2);
      expect(first.map(c => c.entityRef).sort()).toEqual([refs[5], refs[11]]);
      // Anything but a measurement may worsen a status.
      await enqueueEvaluation(db, ['component:default/feedback'], 5_000);
      const next = await store.claim('me', 10, 1_000, 1);
      expect(next.map(c => c.entityRef)).toEqual([
        'component:default/feedback',
      ]);
    });
  },
);
