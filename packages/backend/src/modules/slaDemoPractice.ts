import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  SeedPublishedReport,
  SeedReview,
  slaPracticeSeedExtensionPoint,
} from '@opensla/backstage-plugin-sla-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';

type DemoReview = Omit<SeedReview, 'period' | 'heldAt'> & {
  /** Days before the backend's start it was held (its period ends then). */
  heldDaysAgo: number;
  /** How many days the reviewed period lasts. */
  periodDays: number;
};

type DemoPublication = {
  entityRef: string;
  /** Days after the last full month that its report was published. */
  publishedDaysAfter?: number;
};

const DAY = 86_400_000;

/**
 * Demo practice history (`sla.demo.practiceFile`, examples/sla-practice.yaml):
 * held reviews and published reports dated relative to the start, stored
 * by the plugin once the demo measurements cover their periods. Only
 * installed by this demo backend.
 */
export const slaDemoPracticeModule = createBackendModule({
  pluginId: 'sla',
  moduleId: 'demo-practice',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        seeds: slaPracticeSeedExtensionPoint,
      },
      async init({ config, seeds }) {
        const file = config.getOptionalString('sla.demo.practiceFile');
        if (!file) return;
        const start = Date.now();
        const read = async () =>
          parse(await fs.readFile(path.resolve(file), 'utf8')) ?? {};
        seeds.addPracticeSeedProvider({
          name: `demo data (${path.basename(file)})`,
          async getReviews() {
            const items = ((await read()).reviews ?? []) as DemoReview[];
            return items.map(({ heldDaysAgo, periodDays, ...review }) => {
              const end = start - heldDaysAgo * DAY;
              return {
                ...review,
                heldAt: new Date(end).toISOString(),
                period: {
                  start: new Date(end - periodDays * DAY).toISOString(),
                  end: new Date(end).toISOString(),
                },
              };
            });
          },
          async getPublishedReports(): Promise<SeedPublishedReport[]> {
            const items = ((await read()).publishedReports ??
              []) as DemoPublication[];
            const now = new Date(start);
            const thisMonth = Date.UTC(now.getUTCFullYear(), now.getUTCMonth());
            // the last full month, YYYY-MM
            const month = new Date(thisMonth - DAY).toISOString().slice(0, 7);
            return items.map(({ entityRef, publishedDaysAfter }) => ({
              entityRef,
              month,
              publishedAt: new Date(
                Math.min(start, thisMonth + (publishedDaysAfter ?? 1) * DAY),
              ).toISOString(),
            }));
          },
        });
      },
    });
  },
});
