import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { Duration } from 'luxon';
import { parseQueryTemplate, QueryTemplate } from './queryTemplates';

/** Where and how the Prometheus metric source queries. @public */
export type PrometheusMetricSourceOptions = {
  /** Base URL of the Prometheus HTTP API, without `/api/v1`, e.g. `http://prometheus:9090`. */
  baseUrl: string;
  /** Sent with every request, e.g. `Authorization`. */
  headers: Record<string, string>;
  /** How long one HTTP request may take. */
  timeout: Duration;
  /** Resolution of ratio SLIs: each measurement counts the events of one step. */
  step: Duration;
  /** The longest range one request covers; longer ranges are split. */
  maxRange: Duration;
  /** Query templates by name, which owners pick (`source.template`). Default none. */
  templates?: ReadonlyMap<string, QueryTemplate>;
  /** Whether PromQL written by owners may run. Default false. */
  allowFreeQueries?: boolean;
  /** The largest response body one query may return, in bytes. Default 8 MiB. */
  maxResponseBytes?: number;
  /** The most series one query may return. Default 100. */
  maxSeries?: number;
};

/** The module's configuration, `sla.prometheus`. @public */
export type PrometheusConfig = {
  source: PrometheusMetricSourceOptions;
  schedule: SchedulerServiceTaskScheduleDefinition;
};

export const DEFAULT_TIMEOUT = Duration.fromObject({ seconds: 30 });
export const DEFAULT_STEP = Duration.fromObject({ minutes: 1 });
export const DEFAULT_MAX_RANGE = Duration.fromObject({ days: 1 });
/** A day of one-minute points is about 40 KB per series; this leaves room for the series cap. */
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
export const DEFAULT_MAX_SERIES = 100;
/**
 * Every 5 minutes. The timeout is generous because a first run (or one
 * after an outage) may catch up on days of data for every target.
 */
export const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 5 },
  timeout: { minutes: 30 },
  initialDelay: { seconds: 30 },
};

const CONFIG_KEY = 'sla.prometheus';

/**
 * Reads `sla.prometheus`. Returns undefined when no `baseUrl` is configured,
 * which leaves the module inactive; throws on invalid values so that a
 * misconfiguration stops the backend at startup rather than at every run.
 * @public
 */
export function readPrometheusConfig(
  rootConfig: Config,
): PrometheusConfig | undefined {
  const config = rootConfig.getOptionalConfig(CONFIG_KEY);
  const baseUrl = config?.getOptionalString('baseUrl')?.trim();
  if (!config || !baseUrl) {
    return undefined;
  }

  let parsedBaseUrl: URL;
  try {
    parsedBaseUrl = new URL(baseUrl);
  } catch {
    throw new InputError(
      `Invalid URL '${baseUrl}' in config at '${CONFIG_KEY}.baseUrl'`,
    );
  }
  if (!['http:', 'https:'].includes(parsedBaseUrl.protocol)) {
    throw new InputError(
      `Config at '${CONFIG_KEY}.baseUrl' must be an http(s) URL, got '${baseUrl}'`,
    );
  }

  const headers: Record<string, string> = {};
  const headersConfig = config.getOptionalConfig('headers');
  for (const name of headersConfig?.keys() ?? []) {
    headers[name] = headersConfig!.getString(name);
  }

  const timeout = readOptionalDuration(rootConfig, 'timeout', DEFAULT_TIMEOUT);
  const step = readOptionalDuration(rootConfig, 'step', DEFAULT_STEP);
  const maxRange = readOptionalDuration(
    rootConfig,
    'maxRange',
    DEFAULT_MAX_RANGE,
  );
  if (timeout.toMillis() <= 0) {
    throw new InputError(`Config at '${CONFIG_KEY}.timeout' must be positive`);
  }
  if (!isWholeSeconds(step)) {
    throw new InputError(
      `Config at '${CONFIG_KEY}.step' must be a whole number of seconds, at least 1 s`,
    );
  }
  if (maxRange.toMillis() < step.toMillis()) {
    throw new InputError(
      `Config at '${CONFIG_KEY}.maxRange' must be at least one step (${step.toISO()})`,
    );
  }

  const templates = readTemplates(config);
  const allowFreeQueries =
    config.getOptionalBoolean('allowFreeQueries') ?? false;
  const maxResponseBytes = readPositiveInteger(
    config,
    'limits.maxResponseBytes',
    DEFAULT_MAX_RESPONSE_BYTES,
  );
  const maxSeries = readPositiveInteger(
    config,
    'limits.maxSeries',
    DEFAULT_MAX_SERIES,
  );

  const schedule = config.has('schedule')
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        config.getConfig('schedule'),
      )
    : DEFAULT_SCHEDULE;

  return {
    source: {
      baseUrl: baseUrl.replace(/\/+$/, ''),
      headers,
      timeout,
      step,
      maxRange,
      templates,
      allowFreeQueries,
      maxResponseBytes,
      maxSeries,
    },
    schedule,
  };
}

/** True for durations Prometheus can use as a step: whole seconds, at least one. */
export function isWholeSeconds(duration: Duration): boolean {
  const millis = duration.toMillis();
  return duration.isValid && millis >= 1000 && millis % 1000 === 0;
}

/**
 * A duration given as a number of milliseconds, an ISO 8601 duration
 * (`PT30S`), an `ms`-style string (`30s`) or an object (`{ seconds: 30 }`).
 */
function readOptionalDuration(
  rootConfig: Config,
  name: string,
  defaultValue: Duration,
): Duration {
  const key = `${CONFIG_KEY}.${name}`;
  if (!rootConfig.has(key)) {
    return defaultValue;
  }
  const raw = rootConfig.get(key);
  const duration =
    typeof raw === 'number'
      ? Duration.fromMillis(raw)
      : Duration.fromObject(readDurationFromConfig(rootConfig, { key }));
  if (!duration.isValid || !Number.isFinite(duration.toMillis())) {
    throw new InputError(`Invalid duration in config at '${key}'`);
  }
  return duration;
}

/**
 * `sla.prometheus.templates`: each a `good` and `total` query (ratio SLIs),
 * a `value` query (threshold SLIs), or all three, parsed at startup so that
 * a template whose placeholders could let a value out of its string stops
 * the backend with the key named.
 */
function readTemplates(config: Config): Map<string, QueryTemplate> {
  const templates = new Map<string, QueryTemplate>();
  const templatesConfig = config.getOptionalConfig('templates');
  for (const name of templatesConfig?.keys() ?? []) {
    const key = `${CONFIG_KEY}.templates.${name}`;
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/.test(name)) {
      throw new InputError(
        `Config at '${key}': a template name has letters, digits, ".", "_" or "-" (at most 100)`,
      );
    }
    const templateConfig = templatesConfig!.getConfig(name);
    const parse = (query: 'good' | 'total' | 'value') => {
      const text = templateConfig.getOptionalString(query)?.trim();
      if (!text) {
        return undefined;
      }
      try {
        return parseQueryTemplate(text);
      } catch (error) {
        throw new InputError(
          `Config at '${key}.${query}': ${(error as Error).message}`,
        );
      }
    };
    const template: QueryTemplate = {
      name,
      description: templateConfig.getOptionalString('description'),
      good: parse('good'),
      total: parse('total'),
      value: parse('value'),
    };
    if (Boolean(template.good) !== Boolean(template.total)) {
      throw new InputError(
        `Config at '${key}' needs both good and total queries (ratio SLIs), or neither`,
      );
    }
    if (!template.good && !template.value) {
      throw new InputError(
        `Config at '${key}' needs good and total queries (ratio SLIs), a value query (threshold SLIs), or both`,
      );
    }
    templates.set(name, template);
  }
  return templates;
}

function readPositiveInteger(
  config: Config,
  name: string,
  defaultValue: number,
): number {
  const value = config.getOptionalNumber(name);
  if (value === undefined) {
    return defaultValue;
  }
  if (!Number.isInteger(value) || value <= 0) {
    throw new InputError(
      `Config at '${CONFIG_KEY}.${name}' must be a positive whole number`,
    );
  }
  return value;
}
