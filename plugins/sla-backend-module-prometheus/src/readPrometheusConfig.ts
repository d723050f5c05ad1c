import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { Duration } from 'luxon';

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
};

/** The module's configuration, `sla.prometheus`. @public */
export type PrometheusConfig = {
  source: PrometheusMetricSourceOptions;
  schedule: SchedulerServiceTaskScheduleDefinition;
};

export const DEFAULT_TIMEOUT = Duration.fromObject({ seconds: 30 });
export const DEFAULT_STEP = Duration.fromObject({ minutes: 1 });
export const DEFAULT_MAX_RANGE = Duration.fromObject({ days: 1 });
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
