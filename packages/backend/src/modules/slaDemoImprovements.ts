import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  SeedImprovement,
  slaImprovementSeedExtensionPoint,
} from '@opensla/backstage-plugin-sla-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';

type DemoImprovement = Omit<
  SeedImprovement,
  'due' | 'createdAt' | 'completedAt'
> & {
  /** Days after the backend's start it is due (negative: already past). */
  dueInDays?: number;
  /** Days before the backend's start it was started. */
  startedDaysAgo?: number;
  /** Days before the backend's start it was done (status `done`). */
  completedDaysAgo?: number;
};

const DAY = 86_400_000;

/**
 * Demo improvement initiatives for the portal's service improvement plans
 * (`sla.demo.improvementsFile`, examples/sla-improvements.yaml), created
 * once by id when the backend starts, dated relative to the start so that
 * one stays overdue and the others due. Only installed by this demo backend.
 */
export const slaDemoImprovementsModule = createBackendModule({
  pluginId: 'sla',
  moduleId: 'demo-improvements',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        seeds: slaImprovementSeedExtensionPoint,
      },
      async init({ config, seeds }) {
        const file = config.getOptionalString('sla.demo.improvementsFile');
        if (!file) return;
        seeds.addImprovementSeedProvider({
          name: `demo data (${path.basename(file)})`,
          async getImprovements() {
            const now = Date.now();
            const at = (days: number) =>
              new Date(now + days * DAY).toISOString();
            const data = parse(await fs.readFile(path.resolve(file), 'utf8'));
            const items = (data?.improvements ?? []) as DemoImprovement[];
            return items.map(
              ({ dueInDays, startedDaysAgo, completedDaysAgo, ...item }) => ({
                ...item,
                ...(dueInDays !== undefined ? { due: at(dueInDays) } : {}),
                ...(startedDaysAgo !== undefined
                  ? { createdAt: at(-startedDaysAgo) }
                  : {}),
                ...(completedDaysAgo !== undefined
                  ? { completedAt: at(-completedDaysAgo) }
                  : {}),
              }),
            );
          },
        });
      },
    });
  },
});
