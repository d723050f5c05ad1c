import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  SeedAgreement,
  slaSeedExtensionPoint,
} from '@opensla/backstage-plugin-sla-node';
import {
  alice,
  databases,
  startSlaBackend,
  validAgreement,
} from '../__testUtils__/testBackend';

jest.setTimeout(180_000);

function seedModule(seeds: SeedAgreement[]) {
  return createBackendModule({
    pluginId: 'sla',
    moduleId: 'test-seeds',
    register(env) {
      env.registerInit({
        deps: { seeding: slaSeedExtensionPoint },
        async init({ seeding }) {
          seeding.addSeedProvider({
            name: 'test',
            getAgreements: async () => seeds,
          });
        },
      });
    },
  });
}

describe.each(databases.eachSupportedId())('seeding on %p', databaseId => {
  it('creates seeds once, keeps portal edits and skips invalid ones', async () => {
    const seeds: SeedAgreement[] = [
      {
        id: 'checkout-sla',
        status: 'agreed',
        agreement: validAgreement() as any,
      },
      {
        id: 'checkout-draft',
        status: 'draft',
        agreement: validAgreement({ title: 'Draft' }) as any,
      },
      { id: 'broken', agreement: validAgreement({ kind: 'XLA' }) as any },
    ];
    const first = await startSlaBackend(databaseId, {
      features: [seedModule(seeds)],
    });
    const list = await first.http
      .get('/api/sla/agreements')
      .set('Authorization', alice);
    expect(list.body.items.map((a: any) => [a.id, a.status]).sort()).toEqual([
      ['checkout-draft', 'draft'],
      ['checkout-sla', 'agreed'],
    ]);
    const agreed = list.body.items.find((a: any) => a.id === 'checkout-sla');
    expect(agreed).toMatchObject({
      agreedAt: '2026-01-01T00:00:00Z',
      createdBy: 'seed:test',
      nextReviewDue: '2026-04-01T00:00:00.000Z',
    });
    const edited = await first.http
      .put('/api/sla/agreements/checkout-draft')
      .set('Authorization', alice)
      .send(validAgreement({ title: 'Edited in the portal', version: 1 }));
    expect(edited.status).toBe(200);

    const second = await startSlaBackend(databaseId, {
      knex: first.knex,
      features: [seedModule(seeds)],
    });
    const again = await second.http
      .get('/api/sla/agreements')
      .set('Authorization', alice);
    expect(again.body.items).toHaveLength(2);
    expect(
      again.body.items.find((a: any) => a.id === 'checkout-draft').title,
    ).toBe('Edited in the portal');
  });
});
