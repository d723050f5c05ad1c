export type { DueExpiryNotice, ExpiringAgreement } from './expiry';
export {
  DEFAULT_NOTICE_DAYS,
  NOTICE_DAY_MS,
  daysUntil,
  dueExpiryNotice,
  isExpiredAt,
} from './expiry';
