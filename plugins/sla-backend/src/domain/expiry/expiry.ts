import type { AgreementStatus } from '@opensla/backstage-plugin-sla-common';
import { canExpire } from '@opensla/backstage-plugin-sla-common';

/**
 * A day of notice is 24 hours of UTC time: "30 days before validUntil" is
 * validUntil − 30 × 86,400,000 ms, whatever the time zones and DST changes
 * in between (an agreement ends at an instant, not on a local date).
 */
export const NOTICE_DAY_MS = 86_400_000;

/** The default days of advance notice before an agreement expires. */
export const DEFAULT_NOTICE_DAYS = [30, 7, 1];

/** What expiry reads of an agreement. */
export type ExpiringAgreement = {
  status: AgreementStatus;
  validUntil?: string;
};

/**
 * Whether the plugin must expire the agreement at `at`: it is agreed or
 * under review and its validity, [validFrom, validUntil), has ended
 * (validUntil ≤ at). Without validUntil an agreement never expires.
 */
export function isExpiredAt(agreement: ExpiringAgreement, at: number): boolean {
  if (!canExpire(agreement.status) || !agreement.validUntil) return false;
  return Date.parse(agreement.validUntil) <= at;
}

/**
 * Whole days left until `validUntil`, rounded up (0.5 days left is "1 day"),
 * 0 once it has passed.
 */
export function daysUntil(validUntil: number, at: number): number {
  return Math.max(0, Math.ceil((validUntil - at) / NOTICE_DAY_MS));
}

/** The notice to send now, and the thresholds it makes moot. */
export type DueExpiryNotice = {
  /** The threshold (days before validUntil) to notify about now. */
  days: number;
  /** Larger thresholds also crossed but not yet recorded: never sent. */
  skipped: number[];
};

/**
 * The advance notice due at `at` for a validity period ending at
 * `validUntil`, given the thresholds (days before) and those already
 * recorded for this period (sent or skipped). A threshold d is crossed once
 * at ≥ validUntil − d days. Only the nearest crossed threshold is notified:
 * when several were crossed since the last run (the backend was down, or
 * the agreement was agreed or prolonged with little time left), the larger
 * ones are skipped, so owners get one notice saying how close the end is,
 * not three at once. Nothing is due once validUntil has passed (the
 * expiry itself is notified) or when the nearest one was already recorded.
 */
export function dueExpiryNotice(options: {
  validUntil: number;
  thresholds: number[];
  recorded: number[];
  at: number;
}): DueExpiryNotice | undefined {
  const { validUntil, thresholds, recorded, at } = options;
  const left = validUntil - at;
  if (left <= 0) return undefined;
  const crossed = [...new Set(thresholds)]
    .filter(d => d > 0 && left <= d * NOTICE_DAY_MS)
    .sort((a, b) => a - b);
  if (!crossed.length) return undefined;
  const [nearest, ...larger] = crossed;
  if (recorded.includes(nearest)) return undefined;
  return { days: nearest, skipped: larger.filter(d => !recorded.includes(d)) };
}
