import { readFileSync } from 'fs';
import { resolve } from 'path';
import { parse } from 'yaml';

/** The example checks of the docs and the demo, so the tests run exactly those. */
export const exampleChecks: Record<string, unknown> = parse(
  readFileSync(
    resolve(__dirname, '../../../../examples/tech-insights-sla-checks.yaml'),
    'utf8',
  ),
);
