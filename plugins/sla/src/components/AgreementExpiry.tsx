import { StatusWarning } from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import type { Agreement } from '@opensla/backstage-plugin-sla-common';
import { describeExpiry } from '../lib/describeExpiry';

const DEFAULT_NOTICE_DAYS = [30, 7, 1];

/** The largest advance notice (sla.expiry.noticeDays), 0 when notices are off. */
function useFirstNoticeDays(): number {
  const value = useApi(configApiRef).getOptional('sla.expiry.noticeDays');
  const days =
    Array.isArray(value) && value.every(d => typeof d === 'number')
      ? (value as number[])
      : DEFAULT_NOTICE_DAYS;
  return Math.max(0, ...days);
}

/** "expires in 12 days" (a warning within the first notice) or "expired on …". */
export function AgreementExpiry(props: {
  agreement: Pick<Agreement, 'status' | 'validUntil'>;
}) {
  const warnDays = useFirstNoticeDays();
  const expiry = describeExpiry(props.agreement, Date.now(), warnDays);
  if (!expiry) return null;
  return (
    <Typography variant="body2" component="div">
      {expiry.level === 'warning' ? (
        <StatusWarning>{expiry.text}</StatusWarning>
      ) : (
        expiry.text
      )}
    </Typography>
  );
}
