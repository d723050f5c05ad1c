import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  SeedFeedback,
  slaFeedbackSeedExtensionPoint,
} from '@opensla/backstage-plugin-sla-node';
import { bob, databases, startSlaBackend } from '../__testUtils__/testBackend';

jest.setTimeout(180_000);

const CHECKOUT = 'component:default/checkout';

function feedbackModule(seeds: SeedFeedback[]) {
  return createBackendModule({
    pluginId: 'sla',
    moduleId: 'test-feedback-seeds',
    register(env) {
      env.registerInit({
        deps: { seeding: slaFeedbackSeedExtensionPoint },
        async init({ seeding }) {
          seeding.addFeedbackSeedProvider({
            name: 'test',
            getFeedback: async () => seeds,
          });
        },
      });
    },
  });
}

describe.each(databases.eachSupportedId())(
  'feedback seeding on %p',
  databaseId => {
    it('stores seeded feedback once and skips invalid items', async () => {
      const recent = new Date(Date.now() - 3_600_000).toISOString();
      const seeds: SeedFeedback[] = [
        {
          id: 'seed-1',
          givenBy: 'user:default/maria',
          givenAt: recent,
          feedback: { entityRef: CHECKOUT, kind: 'impromptu', score: 2 },
        },
        {
          id: 'seed-2',
          givenBy: 'user:default/tom',
          givenAt: recent,
          feedback: {
            entityRef: CHECKOUT,
            kind: 'complaint',
            comment: 'Slow',
            anonymous: true,
          },
          state: 'acknowledged',
        },
        {
          id: 'broken',
          givenBy: 'user:default/x',
          givenAt: recent,
          feedback: { entityRef: CHECKOUT, kind: 'impromptu', score: 9 },
        },
      ];
      const first = await startSlaBackend(databaseId, {
        features: [feedbackModule(seeds)],
      });
      const read = async (http: typeof first.http) =>
        (
          await http
            .get(`/api/sla/feedback?entityRef=${CHECKOUT}`)
            .set('Authorization', bob)
        ).body.items;
      const items = await read(first.http);
      expect(items.map((f: any) => f.id).sort()).toEqual(['seed-1', 'seed-2']);
      const complaint = items.find((f: any) => f.id === 'seed-2');
      expect(complaint).toMatchObject({ state: 'acknowledged', responses: [] });
      expect(complaint.givenBy).toBeUndefined();

      // restart on the same database: nothing is duplicated
      const second = await startSlaBackend(databaseId, {
        knex: first.knex,
        features: [feedbackModule(seeds)],
      });
      expect(await read(second.http)).toHaveLength(2);
    });
  },
);
