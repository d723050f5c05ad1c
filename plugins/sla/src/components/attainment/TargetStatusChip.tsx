import Chip from '@material-ui/core/Chip';
import { makeStyles, Theme } from '@material-ui/core/styles';
import {
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import type { TargetStatus } from '@opensla/backstage-plugin-sla-common';
import { TARGET_STATUS_LABELS } from '../../lib/formatAttainment';

const ICONS: Record<TargetStatus, typeof StatusOK> = {
  met: StatusOK,
  'at-risk': StatusWarning,
  breached: StatusError,
  'no-data': StatusPending,
};

const useStyles = makeStyles((theme: Theme) => ({
  indicator: {
    display: 'inline-flex',
    alignItems: 'baseline',
    fontWeight: theme.typography.fontWeightMedium as number,
  },
  /** As large as Backstage's own status text. */
  label: { fontSize: theme.typography.body1.fontSize },
}));

/**
 * A target status as Backstage's status icon with its label. The label sits
 * beside the icon rather than inside it: Backstage hides a status's children
 * from assistive technology.
 */
export function TargetStatusIndicator(props: { status: TargetStatus }) {
  const classes = useStyles();
  const Icon = ICONS[props.status];
  return (
    <span className={classes.indicator}>
      <Icon />
      {TARGET_STATUS_LABELS[props.status]}
    </span>
  );
}

/** How a target (or the worst of several) stands: met, at risk, breached or no data. */
export function TargetStatusChip(props: {
  status: TargetStatus;
  size?: 'small' | 'medium';
}) {
  const classes = useStyles();
  return (
    <Chip
      classes={{ label: classes.label }}
      size={props.size ?? 'small'}
      variant="outlined"
      component="span"
      label={<TargetStatusIndicator status={props.status} />}
      data-testid="target-status"
      data-status={props.status}
    />
  );
}
