import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { Duration } from 'luxon';

const CONFIG_KEY = 'sla.incidents';

export interface IncidentsConfig {
  pagerduty?: { topic: string; webhookSecrets?: string[] };
  opsgenie?: {
    topic: string;
    alertUrlBase?: string;
    webhookHeader?: { name: string; value: string };
  };
  /** How long a catalog lookup is reused; zero turns the cache off. */
  catalogCacheTtl: Duration;
}

function readTool(
  config: Config,
  tool: 'pagerduty' | 'opsgenie',
): { topic: string } | undefined {
  const key = `${CONFIG_KEY}.${tool}`;
  if (config.getOptionalBoolean(`${key}.enabled`) === false) return undefined;
  const topic = config.getOptionalString(`${key}.topic`) ?? tool;
  if (!/^[A-Za-z0-9._-]+$/.test(topic)) {
    throw new InputError(
      `Invalid topic in config at '${key}.topic': use letters, digits, '.', '_' or '-'`,
    );
  }
  return { topic };
}

/**
 * Reads `sla.incidents`. Every key is optional: by default both feeds are
 * on, on the topics `pagerduty` and `opsgenie`, with a 60 second catalog
 * cache.
 */
export function readIncidentsConfig(config: Config): IncidentsConfig {
  const pagerdutyTool = readTool(config, 'pagerduty');
  let pagerduty: IncidentsConfig['pagerduty'];
  if (pagerdutyTool) {
    const secretsKey = `${CONFIG_KEY}.pagerduty.webhookSecrets`;
    const webhookSecrets = config.getOptionalStringArray(secretsKey);
    if (webhookSecrets && webhookSecrets.some(s => s.trim() === '')) {
      throw new InputError(`Invalid config at '${secretsKey}': empty secret`);
    }
    pagerduty = {
      ...pagerdutyTool,
      ...(webhookSecrets?.length ? { webhookSecrets } : {}),
    };
  }
  const opsgenieTool = readTool(config, 'opsgenie');
  let opsgenie: IncidentsConfig['opsgenie'];
  if (opsgenieTool) {
    const urlKey = `${CONFIG_KEY}.opsgenie.alertUrlBase`;
    const alertUrlBase = config.getOptionalString(urlKey);
    if (
      alertUrlBase !== undefined &&
      !/^https?:\/\/[^\s]+$/.test(alertUrlBase)
    ) {
      throw new InputError(`Invalid URL in config at '${urlKey}'`);
    }
    const headerKey = `${CONFIG_KEY}.opsgenie.webhookHeader`;
    const headerConfig = config.getOptionalConfig(headerKey);
    let webhookHeader: { name: string; value: string } | undefined;
    if (headerConfig) {
      const name = headerConfig.getString('name');
      const value = headerConfig.getString('value');
      if (!/^[A-Za-z0-9-]+$/.test(name) || value.trim() === '') {
        throw new InputError(
          `Invalid config at '${headerKey}': a header name and a non-empty value`,
        );
      }
      webhookHeader = { name: name.toLowerCase(), value };
    }
    opsgenie = {
      ...opsgenieTool,
      ...(alertUrlBase ? { alertUrlBase } : {}),
      ...(webhookHeader ? { webhookHeader } : {}),
    };
  }
  if (pagerduty && opsgenie && pagerduty.topic === opsgenie.topic) {
    throw new InputError(
      `Invalid config at '${CONFIG_KEY}': pagerduty and opsgenie need different topics`,
    );
  }
  const ttlKey = `${CONFIG_KEY}.catalogCacheTtl`;
  let catalogCacheTtl = Duration.fromObject({ seconds: 60 });
  if (config.has(ttlKey)) {
    const raw = config.get(ttlKey);
    catalogCacheTtl =
      typeof raw === 'number'
        ? Duration.fromMillis(raw)
        : Duration.fromObject(readDurationFromConfig(config, { key: ttlKey }));
    const millis = catalogCacheTtl.toMillis();
    if (
      !catalogCacheTtl.isValid ||
      !Number.isFinite(millis) ||
      millis < 0 ||
      millis > 3_600_000
    ) {
      throw new InputError(
        `Invalid duration in config at '${ttlKey}': between 0 and 1 hour`,
      );
    }
  }
  return { pagerduty, opsgenie, catalogCacheTtl };
}
