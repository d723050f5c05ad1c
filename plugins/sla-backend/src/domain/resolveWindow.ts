import { TargetWindow } from '@opensla/backstage-plugin-sla-common';
import { DateTime, Duration } from 'luxon';
import { Interval } from './Interval';

// Memos of pure results (the same answer for the same input): parsed
// durations, and the calendar period last resolved per unit and zone, so
// that evaluating many targets does not run luxon for each.
const durations = new Map<string, { duration: Duration; fixedMs?: number }>();
const periods = new Map<string, { start: number; next: number }>();

function remember<V>(memo: Map<string, V>, key: string, value: V) {
  if (memo.size >= 1000) memo.clear();
  memo.set(key, value);
}

function parsedDuration(iso: string) {
  let parsed = durations.get(iso);
  if (!parsed) {
    const duration = Duration.fromISO(iso);
    if (!duration.isValid) {
      throw new Error(`Invalid rolling window duration: ${iso}`);
    }
    const calendar = duration.years || duration.quarters || duration.months;
    parsed = {
      duration,
      fixedMs: calendar ? undefined : duration.as('milliseconds'),
    };
    remember(durations, iso, parsed);
  }
  return parsed;
}

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
    const { duration, fixedMs } = parsedDuration(window.duration);
    // Without months or years the UTC calendar subtracts a fixed length.
    const start =
      fixedMs !== undefined
        ? at - fixedMs
        : DateTime.fromMillis(at, { zone: 'utc' }).minus(duration).toMillis();
    return { start, end: at };
  }
  const key = `${window.unit}|${window.timeZone}`;
  const known = periods.get(key);
  if (known && known.start <= at && at < known.next) {
    return { start: known.start, end: at };
  }
  const local = DateTime.fromMillis(at, { zone: window.timeZone });
  if (!local.isValid) {
    throw new Error(`Unknown time zone: ${window.timeZone}`);
  }
  // useLocaleWeeks: false keeps ISO weeks (Monday) whatever the host locale.
  const first = local.startOf(window.unit, { useLocaleWeeks: false });
  const start = first.toMillis();
  remember(periods, key, {
    start,
    next: first.plus({ [window.unit]: 1 }).toMillis(),
  });
  return { start, end: at };
}
