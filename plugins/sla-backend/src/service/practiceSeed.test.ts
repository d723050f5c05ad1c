import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  SeedPublishedReport,
  SeedReview,
  slaPracticeSeedExtensionPoint,
  slaSeedExtensionPoint,
} from '@opensla/backstage-plugin-sla-node';
import { capturingScheduler } from '../__testUtils__/capturingScheduler';
import {
  alice,
  bob,
  databases,
  startSlaBackend,
  validAgreement,
} from '../__testUtils__/testBackend';

jest.setTimeout(180_000);

const CHECKOUT = 'component:default/checkout';
const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString();

/** The last full UTC month before now, as YYYY-MM and its middle. */
function lastMonth() {
  const now = new Date();
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1);
  return { month: iso(start).slice(0, 7), middle: start + 14 * DAY };
}

function practiceModule(reviews: SeedReview[], reports: SeedPublishedReport[]) {
  const agreement = validAgreement();
  return createBackendModule({
    pluginId: 'sla',
    moduleId: 'test-practice-seeds',
    register(env) {
      env.registerInit({
        deps: {
          agreements: slaSeedExtensionPoint,
          practice: slaPracticeSeedExtensionPoint,
        },
        async init({ agreements, practice }) {
          agreements.addSeedProvider({
            name: 'test',
            getAgreements: async () => [
              {
                id: 'checkout-sla',
                status: 'agreed',
                agreement: agreement as any,
              },
            ],
          });
          practice.addPracticeSeedProvider({
            name: 'test',
            getReviews: async () => reviews,
            getPublishedReports: async () => reports,
          });
        },
      });
    },
  });
}

describe.each(databases.eachSupportedId())(
  'practice seeding on %p',
  databaseId => {
    const now = Date.now();
    const review: SeedReview = {
      id: 'held-last-week',
      agreementId: 'checkout-sla',
      period: { start: iso(now - 3 * DAY), end: iso(now - DAY) },
      heldAt: iso(now - DAY),
      participants: ['user:default/alice', 'Customer: web shop'],
      minutes: 'Availability fine.',
      serviceReviewInterval: 'P1M',
    };
    const invalid: SeedReview[] = [
      { ...review, id: 'no-agreement', agreementId: 'nope' },
      { ...review, id: 'no-participants', participants: [] },
    ];

    it('stores reviews and reports once their periods have data, once across runs and replicas', async () => {
      const { month, middle } = lastMonth();
      const reports: SeedPublishedReport[] = [
        { entityRef: CHECKOUT, month, publishedAt: iso(now - DAY) },
        { entityRef: 'component:default/ghost', month },
      ];
      const first = capturingScheduler();
      const backend = await startSlaBackend(databaseId, {
        features: [
          practiceModule([review, ...invalid], reports),
          first.factory,
        ],
      });
      const { http } = backend;
      const task = first.tasks.get('sla-practice-seed')!;
      expect(task).toBeDefined();
      const reviews = async () =>
        (
          await http
            .get(`/api/sla/reviews?entityRef=${CHECKOUT}`)
            .set('Authorization', bob)
        ).body.items;
      const published = async () =>
        (
          await http
            .get(`/api/sla/reports/published?entityRef=${CHECKOUT}`)
            .set('Authorization', bob)
        ).body.items;

      // no data yet: nothing is frozen from an empty period
      await task.fn();
      expect(await reviews()).toEqual([]);
      expect(await published()).toEqual([]);

      const ingest = await http
        .post('/api/sla/measurements')
        .set('Authorization', alice)
        .send({
          items: [now - 2 * DAY, middle].map(t => ({
            entityRef: CHECKOUT,
            metric: 'checkout_requests',
            timestamp: iso(t),
            good: 999,
            total: 1000,
          })),
        });
      expect(ingest.status).toBeLessThan(300);

      await task.fn();
      const stored = await reviews();
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({
        id: 'held-last-week',
        status: 'held',
        heldAt: review.heldAt,
        createdBy: 'seed:test',
        serviceReviewInterval: 'P1M',
      });
      expect(stored[0].snapshot.targetsMeasured).toBeGreaterThan(0);
      expect(stored[0].snapshot.attainment[0]).toMatchObject({
        targetId: expect.any(String),
        attainment: 99.9,
      });
      const reportsStored = await published();
      expect(reportsStored).toHaveLength(1);
      expect(reportsStored[0]).toMatchObject({
        entityRef: CHECKOUT,
        publishedAt: iso(now - DAY),
        publishedBy: 'seed:test',
      });
      expect(reportsStored[0].period.start.slice(0, 7)).toBe(month);

      // the schedule counts the seeded review: the service review is not
      // overdue (the agreement review is: P3M after 2026-01-01)
      const schedule = (
        await http
          .get('/api/sla/reviews?agreementId=checkout-sla')
          .set('Authorization', bob)
      ).body.schedules[0];
      expect(schedule.lastReviewAt).toBe(review.heldAt);
      expect(schedule.overdue).toEqual(['agreement']);

      // a second replica on the same database, and a later run: no copies
      const second = capturingScheduler();
      await startSlaBackend(databaseId, {
        knex: backend.knex,
        features: [
          practiceModule([review, ...invalid], reports),
          second.factory,
        ],
      });
      await Promise.all([
        task.fn(),
        second.tasks.get('sla-practice-seed')!.fn(),
      ]);
      expect(await reviews()).toHaveLength(1);
      expect(await published()).toHaveLength(1);
    });
  },
);
