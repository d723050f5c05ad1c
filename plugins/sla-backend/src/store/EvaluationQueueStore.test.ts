import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { databases } from '../__testUtils__/testBackend';
import {
  EvaluationQueueStore,
  enqueueEvaluation,
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
  },
);
