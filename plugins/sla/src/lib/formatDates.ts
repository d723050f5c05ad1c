import { DateTime } from 'luxon';

/**
 * "1 Jan 2026". Agreement dates are shown in UTC because the editor stores
 * validity at UTC day boundaries; a local zone would shift them by a day.
 */
export function formatDate(instant: string): string {
  const date = DateTime.fromISO(instant, { zone: 'utc' });
  return date.isValid
    ? date.setLocale('en-GB').toFormat('d LLL yyyy')
    : instant;
}

/** "1 Jan 2026, 14:05" in the viewer's zone, for when something happened. */
export function formatDateTime(instant: string): string {
  const date = DateTime.fromISO(instant);
  return date.isValid
    ? date.setLocale('en-GB').toFormat('d LLL yyyy, HH:mm')
    : instant;
}

/** "1 Jan 2026 – 31 Dec 2026", "from 1 Jan 2026", or "open-ended". */
export function formatValidity(
  validFrom?: string,
  validUntil?: string,
): string {
  if (validFrom && validUntil) {
    return `${formatDate(validFrom)} – ${formatDate(validUntil)}`;
  }
  if (validFrom) return `from ${formatDate(validFrom)}`;
  if (validUntil) return `until ${formatDate(validUntil)}`;
  return 'open-ended';
}
