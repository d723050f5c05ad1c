import { DateTime } from 'luxon';

/**
 * An ISO 8601 instant with an offset (`Z` or `±hh:mm`), normalised to UTC
 * with milliseconds so that a redelivered event gives the same `at`.
 * Undefined for anything else (no offset, not a date).
 */
export function isoInstant(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(value.trim())) return undefined;
  const parsed = DateTime.fromISO(value.trim(), { setZone: true });
  return parsed.isValid ? parsed.toUTC().toISO()! : undefined;
}

/**
 * An epoch timestamp as Opsgenie sends it: `createdAt` in milliseconds,
 * `updatedAt` in nanoseconds (19 digits). The unit is told by the size: a
 * value above 1e17 is nanoseconds, above 1e14 microseconds, otherwise
 * milliseconds (any date after 1973 and before 5138).
 */
export function epochInstant(value: unknown): string | undefined {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) return undefined;
  let millis = n;
  if (n > 1e17) millis = Math.floor(n / 1e6);
  else if (n > 1e14) millis = Math.floor(n / 1e3);
  const parsed = DateTime.fromMillis(Math.floor(millis), { zone: 'utc' });
  return parsed.isValid ? parsed.toISO()! : undefined;
}
