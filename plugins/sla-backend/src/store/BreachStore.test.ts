import { resolvePackagePath } from '@backstage/backend-plugin-api';
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { databases } from '../__testUtils__/testBackend';
import { BreachStore, NewBreach } from './BreachStore';

jest.setTimeout(180_000);

const MIGRATIONS = resolvePackagePath(
  '@opensla/backstage-plugin-sla-backend',
  'migrations',
);
const GUARD = '20261202043100_one_open_breach.js';

/** Migrates up to, not including, the migration that adds the guard. */
async function migrateBeforeGuard(db: Knex) {
  const before = fs
    .readdirSync(MIGRATIONS)
    .filter(f => f.endsWith('.js') && f < GUARD)
    .sort();
  await db.migrate.latest({
    migrationSource: {
      getMigrations: async () => before,
      getMigrationName: (name: string) => name,
      getMigration: async (name: string) =>
        require(path.join(MIGRATIONS, name)),
    },
  });
}

const breach = (id: string, overrides: Partial<NewBreach> = {}): NewBreach => ({
  id,
  entityRef: 'component:default/checkout',
  agreementId: 'checkout-sla',
  targetId: 'availability',
  openedAt: '2026-06-10T10:00:00.000Z',
  closedAt: null,
  severity: 'minor',
  cause: 'own',
  causedBy: [],
  worstRemaining: -0.5,
  ...overrides,
});

const row = (b: NewBreach) => ({
  id: b.id,
  entity_ref: b.entityRef,
  agreement_id: b.agreementId,
  target_id: b.targetId,
  opened_at: b.openedAt,
  closed_at: b.closedAt ?? null,
  severity: b.severity,
  cause: b.cause,
  details: JSON.stringify({
    causedBy: b.causedBy,
    worstRemaining: b.worstRemaining,
  }),
});

describe.each(databases.eachSupportedId())('BreachStore on %p', databaseId => {
  it('stores one open breach per target; only the first insert reports it stored', async () => {
    const db = await databases.init(databaseId);
    await db.migrate.latest({ directory: MIGRATIONS });
    const store = new BreachStore(db);
    const key = { agreementId: 'checkout-sla', targetId: 'availability' };
    await store.insertClosed([
      breach('past', { closedAt: '2026-06-09T00:00:00.000Z' }),
    ]);
    const attempts = await Promise.all(
      ['a', 'b', 'c', 'd'].map(id => store.insertOpen(breach(id))),
    );
    expect(attempts.filter(Boolean)).toHaveLength(1);
    const open = await store.open(key);
    expect(attempts[['a', 'b', 'c', 'd'].indexOf(open!.id)]).toBe(true);
    expect(await db('sla_breaches').whereNull('closed_at')).toHaveLength(1);
    // Another target, or the next opening after a close, is stored.
    expect(
      await store.insertOpen(breach('other', { targetId: 'latency' })),
    ).toBe(true);
    await store.close(open!.id, '2026-06-10T12:00:00.000Z');
    expect(
      await store.insertOpen(
        breach('next', { openedAt: '2026-06-10T13:00:00.000Z' }),
      ),
    ).toBe(true);
    expect(await store.lastClosedAt(key)).toBe('2026-06-10T12:00:00.000Z');
  });

  it('folds duplicate open breaches recorded before the guard into the oldest', async () => {
    const db = await databases.init(databaseId);
    await migrateBeforeGuard(db);
    await db('sla_breaches').insert([
      row(breach('young', { openedAt: '2026-06-10T11:00:00.000Z' })),
      row(
        breach('oldest', {
          openedAt: '2026-06-10T10:00:00.000Z',
          worstRemaining: -0.2,
        }),
      ),
      row(
        breach('worst', {
          openedAt: '2026-06-10T10:30:00.000Z',
          severity: 'critical',
          cause: 'internal',
          causedBy: [
            {
              entityRef: 'resource:default/orders-db',
              agreementId: 'orders-db-ola',
              kind: 'OLA',
            },
          ],
          worstRemaining: -7,
        }),
      ),
      row(
        breach('closed', {
          openedAt: '2026-06-08T00:00:00.000Z',
          closedAt: '2026-06-09T00:00:00.000Z',
        }),
      ),
      row(
        breach('elsewhere', {
          targetId: 'latency',
          openedAt: '2026-06-10T10:20:00.000Z',
        }),
      ),
      // Left open although its target recovered since.
      row(
        breach('stranded', {
          targetId: 'errors',
          openedAt: '2026-06-10T10:10:00.000Z',
        }),
      ),
    ]);
    await db('sla_target_states').insert({
      agreement_id: 'checkout-sla',
      target_id: 'errors',
      status: 'met',
      warning_level: 0,
      changed_at: '2026-06-10T12:00:00.000Z',
    });
    await db.migrate.latest({ directory: MIGRATIONS });
    const store = new BreachStore(db);
    const list = await store.list('component:default/checkout');
    expect(
      list.map(b => [b.id, b.targetId, b.closedAt, b.severity, b.cause]),
    ).toEqual([
      ['elsewhere', 'latency', null, 'minor', 'own'],
      ['stranded', 'errors', '2026-06-10T12:00:00.000Z', 'minor', 'own'],
      ['oldest', 'availability', null, 'critical', 'internal'],
      ['closed', 'availability', '2026-06-09T00:00:00.000Z', 'minor', 'own'],
    ]);
    expect(list[2].worstRemaining).toBe(-7);
    expect(list[2].causedBy).toHaveLength(1);
    // From now on the database refuses a second open breach.
    const refused = await db('sla_breaches')
      .insert(row(breach('again')))
      .then(
        () => false,
        () => true,
      );
    expect(refused).toBe(true);
    expect(
      await db('sla_breaches')
        .where('target_id', 'availability')
        .whereNull('closed_at'),
    ).toHaveLength(1);
  });
});
