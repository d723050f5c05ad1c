import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  SeedAgreement,
  SeedFeedback,
  slaFeedbackSeedExtensionPoint,
  slaSeedExtensionPoint,
} from '@opensla/backstage-plugin-sla-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';

type DemoFeedback = Omit<SeedFeedback, 'givenAt'> & {
  /** How many hours before the backend's start it was given. */
  givenHoursAgo: number;
};

/**
 * Demo satisfaction data for the portal: the experience agreements (XLAs)
 * and the feedback in `sla.demo.satisfactionFile`
 * (examples/sla-satisfaction.yaml), created once when the backend starts.
 * Feedback is dated relative to the start (`givenHoursAgo`), so the demo's
 * 30-day satisfaction window always holds it. Only installed by this demo
 * backend.
 */
export const slaDemoSatisfactionModule = createBackendModule({
  pluginId: 'sla',
  moduleId: 'demo-satisfaction',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        seeds: slaSeedExtensionPoint,
        feedbackSeeds: slaFeedbackSeedExtensionPoint,
      },
      async init({ config, seeds, feedbackSeeds }) {
        const file = config.getOptionalString('sla.demo.satisfactionFile');
        if (!file) return;
        const read = async () =>
          parse(await fs.readFile(path.resolve(file), 'utf8')) ?? {};
        const name = `demo data (${path.basename(file)})`;
        seeds.addSeedProvider({
          name,
          async getAgreements() {
            return ((await read()).agreements ?? []) as SeedAgreement[];
          },
        });
        feedbackSeeds.addFeedbackSeedProvider({
          name,
          async getFeedback() {
            const now = Date.now();
            const items = ((await read()).feedback ?? []) as DemoFeedback[];
            return items.map(({ givenHoursAgo, ...item }) => ({
              ...item,
              givenAt: new Date(now - givenHoursAgo * 3_600_000).toISOString(),
            }));
          },
        });
      },
    });
  },
});
