import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  StatusError,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import { formatDate } from '../../lib/formatDates';
import { describeInterval, dueState, relativeDays } from './reviewWords';

const STATES = {
  overdue: { Icon: StatusError, label: 'Overdue' },
  soon: { Icon: StatusWarning, label: 'Due soon' },
  later: { Icon: StatusOK, label: 'Scheduled' },
};

/**
 * When a review is due, as a status a person sees at once: overdue (error),
 * due within two weeks (warning) or scheduled, with the date, how far away
 * it is and the interval in plain words.
 */
export function DueIndicator(props: {
  label: string;
  due?: string;
  interval: string;
  now: number;
}) {
  const { label, due, interval, now } = props;
  if (!due) {
    return (
      <Box role="group" aria-label={label}>
        <Typography variant="body2" color="textSecondary">
          Not scheduled (only agreements in force are reviewed)
        </Typography>
        <Typography variant="caption" color="textSecondary">
          {describeInterval(interval)}
        </Typography>
      </Box>
    );
  }
  const state = STATES[dueState(due, now)];
  return (
    <Box role="group" aria-label={label}>
      <Typography variant="body2" component="div">
        <state.Icon />
        <strong>{formatDate(due)}</strong>
      </Typography>
      <Typography variant="caption" color="textSecondary" component="div">
        {state.label}, {relativeDays(due, now)} · {describeInterval(interval)}
      </Typography>
    </Box>
  );
}
