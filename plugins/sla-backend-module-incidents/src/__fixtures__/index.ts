import fs from 'node:fs';
import path from 'node:path';

/** Reads a webhook payload fixture, e.g. `fixture('pagerduty', 'incident.triggered')`. */
export function fixture(tool: 'pagerduty' | 'opsgenie', name: string): any {
  return JSON.parse(
    fs.readFileSync(path.join(__dirname, tool, `${name}.json`), 'utf8'),
  );
}
