import { TargetWindow } from '@opensla/backstage-plugin-sla-common';
import { DateTime, Duration } from 'luxon';
import { Interval } from './Interval';

/**
 * The span [start, at) a target's window covers when evaluated at `at`.
 *
 * Rolling windows subtract the duration on the UTC calendar, so P1M and P1Y
 * are calendar months and years (2024-03-31 minus P1M is 2024-02-29, luxon
 * clamping to the month's last day). Calendar windows start at the local
 * start of the ISO week (Monday 00:00), month, quarter or year that holds `at`.
 */
export function resolveWindow(window: TargetWindow, at: number): Interval {
  if (window.type === 'rolling') {
    const duration = Duration.fromISO(window.duration);
    if (!duration.isValid) {
      throw new Error(`Invalid rolling window duration: ${window.duration}`);
    }
    const start = DateTime.fromMillis(at, { zone: 'utc' })
      .minus(duration)
      .toMillis();
    return { start, end: at };
  }
  const local = DateTime.fromMillis(at, { zone: window.timeZone });
  if (!local.isValid) {
    throw new Error(`Unknown time zone: ${window.timeZone}`);
  }
  // useLocaleWeeks: false keeps ISO weeks (Monday) whatever the host locale.
  const start = local
    .startOf(window.unit, { useLocaleWeeks: false })
    .toMillis();
  return { start, end: at };
}
