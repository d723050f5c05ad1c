import { resolvePackagePath } from '@backstage/backend-plugin-api';
import type { Agreement, Improvement } from '@opensla/backstage-plugin-sla-common';
import { databases } from '../__testUtils__/testBackend';
import { agreement, availability } from '../domain/viability/testGraph';
import { AgreementStore } from './AgreementStore';
import { FeedbackStore, StoredFeedback } from './FeedbackStore';
import { ImprovementStore } from './ImprovementStore';

jest.setTimeout(180_000);

const IDS = Array.from({ length: 20 }, (_, i) => `seed-${i}`);

/**
 * Replicas that start together run the same seeds at the same moment: every
 * seeded row is stored once, each insert tells truly whether it stored, and
 * neither replica fails on the other's rows (on PostgreSQL the two stores'
 * statements run on separate connections, interleaved).
 */
describe.each(databases.eachSupportedId())('seeding races on %p', id => {
  async function migrated() {
    const db = await databases.init(id);
    await db.migrate.latest({
      directory: resolvePackagePath(
        '@opensla/backstage-plugin-sla-backend',
        'migrations',
      ),
    });
    return db;
  }

  it('stores each seeded agreement once, with one version', async () => {
    const db = await migrated();
    const replicas = [new AgreementStore(db), new AgreementStore(db)];
    const seeds: Agreement[] = IDS.map(i =>
      agreement(i, `component:default/${i}`, [availability(99.9)]),
    );
    const results = await Promise.all(
      // each seed by both replicas at the same moment
      seeds.flatMap(a =>
        replicas.map(store =>
          store.insert(a, { type: 'created', summary: 'seed' }),
        ),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(IDS.length);
    const [{ n: rows }] = await db('sla_agreements').count({ n: '*' });
    const [{ n: versions }] = await db('sla_agreement_versions').count({
      n: '*',
    });
    const [{ n: targets }] = await db('sla_targets').count({ n: '*' });
    expect(Number(rows)).toBe(IDS.length);
    expect(Number(versions)).toBe(IDS.length);
    expect(Number(targets)).toBe(IDS.length);
  });

  it('stores each seeded feedback item and initiative once', async () => {
    const db = await migrated();
    const feedback = [new FeedbackStore(db), new FeedbackStore(db)];
    const improvements = [new ImprovementStore(db), new ImprovementStore(db)];
    const item = (i: string): StoredFeedback =>
      ({
        id: i,
        entityRef: 'component:default/checkout',
        kind: 'impromptu',
        score: 4,
        scale: 'csat',
        comment: 'fine',
        givenAt: '2026-11-01T10:00:00.000Z',
        givenBy: 'user:default/alice',
        version: 1,
      } as StoredFeedback);
    const initiative = (i: string): Improvement =>
      ({
        id: i,
        entityRef: 'component:default/checkout',
        title: i,
        status: 'planned',
        version: 1,
        createdAt: '2026-11-01T10:00:00.000Z',
        createdBy: 'sla:seed',
        updatedAt: '2026-11-01T10:00:00.000Z',
        updatedBy: 'sla:seed',
      } as unknown as Improvement);
    const stored = await Promise.all([
      ...IDS.flatMap(i => feedback.map(s => s.insertIfAbsent(item(i)))),
      ...IDS.flatMap(i =>
        improvements.map(s => s.insertIfAbsent(initiative(i))),
      ),
    ]);
    expect(stored.filter(Boolean)).toHaveLength(2 * IDS.length);
    const [{ n: f }] = await db('sla_feedback').count({ n: '*' });
    const [{ n: imp }] = await db('sla_improvements').count({ n: '*' });
    expect(Number(f)).toBe(IDS.length);
    expect(Number(imp)).toBe(IDS.length);
  });
});
