import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { databases } from '../__testUtils__/testBackend';
import { TargetStateStore } from './TargetStateStore';
import { TargetStatusStore } from './TargetStatusStore';

jest.setTimeout(180_000);

const MIGRATIONS = resolvePackagePath(
  '@opensla/backstage-plugin-sla-backend',
  'migrations',
);

const state = (agreementId: string, targetId: string, extra: object = {}) => ({
  agreement_id: agreementId,
  target_id: targetId,
  status: 'met',
  warning_level: 0,
  changed_at: '2026-06-10T00:00:00.000Z',
  evaluated_at: 1_000,
  fingerprint: 'f0',
  backfilled_at: 500,
  holds_until: 2_000,
  agreement_version: 1,
  ...extra,
});

const touch = (
  agreementId: string,
  targetId: string,
  extra: Partial<{
    status: string;
    warningLevel: number;
    evaluatedAt: number;
  }> = {},
) => ({
  key: { agreementId, targetId },
  state: {
    status: 'met',
    warningLevel: 0,
    evaluatedAt: 5_000,
    fingerprint: 'f1',
    holdsUntil: 9_000,
    agreementVersion: 2,
    ...extra,
  },
});

describe.each(databases.eachSupportedId())(
  'TargetStateStore on %p',
  databaseId => {
    it('touches, in one statement, only the targets whose kept status is unchanged and not evaluated later', async () => {
      const db = await databases.init(databaseId);
      await db.migrate.latest({ directory: MIGRATIONS });
      await db('sla_target_states').insert([
        state('a', 'same'),
        state('a', 'changed', { status: 'at-risk' }),
        state('b', 'later', { evaluated_at: 9_999 }),
        state('b', 'level', { warning_level: 50 }),
        state('c', 'history-missing', { backfilled_at: null }),
        state('c', 'no-holds', { holds_until: null }),
      ]);
      const store = new TargetStateStore(db);
      const written = await store.touchUnchangedMany([
        touch('a', 'changed'),
        touch('a', 'same'),
        touch('b', 'later'),
        touch('b', 'level'),
        touch('c', 'history-missing'),
        touch('c', 'no-holds'),
        touch('d', 'never-evaluated'),
      ]);
      expect(written).toEqual([false, true, false, false, false, true, false]);
      const rows = await db('sla_target_states')
        .orderBy(['agreement_id', 'target_id'])
        .select('target_id', 'evaluated_at', 'fingerprint', 'holds_until');
      expect(
        rows.map(r => [
          r.target_id,
          Number(r.evaluated_at),
          r.fingerprint,
          Number(r.holds_until),
        ]),
      ).toEqual([
        ['changed', 1_000, 'f0', 2_000],
        ['same', 5_000, 'f1', 9_000],
        ['later', 9_999, 'f0', 2_000],
        ['level', 1_000, 'f0', 2_000],
        ['history-missing', 1_000, 'f0', 2_000],
        ['no-holds', 5_000, 'f1', 9_000],
      ]);
      // A null fingerprint and agreement version go in as null.
      const [again] = await store.touchUnchangedMany([
        {
          key: { agreementId: 'a', targetId: 'same' },
          state: {
            status: 'met',
            warningLevel: 0,
            evaluatedAt: 6_000,
            fingerprint: null,
            holdsUntil: 7_000,
            agreementVersion: null,
          },
        },
      ]);
      expect(again).toBe(true);
      const same = await store.get({ agreementId: 'a', targetId: 'same' });
      expect(same).toMatchObject({
        evaluatedAt: 6_000,
        fingerprint: null,
        holdsUntil: 7_000,
        agreementVersion: null,
      });
    });

    it('drops each entity’s snapshots after its own instant, in one statement', async () => {
      const db = await databases.init(databaseId);
      await db.migrate.latest({ directory: MIGRATIONS });
      const statuses = new TargetStatusStore(db);
      const snapshot = (entityRef: string, at: number) => ({
        at,
        agreement_id: `${entityRef}-sla`,
        target_id: 'availability',
        entity_ref: entityRef,
        status: 'met',
        fingerprint: 'f',
        kept_at: 0,
      });
      await db('sla_target_snapshots').insert([
        snapshot('component:default/a', 1),
        snapshot('component:default/a', 2),
        snapshot('component:default/a', 3),
        snapshot('component:default/b', 1),
        snapshot('component:default/b', 2),
        snapshot('component:default/c', 3),
      ]);
      const dropped = await statuses.dropAfterEach([
        { entityRef: 'Component:default/A', from: 1 },
        { entityRef: 'component:default/b', from: 2 },
      ]);
      expect(dropped).toBe(2);
      const left = await db('sla_target_snapshots')
        .orderBy(['entity_ref', 'at'])
        .select('entity_ref', 'at');
      expect(left.map(r => `${r.entity_ref}@${Number(r.at)}`)).toEqual([
        'component:default/a@1',
        'component:default/b@1',
        'component:default/b@2',
        'component:default/c@3',
      ]);
    });
  },
);
