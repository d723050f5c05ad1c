import Chip from '@material-ui/core/Chip';
import {
  StatusAborted,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import type { AgreementStatus } from '@opensla/backstage-plugin-sla-common';

/** How each lifecycle status reads to a person. */
export const STATUS_LABELS: Record<AgreementStatus, string> = {
  requirements: 'Requirements',
  draft: 'Draft',
  negotiation: 'In negotiation',
  agreed: 'Agreed',
  'under-review': 'Under review',
  withdrawn: 'Withdrawn',
  expired: 'Expired',
};

function StatusIndicator(props: { status: AgreementStatus }) {
  const label = STATUS_LABELS[props.status];
  switch (props.status) {
    case 'agreed':
      return <StatusOK>{label}</StatusOK>;
    case 'negotiation':
    case 'under-review':
      return <StatusRunning>{label}</StatusRunning>;
    case 'expired':
      return <StatusWarning>{label}</StatusWarning>;
    case 'withdrawn':
      return <StatusAborted>{label}</StatusAborted>;
    default:
      return <StatusPending>{label}</StatusPending>;
  }
}

/** The lifecycle status of an agreement, coloured by whether it is in force. */
export function AgreementStatusChip(props: { status: AgreementStatus }) {
  return (
    <Chip
      size="small"
      variant="outlined"
      label={<StatusIndicator status={props.status} />}
      data-testid="agreement-status"
    />
  );
}
