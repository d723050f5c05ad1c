import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Paper from '@material-ui/core/Paper';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles, Theme } from '@material-ui/core/styles';
import ArrowDownwardIcon from '@material-ui/icons/ArrowDownward';
import ArrowUpwardIcon from '@material-ui/icons/ArrowUpward';
import RemoveIcon from '@material-ui/icons/Remove';
import type {
  PortfolioKpi,
  PortfolioKpis,
} from '@opensla/backstage-plugin-sla-common';
import {
  KPI_DEFINITIONS,
  KpiDefinition,
  describeKpiChange,
  formatKpiValue,
} from './portfolioKpis';

const useStyles = makeStyles((theme: Theme) => ({
  tile: {
    padding: theme.spacing(2),
    height: '100%',
    display: 'flex',
    flexDirection: 'column',
    justifyContent: 'space-between',
  },
  label: { minHeight: '2.5em' },
  value: { fontWeight: theme.typography.fontWeightMedium as number },
  change: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
  },
  better: { color: theme.palette.success.main },
  worse: { color: theme.palette.error.main },
  neutral: { color: theme.palette.text.secondary },
}));

const JUDGEMENT_WORDS = {
  better: 'better',
  worse: 'worse',
  neutral: '',
};

function KpiTile(props: { definition: KpiDefinition; kpi: PortfolioKpi }) {
  const classes = useStyles();
  const { definition, kpi } = props;
  const change = definition.snapshot
    ? ({ text: '', trend: 'none', judgement: 'neutral' } as const)
    : describeKpiChange(kpi, definition);
  let Arrow = RemoveIcon;
  if (change.trend === 'up') Arrow = ArrowUpwardIcon;
  if (change.trend === 'down') Arrow = ArrowDownwardIcon;
  const previous = formatKpiValue(kpi.previous, definition.unit);
  const judgement = JUDGEMENT_WORDS[change.judgement];
  return (
    <Paper
      variant="outlined"
      className={classes.tile}
      role="group"
      aria-label={definition.label}
      data-testid={`kpi-${definition.id}`}
    >
      <Tooltip title={definition.description} placement="top-start">
        <Typography
          variant="body2"
          color="textSecondary"
          className={classes.label}
        >
          {definition.label}
        </Typography>
      </Tooltip>
      <Typography
        variant="h4"
        component="p"
        className={classes.value}
        data-testid="kpi-value"
      >
        {formatKpiValue(kpi.value, definition.unit)}
      </Typography>
      <Box
        className={`${classes.change} ${classes[change.judgement]}`}
        data-judgement={change.judgement}
      >
        {change.trend !== 'none' && <Arrow fontSize="small" aria-hidden />}
        <Typography variant="body2" component="span">
          {change.text}
          {judgement && ` (${judgement})`}
        </Typography>
      </Box>
      <Typography variant="caption" color="textSecondary">
        {definition.snapshot ? 'now' : `previous period: ${previous}`}
      </Typography>
    </Paper>
  );
}

/**
 * The practice's KPIs as tiles: the figure over the period, the change
 * against the previous period (arrow and colour: green when the move is
 * good news for that KPI, red when it is bad) and the previous figure.
 */
export function PortfolioKpiTiles(props: { kpis: PortfolioKpis }) {
  const tiles = KPI_DEFINITIONS.flatMap(definition => {
    const kpi = definition.pick(props.kpis);
    return kpi ? [{ definition, kpi }] : [];
  });
  return (
    <Grid container spacing={2} component="section" aria-label="Key figures">
      {tiles.map(({ definition, kpi }) => (
        <Grid item key={definition.id} xs={6} sm={4} md={3} lg={2}>
          <KpiTile definition={definition} kpi={kpi} />
        </Grid>
      ))}
    </Grid>
  );
}
