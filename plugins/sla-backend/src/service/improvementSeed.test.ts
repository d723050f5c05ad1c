import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  SeedImprovement,
  slaImprovementSeedExtensionPoint,
  slaSeedExtensionPoint,
} from '@opensla/backstage-plugin-sla-node';
import {
  bob,
  databases,
  startSlaBackend,
  validAgreement,
} from '../__testUtils__/testBackend';

jest.setTimeout(180_000);

const CHECKOUT = 'component:default/checkout';

function seedModule(seeds: SeedImprovement[]) {
  const agreement = validAgreement();
  return createBackendModule({
    pluginId: 'sla',
    moduleId: 'test-improvement-seeds',
    register(env) {
      env.registerInit({
        deps: {
          agreements: slaSeedExtensionPoint,
          improvements: slaImprovementSeedExtensionPoint,
        },
        async init({ agreements, improvements }) {
          agreements.addSeedProvider({
            name: 'test',
            getAgreements: async () => [
              {
                id: 'checkout-sla',
                status: 'agreed',
                agreement: {
                  ...(agreement as any),
                  targets: (agreement.targets as any[]).map((t, i) => ({
                    ...t,
                    id: i === 0 ? 'availability' : 'p1-resolution',
                  })),
                },
              },
            ],
          });
          improvements.addImprovementSeedProvider({
            name: 'test',
            getImprovements: async () => seeds,
          });
        },
      });
    },
  });
}

describe.each(databases.eachSupportedId())(
  'improvement seeding on %p',
  databaseId => {
    it('stores seeded initiatives once, after the agreements, and skips invalid ones', async () => {
      const seeds: SeedImprovement[] = [
        {
          id: 'faster-p1',
          entityRef: CHECKOUT,
          title: 'On-call rota for P1 incidents',
          source: 'breach',
          owner: 'group:default/team-checkout',
          status: 'in-progress',
          progress: 40,
          due: '2030-01-31T23:59:59Z',
          targets: [{ agreementId: 'checkout-sla', targetId: 'p1-resolution' }],
          createdAt: '2026-11-01T09:00:00Z',
        },
        {
          id: 'cdn',
          entityRef: CHECKOUT,
          title: 'Serve images from the CDN',
          source: 'review',
          owner: 'group:default/team-checkout',
          status: 'done',
          progress: 100,
          createdAt: '2026-10-01T09:00:00Z',
          completedAt: '2026-11-10T09:00:00Z',
        },
        {
          id: 'bad-date',
          entityRef: CHECKOUT,
          title: 'Started whenever',
          source: 'review',
          owner: 'group:default/team-checkout',
          createdAt: 'last week',
        },
        {
          id: 'bad-progress',
          entityRef: CHECKOUT,
          title: 'Too much',
          source: 'review',
          owner: 'group:default/team-checkout',
          progress: 140,
        },
        {
          id: 'foreign-target',
          entityRef: CHECKOUT,
          title: 'Links a target of no agreement of checkout',
          source: 'feedback',
          owner: 'group:default/team-checkout',
          targets: [{ agreementId: 'cart-sla', targetId: 'availability' }],
        },
      ];
      const first = await startSlaBackend(databaseId, {
        features: [seedModule(seeds)],
      });
      const read = async (http: typeof first.http) =>
        (
          await http
            .get(`/api/sla/improvements?entityRef=${CHECKOUT}`)
            .set('Authorization', bob)
        ).body;
      const body = await read(first.http);
      expect(body.items.map((i: any) => i.id).sort()).toEqual([
        'cdn',
        'faster-p1',
      ]);
      expect(body.items.find((i: any) => i.id === 'cdn')).toMatchObject({
        status: 'done',
        createdAt: '2026-10-01T09:00:00.000Z',
        completedAt: '2026-11-10T09:00:00.000Z',
      });
      expect(body.items.filter((i: any) => i.id === 'faster-p1')).toEqual([
        expect.objectContaining({
          id: 'faster-p1',
          status: 'in-progress',
          progress: 40,
          targets: [{ agreementId: 'checkout-sla', targetId: 'p1-resolution' }],
          version: 1,
          createdAt: '2026-11-01T09:00:00.000Z',
          createdBy: 'sla:seed',
        }),
      ]);
      expect(body.plan).toMatchObject({ total: 2, open: 1, done: 1 });

      // restart on the same database: nothing is duplicated or overwritten
      const second = await startSlaBackend(databaseId, {
        knex: first.knex,
        features: [
          seedModule([{ ...seeds[0], title: 'Changed in the seed file' }]),
        ],
      });
      expect((await read(second.http)).items).toEqual(body.items);
    });
  },
);
