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
  let millis: number;
  if (typeof value === 'string' && /^\d{1,20}$/.test(value)) {
    // exact: no floating point on the way
    const n = BigInt(value);
    if (n > 10n ** 17n) millis = Number(n / 1_000_000n);
    else if (n > 10n ** 14n) millis = Number(n / 1_000n);
    else millis = Number(n);
  } else if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
    // a 19-digit number is not exact as a double (steps of 256 ns); rounding
    // to whole microseconds first keeps the millisecond right
    if (value > 1e17) millis = Math.floor(Math.round(value / 1e3) / 1e3);
    else if (value > 1e14) millis = Math.floor(value / 1e3);
    else millis = Math.floor(value);
  } else {
    return undefined;
  }
  if (millis <= 0) return undefined;
  const parsed = DateTime.fromMillis(millis, { zone: 'utc' });
  return parsed.isValid ? parsed.toISO()! : undefined;
}
