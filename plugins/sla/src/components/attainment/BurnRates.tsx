import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles, Theme } from '@material-ui/core/styles';
import type { TargetAttainment } from '@opensla/backstage-plugin-sla-common';
import {
  formatAlert,
  formatBurnRate,
  MAIN_BURN_WINDOWS,
  SHORT_BURN_WINDOWS,
} from '../../lib/formatAttainment';

const useStyles = makeStyles((theme: Theme) => ({
  rates: {
    display: 'flex',
    flexWrap: 'wrap',
    margin: 0,
    padding: 0,
    listStyle: 'none',
    columnGap: theme.spacing(1),
  },
  window: { color: theme.palette.text.secondary, marginRight: 4 },
  fast: { fontWeight: 600 },
  page: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
  ticket: {
    backgroundColor: theme.palette.warning.main,
    color: theme.palette.warning.contrastText,
  },
}));

const BURN_RATE_HELP =
  'How fast the error budget is being spent: 1× spends exactly the budget over ' +
  'the window, 14.4× over 1 hour spends 2 % of a 30-day budget. Alerts follow ' +
  "the SRE workbook's pairs: page at ≥ 14.4× over 1h and 5m or ≥ 6× over 6h " +
  'and 30m, ticket at ≥ 3× over 1d and 2h or ≥ 1× over 3d and 6h.';

/**
 * Burn rates over 1h/6h/1d/3d at a glance, 5m/30m/2h as secondary text, and
 * the alerts that fire as chips ("Page: 1h/5m").
 */
export function BurnRates(props: { item: TargetAttainment }) {
  const classes = useStyles();
  const { burnRates, alerts } = props.item;
  const short = SHORT_BURN_WINDOWS.map(
    w => `${w} ${formatBurnRate(burnRates[w])}`,
  ).join(', ');
  return (
    <div>
      <Tooltip title={BURN_RATE_HELP}>
        <ul className={classes.rates} aria-label="Burn rates">
          {MAIN_BURN_WINDOWS.map(w => (
            <li key={w}>
              <Typography variant="body2" component="span">
                <span className={classes.window}>{w}</span>
                <span
                  className={(burnRates[w] ?? 0) > 1 ? classes.fast : undefined}
                >
                  {formatBurnRate(burnRates[w])}
                </span>
              </Typography>
            </li>
          ))}
        </ul>
      </Tooltip>
      <Typography variant="caption" color="textSecondary" component="div">
        {short}
      </Typography>
      {alerts.length > 0 && (
        <Box mt={0.5} display="flex" flexWrap="wrap" style={{ gap: 4 }}>
          {alerts.map(alert => (
            <Chip
              key={`${alert.severity}-${alert.window}`}
              size="small"
              label={formatAlert(alert)}
              className={
                alert.severity === 'page' ? classes.page : classes.ticket
              }
            />
          ))}
        </Box>
      )}
    </div>
  );
}
