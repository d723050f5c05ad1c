import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  SeedAgreement,
  slaSeedExtensionPoint,
} from '@opensla/backstage-plugin-sla-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';

/**
 * Demo data for the portal: the agreements in `sla.demo.agreementsFile`
 * (examples/sla-agreements.yaml) are created when the backend starts, once
 * (seeding skips ids that exist). Only installed by this demo backend.
 */
export const slaDemoAgreementsModule = createBackendModule({
  pluginId: 'sla',
  moduleId: 'demo-agreements',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        seeds: slaSeedExtensionPoint,
      },
      async init({ config, seeds }) {
        const file = config.getOptionalString('sla.demo.agreementsFile');
        if (!file) return;
        seeds.addSeedProvider({
          name: `demo data (${path.basename(file)})`,
          async getAgreements() {
            const text = await fs.readFile(path.resolve(file), 'utf8');
            return (parse(text).agreements ?? []) as SeedAgreement[];
          },
        });
      },
    });
  },
});
