import type { Knex } from 'knex';
import { migrated } from '../__testUtils__/replica';
import { databases } from '../__testUtils__/testBackend';
import { agreement, availability } from '../domain/viability/testGraph';
import { AgreementStore } from './AgreementStore';
import { LATE_COMMIT_WINDOW, ChangeLog, NOTED_TABLES } from './ChangeLog';

jest.setTimeout(40_000);

/** A fresh database with every migration run. */
async function migratedDatabase(id: Parameters<typeof databases.init>[0]) {
  return migrated(await databases.init(id));
}

function snapshot(at: number, targetId: string) {
  return {
    at,
    agreement_id: 'a-1',
    target_id: targetId,
    entity_ref: 'component:default/a',
    status: 'met',
    fingerprint: 'f',
    kept_at: at,
  };
}

async function triggersOn(db: Knex, table: string): Promise<number> {
  if (db.client.config.client === 'pg') {
    const { rows } = await db.raw(
      'select count(*) as n from pg_trigger where tgrelid = ?::regclass and not tgisinternal',
      [table],
    );
    return Number(rows[0].n);
  }
  const [{ n }] = await db('sqlite_master')
    .where({ type: 'trigger', tbl_name: table })
    .count({ n: '*' });
  return Number(n);
}

/**
 * The stamps the portfolio and the reports keep their reads under
 * (StampedCache) move with every write to the tables read, whoever writes
 * (a store, a hand-made statement, another replica), and stay put
 * otherwise; reading one costs an index lookup (issue 14).
 */
describe.each(databases.eachSupportedId())('change log on %p', id => {
  it('moves a stamp on every insert, update and delete, and only then', async () => {
    const db = await migratedDatabase(id);
    const log = new ChangeLog(db);
    for (const table of NOTED_TABLES) {
      expect(await triggersOn(db, table)).toBeGreaterThan(0);
    }
    const seen = new Set<string>();
    const stamp = async () => {
      const s = await log.stamp(['sla_target_snapshots']);
      expect(await log.stamp(['sla_target_snapshots'])).toBe(s); // no write
      return s;
    };
    seen.add(await stamp());
    const other = await log.stamp(['sla_feedback', 'sla_breaches']);

    await db('sla_target_snapshots').insert(snapshot(1, 't-1'));
    seen.add(await stamp());
    await db('sla_target_snapshots')
      .where({ target_id: 't-1' })
      .update({ status: 'breached' });
    seen.add(await stamp());
    await db('sla_target_snapshots').where({ target_id: 't-1' }).delete();
    seen.add(await stamp());
    expect(seen.size).toBe(4);
    // writes to one table leave the others' stamps as they were
    expect(await log.stamp(['sla_feedback', 'sla_breaches'])).toBe(other);

    const agreements = await log.stamp(['sla_agreements', 'sla_reviews']);
    await new AgreementStore(db).insert(
      agreement('a-1', 'component:default/a', [availability(99.9)]),
      { type: 'created', summary: 'test' },
    );
    expect(await log.stamp(['sla_agreements', 'sla_reviews'])).not.toBe(
      agreements,
    );
  });

  it('answers with one indexed statement whatever the tables hold', async () => {
    const db = await migratedDatabase(id);
    await db.batchInsert(
      'sla_target_snapshots',
      Array.from({ length: 5_000 }, (_, i) => snapshot(1, `t-${i}`)),
      500,
    );
    const statements: string[] = [];
    const onQuery = (q: { sql: string }) => statements.push(q.sql);
    db.on('query', onQuery);
    const s = await new ChangeLog(db).stamp(['sla_target_snapshots']);
    db.off('query', onQuery);
    expect(statements).toHaveLength(1);
    expect(statements[0]).not.toMatch(/sla_target_snapshots"? *(where|$)/);
    expect(statements[0]).toMatch(/sla_change_log/);
    expect(s).not.toBe('0');
  });
});

const postgres = databases
  .eachSupportedId()
  .filter(([id]) => String(id).startsWith('POSTGRES'));

// (PostgreSQL is always there in the README's test command, which starts it)
(postgres.length
  ? describe.each(postgres)
  : describe.skip.each(databases.eachSupportedId()))(
  'change log under concurrent writers on %p',
  id => {
    it('moves the stamp when a transaction that wrote earlier commits later', async () => {
      const db = await migratedDatabase(id);
      const log = new ChangeLog(db);
      const late = await db.transaction();
      try {
        // takes its log id first, commits last
        await late('sla_target_snapshots').insert(snapshot(1, 'late'));
        await db('sla_target_snapshots').insert(snapshot(1, 'early'));
        const before = await log.stamp(['sla_target_snapshots']);
        expect(await log.stamp(['sla_target_snapshots'])).toBe(before);
        await late.commit();
        expect(await log.stamp(['sla_target_snapshots'])).not.toBe(before);
      } finally {
        if (!late.isCompleted()) await late.rollback();
      }
    });

    it('notes a write made under another search_path (a hand-made fix)', async () => {
      const db = await migratedDatabase(id);
      const log = new ChangeLog(db);
      await db('sla_target_snapshots').insert(snapshot(1, 't'));
      const before = await log.stamp(['sla_target_snapshots']);
      const { rows } = await db.raw('select current_schema() as s');
      await db.transaction(async tx => {
        await tx.raw('set local search_path to pg_catalog');
        await tx.raw("update ??.sla_target_snapshots set status = 'breached'", [
          rows[0].s,
        ]);
      });
      expect(await log.stamp(['sla_target_snapshots'])).not.toBe(before);
    });

    it('writers of two tables in opposite orders neither wait nor deadlock', async () => {
      const db = await migratedDatabase(id);
      const a = await db.transaction();
      const b = await db.transaction();
      await a('sla_target_snapshots').insert(snapshot(1, 'a'));
      await b('sla_published_reports')
        .where(db.raw('1 = 0'))
        .update({ published_at: 'x' });
      // each now writes the table the other wrote: with a counter row per
      // table this would wait on the other's lock
      await b('sla_target_snapshots').insert(snapshot(1, 'b'));
      await a('sla_published_reports')
        .where(db.raw('1 = 0'))
        .update({ published_at: 'x' });
      await a.commit();
      await b.commit();
      const [{ n }] = await db('sla_target_snapshots').count({ n: '*' });
      expect(Number(n)).toBe(2);
    });

    it('prunes what no stamp needs and keeps every stamp as it was', async () => {
      const db = await migratedDatabase(id);
      const log = new ChangeLog(db);
      await db.raw(
        "insert into sla_change_log (source) select 'sla_feedback' from generate_series(1, ?)",
        [2 * LATE_COMMIT_WINDOW + 5_000],
      );
      await db('sla_target_snapshots').insert(snapshot(1, 't'));
      const before = await log.stamp(['sla_feedback', 'sla_target_snapshots']);
      // ids 1 … 4,999 lie more than twice the window behind the latest
      expect(await log.prune()).toBe(4_999);
      expect(await log.stamp(['sla_feedback', 'sla_target_snapshots'])).toBe(
        before,
      );
      expect(await log.prune()).toBe(0);
    });
  },
);
