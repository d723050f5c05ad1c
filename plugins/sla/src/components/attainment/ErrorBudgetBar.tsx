import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { makeStyles, Theme } from '@material-ui/core/styles';
import type {
  Target,
  TargetAttainment,
} from '@opensla/backstage-plugin-sla-common';
import { BudgetView, describeBudget } from '../../lib/formatAttainment';

const useStyles = makeStyles((theme: Theme) => ({
  bar: {
    height: 8,
    borderRadius: 4,
    marginBottom: theme.spacing(0.5),
    backgroundColor: theme.palette.action.hover,
  },
  ok: { backgroundColor: theme.palette.success.main },
  low: { backgroundColor: theme.palette.warning.main },
  spent: { backgroundColor: theme.palette.error.main },
  none: { backgroundColor: theme.palette.action.disabled },
  spentLabel: { color: theme.palette.error.main, fontWeight: 500 },
}));

/**
 * The error budget left, as a bar: green while plenty is left, amber under
 * 25 %, red once it is spent (full red when overspent), with the figure.
 */
export function ErrorBudgetBar(props: {
  item: TargetAttainment;
  target?: Target;
  name: string;
}) {
  const classes = useStyles();
  const view: BudgetView = describeBudget(props.item, props.target);
  return (
    <div>
      <LinearProgress
        variant="determinate"
        value={view.value}
        aria-label={`Error budget left of ${props.name}`}
        aria-valuetext={view.label}
        classes={{ root: classes.bar, bar: classes[view.tone] }}
      />
      <Typography
        variant="body2"
        className={view.tone === 'spent' ? classes.spentLabel : undefined}
      >
        {view.label}
      </Typography>
      {view.detail && (
        <Typography variant="caption" color="textSecondary" component="div">
          {view.detail}
        </Typography>
      )}
    </div>
  );
}
