import { DateTime } from 'luxon';
import {
  humanizeDuration,
  TargetWindow,
} from '@opensla/backstage-plugin-sla-common';

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

/**
 * "24 Oct 14:00" in the viewer's zone; with the year when it is not this
 * year's ("24 Oct 2025, 14:00").
 */
export function formatShortDateTime(instant: string): string {
  const date = DateTime.fromISO(instant);
  if (!date.isValid) return instant;
  const format =
    date.year === DateTime.now().year ? 'd LLL HH:mm' : 'd LLL yyyy, HH:mm';
  return date.setLocale('en-GB').toFormat(format);
}

/**
 * The window a figure covers: "rolling 28 days, since 24 Oct 14:00" or
 * "calendar month (Europe/Berlin), since 1 Mar 00:00".
 */
export function describeWindowSince(
  window: TargetWindow | undefined,
  start: string,
): string {
  const since = `since ${formatShortDateTime(start)}`;
  if (!window) return since;
  if (window.type === 'rolling') {
    return `rolling ${humanizeDuration(window.duration)}, ${since}`;
  }
  return `calendar ${window.unit} (${window.timeZone}), ${since}`;
}
