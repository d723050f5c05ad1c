import { Duration, IANAZone } from 'luxon';

const ISO_DURATION =
  /^P(?!$)(\d+(?:\.\d+)?Y)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?W)?(\d+(?:\.\d+)?D)?(T(?=\d)(\d+(?:\.\d+)?H)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?S)?)?$/;

/** Parses an ISO 8601 duration; undefined when invalid or not positive. @public */
export function parsePositiveDuration(value: unknown): Duration | undefined {
  if (typeof value !== 'string' || !ISO_DURATION.test(value)) {
    return undefined;
  }
  const duration = Duration.fromISO(value);
  if (!duration.isValid) return undefined;
  // Months and years have no fixed length; compare against a fixed anchor.
  const ms = duration.toMillis();
  return ms > 0 ? duration : undefined;
}

/** @public */
export function isValidTimeZone(value: unknown): value is string {
  return typeof value === 'string' && IANAZone.isValidZone(value);
}

const UNIT_NAMES: Array<[keyof ReturnType<Duration['toObject']>, string]> = [
  ['years', 'year'],
  ['months', 'month'],
  ['weeks', 'week'],
  ['days', 'day'],
  ['hours', 'hour'],
  ['minutes', 'minute'],
  ['seconds', 'second'],
];

/**
 * "PT1H30M" → "1 hour 30 minutes"; with `adjective`, "1 business hour 30 minutes".
 * @public
 */
export function humanizeDuration(iso: string, adjective?: string): string {
  const duration = Duration.fromISO(iso);
  if (!duration.isValid) return iso;
  const parts: string[] = [];
  const values = duration.toObject();
  for (const [key, name] of UNIT_NAMES) {
    const n = values[key];
    if (!n) continue;
    const word = `${name}${n === 1 ? '' : 's'}`;
    parts.push(
      parts.length === 0 && adjective
        ? `${n} ${adjective} ${word}`
        : `${n} ${word}`,
    );
  }
  return parts.join(' ') || iso;
}

const HOUR_MS = 3_600_000;

/**
 * The timeslice rule of threshold targets, in words (docs, API description
 * and the editor say the same). @public
 */
export const TIMESLICE_RULE =
  'must be a whole number of seconds from PT1M to PT1H that divides an hour evenly (e.g. PT1M, PT90S, PT5M, PT15M, PT1H)';

/**
 * Length in ms of a supported threshold timeslice, or undefined. Supported
 * lengths divide an hour, so epoch-aligned slices never straddle an hourly
 * (or daily, weekly) rollup bucket and every slice is counted exactly.
 * @public
 */
export function supportedTimesliceMs(value: unknown): number | undefined {
  const duration = parsePositiveDuration(value);
  if (!duration) return undefined;
  const { years, months, weeks, days } = duration.toObject();
  if (years || months || weeks || days) return undefined;
  const ms = duration.toMillis();
  if (ms < 60_000 || ms > HOUR_MS) return undefined;
  if (ms % 1000 !== 0 || HOUR_MS % ms !== 0) return undefined;
  return ms;
}
