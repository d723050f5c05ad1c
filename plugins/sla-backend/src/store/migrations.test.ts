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

const SIGNATURES = '20261202074700_agreement_signatures.js';
const MIGRATIONS = `${__dirname}/../../migrations`;

describe.each(databases.eachSupportedId())(
  'the signatures migration on %p',
  databaseId => {
    it('marks agreements agreed before signatures existed as signed by both parties, migrated', async () => {
      const knex = await databases.init(databaseId);
      // the schema as it was just before signatures existed
      for (;;) {
        const [, pending] = await knex.migrate.list({ directory: MIGRATIONS });
        if (pending[0].file === SIGNATURES) break;
        await knex.migrate.up({ directory: MIGRATIONS });
      }
      const at = '2026-09-01T00:00:00.000Z';
      const agreement = (
        id: string,
        status: string,
        extra: Record<string, unknown>,
      ) => ({
        id,
        kind: 'SLA',
        entityRef: 'component:default/checkout',
        title: id,
        status,
        targets: [],
        version: 3,
        createdAt: at,
        createdBy: 'user:default/alice',
        updatedAt: at,
        updatedBy: 'user:default/alice',
        ...extra,
      });
      const rows = [
        agreement('with-customer', 'agreed', {
          customer: 'group:store-operations',
          agreedAt: at,
          agreedBy: 'user:default/alice',
        }),
        agreement('free-text', 'agreed', {
          customer: 'All web shop customers',
          agreedAt: at,
          agreedBy: 'seed:demo',
        }),
        agreement('draft', 'draft', { customer: 'group:team-other' }),
      ];
      await knex('sla_agreements').insert(
        rows.map(a => ({
          id: a.id,
          entity_ref: a.entityRef,
          kind: a.kind,
          status: a.status,
          version: a.version,
          created_at: a.createdAt,
          updated_at: a.updatedAt,
          data: JSON.stringify(a),
        })),
      );

      await knex.migrate.up({ directory: MIGRATIONS });

      const read = async (id: string) =>
        JSON.parse(
          (await knex('sla_agreements').where({ id }).first()).data,
        );
      expect(await read('with-customer')).toMatchObject({
        termsVersion: 3,
        signatures: [
          {
            party: 'provider',
            version: 3,
            signedBy: 'user:default/alice',
            signedAt: at,
            migrated: true,
          },
          {
            party: 'customer',
            version: 3,
            signedBy: 'group:default/store-operations',
            signedAt: at,
            migrated: true,
          },
        ],
      });
      const freeText = await read('free-text');
      expect(freeText.signatures).toEqual([
        expect.objectContaining({
          party: 'provider',
          signedBy: 'seed:demo',
          migrated: true,
        }),
      ]);
      const draft = await read('draft');
      expect(draft.termsVersion).toBe(3);
      expect(draft.signatures).toBeUndefined();

      const stored = await knex('sla_agreement_signatures')
        .orderBy(['agreement_id', 'party'])
        .select('agreement_id', 'party', 'migrated', 'completed');
      expect(
        stored.map(r => [
          r.agreement_id,
          r.party,
          Boolean(Number(r.migrated)),
          Boolean(Number(r.completed)),
        ]),
      ).toEqual([
        ['free-text', 'provider', true, true],
        ['with-customer', 'customer', true, true],
        ['with-customer', 'provider', true, false],
      ]);
    });
  },
);
