import { InputError } from '@backstage/errors';

/** The earliest instant any route accepts as `at`: 2000-01-01T00:00:00Z. */
export const EARLIEST_AT_MS = Date.UTC(2000, 0, 1);
/** How far ahead of now `at` may be: 366 days (a what-if a year ahead). */
export const MAX_AHEAD_MS = 366 * 24 * 3_600_000;

/**
 * `at` (or another instant query field) within the documented bounds
 * (docs/api.md "Instants"): not before 2000-01-01 and not more than 366
 * days after `now`. A figure further out reads nothing anyone stored and
 * would only make a request evaluate every target for nothing. Returns the
 * instant in ms; a 400 naming the field otherwise. Pure: `now` is passed
 * in. Parsing (the ISO 8601 form) is the caller's; this checks the range.
 */
export function instantWithinBounds(
  field: string,
  instant: number,
  now: number,
): number {
  if (!Number.isFinite(instant)) {
    throw new InputError(`${field} must be an ISO 8601 instant`);
  }
  if (instant < EARLIEST_AT_MS) {
    throw new InputError(`${field} must not be before 2000-01-01T00:00:00Z`);
  }
  if (instant > now + MAX_AHEAD_MS) {
    throw new InputError(
      `${field} must not be more than 366 days after now (${new Date(
        now + MAX_AHEAD_MS,
      ).toISOString()})`,
    );
  }
  return instant;
}
