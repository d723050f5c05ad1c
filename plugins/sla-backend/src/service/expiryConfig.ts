import {
  RootConfigService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Duration } from 'luxon';
import { DEFAULT_NOTICE_DAYS } from '../domain/expiry';

/** How the expiry task runs and when it gives notice. */
export type ExpiryConfig = {
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** Days before validUntil to notify the owners, largest first. */
  noticeDays: number[];
};

const DEFAULT_FREQUENCY = { minutes: 15 };
const UNITS = [
  'years',
  'months',
  'weeks',
  'days',
  'hours',
  'minutes',
  'seconds',
  'milliseconds',
];

function readFrequency(
  value: unknown,
): SchedulerServiceTaskScheduleDefinition['frequency'] {
  const key = 'sla.expiry.frequency';
  if (typeof value === 'string') {
    const duration = Duration.fromISO(value);
    if (!duration.isValid || duration.toMillis() <= 0) {
      throw new Error(
        `${key} must be an ISO 8601 duration such as PT15M, or an object such as { minutes: 15 } or { cron: '*/15 * * * *' }; got ${value}`,
      );
    }
    return duration;
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const object = value as Record<string, unknown>;
    if (typeof object.cron === 'string') return { cron: object.cron };
    const keys = Object.keys(object);
    if (
      keys.length &&
      keys.every(k => UNITS.includes(k) && typeof object[k] === 'number') &&
      keys.some(k => (object[k] as number) > 0)
    ) {
      return object as SchedulerServiceTaskScheduleDefinition['frequency'];
    }
  }
  throw new Error(
    `${key} must be an ISO 8601 duration such as PT15M, or an object such as { minutes: 15 } or { cron: '*/15 * * * *' }`,
  );
}

/**
 * Reads `sla.expiry` (see config.d.ts): `frequency` of the expiry task
 * (default every 15 minutes, first run 10 seconds after start) and
 * `noticeDays` (default [30, 7, 1]; [] turns advance notices off).
 * Invalid values stop the backend with a message naming the key.
 */
export function readExpiryConfig(config: RootConfigService): ExpiryConfig {
  const frequency = config.has('sla.expiry.frequency')
    ? readFrequency(config.get('sla.expiry.frequency'))
    : DEFAULT_FREQUENCY;
  let noticeDays = DEFAULT_NOTICE_DAYS;
  if (config.has('sla.expiry.noticeDays')) {
    const value = config.get('sla.expiry.noticeDays');
    if (
      !Array.isArray(value) ||
      !value.every(d => typeof d === 'number' && Number.isInteger(d) && d > 0)
    ) {
      throw new Error(
        'sla.expiry.noticeDays must be a list of whole numbers of days greater than 0, e.g. [30, 7, 1]; [] for no advance notice',
      );
    }
    noticeDays = [...new Set(value as number[])].sort((a, b) => b - a);
  }
  return {
    schedule: {
      frequency,
      timeout: { minutes: 10 },
      initialDelay: { seconds: 10 },
    },
    noticeDays,
  };
}
