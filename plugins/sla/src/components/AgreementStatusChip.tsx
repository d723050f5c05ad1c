import Chip from '@material-ui/core/Chip';
import { makeStyles, Theme } from '@material-ui/core/styles';
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

const ICONS: Record<AgreementStatus, typeof StatusOK> = {
  agreed: StatusOK,
  negotiation: StatusRunning,
  'under-review': StatusRunning,
  expired: StatusWarning,
  withdrawn: StatusAborted,
  requirements: StatusPending,
  draft: StatusPending,
};

const useStyles = makeStyles((theme: Theme) => ({
  indicator: {
    display: 'inline-flex',
    alignItems: 'baseline',
    fontWeight: theme.typography.fontWeightMedium as number,
  },
  label: { fontSize: theme.typography.body1.fontSize },
}));

/**
 * Backstage's status icon with the label beside it (Backstage hides a
 * status's children from assistive technology).
 */
function StatusIndicator(props: { status: AgreementStatus }) {
  const classes = useStyles();
  const Icon = ICONS[props.status];
  return (
    <span className={classes.indicator}>
      <Icon />
      {STATUS_LABELS[props.status]}
    </span>
  );
}

/** The lifecycle status of an agreement, coloured by whether it is in force. */
export function AgreementStatusChip(props: { status: AgreementStatus }) {
  const classes = useStyles();
  return (
    <Chip
      classes={{ label: classes.label }}
      size="small"
      variant="outlined"
      label={<StatusIndicator status={props.status} />}
      data-testid="agreement-status"
    />
  );
}
