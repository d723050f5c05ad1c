import { RootConfigService } from '@backstage/backend-plugin-api';
import { Duration } from 'luxon';
import type { RetentionPolicy } from '../domain/retentionHorizons';

/** How the retention task prunes (config `sla.retention`). */
export type RetentionConfig = {
  enabled: boolean;
  policy: RetentionPolicy;
  chunkSize: number;
};

const DAY_MS = 86_400_000;

function readDurationMs(
  config: RootConfigService,
  key: string,
  fallbackMs: number,
): number {
  if (!config.has(key)) return fallbackMs;
  const value = config.get(key);
  let duration: Duration | undefined;
  if (typeof value === 'string') duration = Duration.fromISO(value);
  else if (value && typeof value === 'object' && !Array.isArray(value)) {
    duration = Duration.fromObject(value as Record<string, number>);
  }
  if (!duration?.isValid || duration.toMillis() < 0) {
    throw new Error(
      `${key} must be an ISO 8601 duration such as P7D, or an object such as { days: 7 }`,
    );
  }
  return duration.toMillis();
}

/**
 * Reads `sla.retention` (config.d.ts): raw margin (default P7D), the window
 * of unread series (default P28D), rollups (default P400D) and rows per
 * delete (default 5000). Invalid values stop the backend with a message
 * naming the key.
 */
export function readRetentionConfig(
  config: RootConfigService,
): RetentionConfig {
  const unreadWindow =
    config.getOptionalString('sla.retention.unreadSeriesWindow') ?? 'P28D';
  const unread = Duration.fromISO(unreadWindow);
  if (!unread.isValid || unread.toMillis() <= 0) {
    throw new Error(
      `sla.retention.unreadSeriesWindow must be an ISO 8601 duration such as P28D; got ${unreadWindow}`,
    );
  }
  const chunkSize = config.getOptionalNumber('sla.retention.chunkSize') ?? 5000;
  if (!Number.isInteger(chunkSize) || chunkSize < 1) {
    throw new Error('sla.retention.chunkSize must be a whole number above 0');
  }
  return {
    enabled: config.getOptionalBoolean('sla.retention.enabled') ?? true,
    policy: {
      rawMarginMs: readDurationMs(
        config,
        'sla.retention.rawMargin',
        7 * DAY_MS,
      ),
      unreadWindow,
      rollupsMs: readDurationMs(config, 'sla.retention.rollups', 400 * DAY_MS),
    },
    chunkSize,
  };
}
