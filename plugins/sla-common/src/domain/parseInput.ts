import { DateTime } from 'luxon';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';

/** A time of day and a UTC offset (or Z) after the date. */
const INSTANT =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * An ISO 8601 instant with a time and an offset (`2026-06-01T00:00:00Z`),
 * in ms since the epoch; undefined for anything else, including dates that
 * do not exist (`2026-02-30T00:00:00Z` is refused, not rolled over to
 * March). The one instant parser of the API's inputs.
 * @public
 */
export function parseInstant(value: unknown): number | undefined {
  if (typeof value !== 'string' || !INSTANT.test(value)) return undefined;
  const parsed = DateTime.fromISO(value, { setZone: true });
  return parsed.isValid ? parsed.toMillis() : undefined;
}

/**
 * A full entity ref (`kind:namespace/name`, the namespace may be left out
 * for `default`) in its canonical spelling; undefined when malformed. The
 * one entity ref parser of the API's inputs.
 * @public
 */
export function parseFullEntityRef(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 500) return undefined;
  try {
    const ref = parseEntityRef(value);
    if (!ref.kind || !ref.namespace || !ref.name) return undefined;
    return stringifyEntityRef(ref);
  } catch {
    return undefined;
  }
}
