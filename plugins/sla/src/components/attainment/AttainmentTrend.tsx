import useAsync from 'react-use/esm/useAsync';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles, Theme, useTheme } from '@material-ui/core/styles';
import { DateTime } from 'luxon';
import {
  Area,
  AreaChart,
  CartesianGrid,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  AttainmentPoint,
  formatPercent,
} from '@opensla/backstage-plugin-sla-common';
import { slaApiRef } from '../../api';
import { formatShortDateTime } from '../../lib/formatDates';
import { formatAttainmentPercent } from '../../lib/formatAttainment';

/** How many instants of the window the trend is evaluated at. */
const TREND_POINTS = 30;

const CHART_HEIGHT = 180;

const useStyles = makeStyles((theme: Theme) => ({
  figure: { margin: 0 },
  caption: {
    display: 'block',
    marginTop: theme.spacing(0.5),
    color: theme.palette.text.secondary,
  },
}));

interface ChartPoint {
  t: number;
  attainment: number | null;
  remaining: number | null;
}

const percentFormat = new Intl.NumberFormat('en-GB', {
  maximumFractionDigits: 3,
});

function percentTick(value: number): string {
  return `${percentFormat.format(value)} %`;
}

function timeTick(spanMs: number) {
  const format = spanMs > 2 * 86_400_000 ? 'd LLL' : 'HH:mm';
  return (t: number) =>
    DateTime.fromMillis(t).setLocale('en-GB').toFormat(format);
}

function tooltipLabel(t: number): string {
  return formatShortDateTime(DateTime.fromMillis(t).toISO() ?? '');
}

const NICE_STEPS = [
  0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 25, 50,
  100, 200, 500, 1000, 2000, 5000, 10000,
];

/** Round ticks from below `low` up to 100 (%), at most about five. */
function ticksUpTo100(low: number): number[] {
  const range = Math.max(100 - low, 0.001);
  const step =
    NICE_STEPS.find(s => range / s <= 5) ?? NICE_STEPS[NICE_STEPS.length - 1];
  const first = Math.floor(low / step + 1e-9) * step;
  const ticks: number[] = [];
  for (let i = 0; first + i * step < 100 - 1e-9; i++) {
    ticks.push(Number((first + i * step).toFixed(6)));
  }
  return [...ticks, 100];
}

/** Ticks that show both the objective and every point, up to 100 %. */
function attainmentTicks(points: ChartPoint[], objective: number) {
  const values = points
    .map(p => p.attainment)
    .filter((v): v is number => v !== null);
  const low = Math.min(objective, ...values);
  return ticksUpTo100(Math.max(0, low - Math.max((100 - low) * 0.25, 0.01)));
}

/** Ticks from 0 (or the deepest overspend) up to a full budget. */
function budgetTicks(points: ChartPoint[]) {
  const values = points
    .map(p => p.remaining)
    .filter((v): v is number => v !== null);
  return ticksUpTo100(Math.min(0, ...values));
}

/** The first and the last known value of a series, with their instants. */
function firstAndLast(points: ChartPoint[], key: 'attainment' | 'remaining') {
  const known = points.flatMap(p => {
    const v = p[key];
    return v === null ? [] : [{ t: p.t, v }];
  });
  return known.length > 0
    ? { first: known[0], last: known[known.length - 1] }
    : undefined;
}

function budgetText(percent: number): string {
  return percent < 0
    ? `overspent ${percentFormat.format(1 - percent / 100)}×`
    : `${percentFormat.format(Math.floor(percent))} % left`;
}

/**
 * The trend of a target over its window: attainment against the objective,
 * and the error budget burning down. Loads its points when first shown.
 */
export function AttainmentTrend(props: {
  agreementId: string;
  targetId: string;
  name: string;
  objective: number;
}) {
  const { agreementId, targetId, name, objective } = props;
  const classes = useStyles();
  const theme = useTheme<Theme>();
  const slaApi = useApi(slaApiRef);
  const { value, loading, error } = useAsync(
    () =>
      slaApi.getAttainmentTimeline({
        agreementId,
        targetId,
        points: TREND_POINTS,
      }),
    [slaApi, agreementId, targetId],
  );

  if (loading) return <Progress />;
  if (error) {
    return (
      <ResponseErrorPanel
        title={`Could not load the trend of ${name}`}
        error={error}
      />
    );
  }
  const points: ChartPoint[] = (value?.items ?? []).map(
    (p: AttainmentPoint) => ({
      t: DateTime.fromISO(p.at).toMillis(),
      attainment: p.attainment,
      remaining: p.remaining === null ? null : p.remaining * 100,
    }),
  );
  const attainment = firstAndLast(points, 'attainment');
  if (!attainment) {
    return (
      <Typography variant="body2" color="textSecondary">
        No trend yet: the window of {name} holds no measurements.
      </Typography>
    );
  }
  const budget = firstAndLast(points, 'remaining');
  const span = points[points.length - 1].t - points[0].t;
  const xAxis = (
    <XAxis
      dataKey="t"
      type="number"
      scale="time"
      domain={['dataMin', 'dataMax']}
      tickFormatter={timeTick(span)}
      tick={{ fontSize: 12 }}
      minTickGap={24}
    />
  );
  const grid = (
    <CartesianGrid strokeDasharray="3 3" stroke={theme.palette.divider} />
  );
  const lineColor = theme.palette.primary.main;
  const yTicks = attainmentTicks(points, objective);
  const budgetYTicks = budgetTicks(points);

  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={6}>
        <figure
          className={classes.figure}
          aria-label={`Attainment trend of ${name}`}
        >
          <Typography variant="subtitle2" component="div">
            Attainment
          </Typography>
          <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
            <LineChart
              data={points}
              margin={{ top: 8, right: 28, bottom: 0, left: 8 }}
            >
              {grid}
              {xAxis}
              <YAxis
                domain={[yTicks[0], 100]}
                ticks={yTicks}
                interval={0}
                tickFormatter={percentTick}
                tick={{ fontSize: 12 }}
                width={72}
              />
              <Tooltip
                labelFormatter={tooltipLabel}
                formatter={(v: number) => [
                  formatAttainmentPercent(v, objective),
                  'Attainment',
                ]}
              />
              <ReferenceLine
                y={objective}
                stroke={theme.palette.error.main}
                strokeDasharray="6 4"
                label={{
                  value: `objective ${formatPercent(objective)} %`,
                  position: 'insideBottomRight',
                  fontSize: 12,
                  fill: theme.palette.text.secondary,
                }}
              />
              <Line
                type="monotone"
                dataKey="attainment"
                stroke={lineColor}
                strokeWidth={2}
                dot={false}
                isAnimationActive={false}
              />
            </LineChart>
          </ResponsiveContainer>
          <Typography
            variant="caption"
            component="figcaption"
            className={classes.caption}
          >
            {formatAttainmentPercent(attainment.first.v, objective)} on{' '}
            {tooltipLabel(attainment.first.t)},{' '}
            {formatAttainmentPercent(attainment.last.v, objective)} on{' '}
            {tooltipLabel(attainment.last.t)}; objective{' '}
            {formatPercent(objective)} %.
          </Typography>
        </figure>
      </Grid>
      <Grid item xs={12} md={6}>
        <figure
          className={classes.figure}
          aria-label={`Error budget burn-down of ${name}`}
        >
          <Typography variant="subtitle2" component="div">
            Error budget left
          </Typography>
          {budget ? (
            <>
              <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
                <AreaChart
                  data={points}
                  margin={{ top: 8, right: 28, bottom: 0, left: 8 }}
                >
                  {grid}
                  {xAxis}
                  <YAxis
                    domain={[budgetYTicks[0], 100]}
                    ticks={budgetYTicks}
                    interval={0}
                    tickFormatter={percentTick}
                    tick={{ fontSize: 12 }}
                    width={72}
                  />
                  <Tooltip
                    labelFormatter={tooltipLabel}
                    formatter={(v: number) => [budgetText(v), 'Error budget']}
                  />
                  <ReferenceLine
                    y={0}
                    stroke={theme.palette.error.main}
                    strokeDasharray="6 4"
                  />
                  <Area
                    type="monotone"
                    dataKey="remaining"
                    stroke={lineColor}
                    fill={lineColor}
                    fillOpacity={0.15}
                    strokeWidth={2}
                    baseValue={0}
                    isAnimationActive={false}
                  />
                </AreaChart>
              </ResponsiveContainer>
              <Typography
                variant="caption"
                component="figcaption"
                className={classes.caption}
              >
                {budgetText(budget.first.v)} on {tooltipLabel(budget.first.t)},{' '}
                {budgetText(budget.last.v)} on {tooltipLabel(budget.last.t)}.
              </Typography>
            </>
          ) : (
            <Typography variant="body2" color="textSecondary">
              No error budget to burn down (objective {formatPercent(objective)}{' '}
              %).
            </Typography>
          )}
        </figure>
      </Grid>
    </Grid>
  );
}
