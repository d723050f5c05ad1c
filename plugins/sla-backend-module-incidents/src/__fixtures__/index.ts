import { resolvePackagePath } from '@backstage/backend-plugin-api';
import fs from 'node:fs';

/** Reads a webhook payload fixture, e.g. `fixture('pagerduty', 'incident.triggered')`. */
export function fixture(tool: 'pagerduty' | 'opsgenie', name: string): any {
  const file = resolvePackagePath(
    '@opensla/backstage-plugin-sla-backend-module-incidents',
    'src/__fixtures__',
    tool,
    `${name}.json`,
  );
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}
