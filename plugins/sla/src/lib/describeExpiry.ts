import type { Agreement } from '@opensla/backstage-plugin-sla-common';
import { canExpire } from '@opensla/backstage-plugin-sla-common';
import { formatDate } from './formatDates';

const DAY_MS = 86_400_000;

/** What the agreement card says about the end of an agreement's validity. */
export type ExpiryDescription = {
  text: string;
  /** warning: within the first notice, or past validUntil. */
  level: 'info' | 'warning';
};

/**
 * "expires in 12 days" for an agreement that expires (agreed or under
 * review, with validUntil), a warning within `warnDays` (the largest
 * advance notice, sla.expiry.noticeDays); "expired on 1 Jan 2027" once
 * validUntil has passed, whether or not the expiry task has moved it to
 * expired yet. Days are 24-hour periods, rounded up, as in the notices.
 */
export function describeExpiry(
  agreement: Pick<Agreement, 'status' | 'validUntil'>,
  now: number,
  warnDays: number,
): ExpiryDescription | undefined {
  const { status, validUntil } = agreement;
  if (!validUntil) return undefined;
  const end = Date.parse(validUntil);
  if (!Number.isFinite(end)) return undefined;
  if (status === 'expired' || (canExpire(status) && end <= now)) {
    return { text: `expired on ${formatDate(validUntil)}`, level: 'warning' };
  }
  if (!canExpire(status)) return undefined;
  const days = Math.ceil((end - now) / DAY_MS);
  return {
    text: `expires in ${days} day${days === 1 ? '' : 's'}`,
    level: days <= warnDays ? 'warning' : 'info',
  };
}
