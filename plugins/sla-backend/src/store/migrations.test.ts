import { databases } from '../__testUtils__/testBackend';
import { AgreementStore } from './AgreementStore';

jest.setTimeout(120_000);

describe.each(databases.eachSupportedId())('migrations on %p', databaseId => {
  it('lets replicas that start together both start (one waits for the migration lock)', async () => {
    const knex = await databases.init(databaseId);
    const database = { getClient: async () => knex } as any;
    // the first takes knex's lock; the others find it taken while it runs
    const started = await Promise.allSettled(
      [1, 2, 3].map(() => AgreementStore.connect(database)),
    );
    expect(
      started.map(s => (s.status === "rejected" ? String(s.reason) : s.status)),
    ).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ]);
    const [done] = await knex.migrate.list({
      directory: `${__dirname}/../../migrations`,
    });
    expect(done.length).toBeGreaterThan(5);
  });
});
