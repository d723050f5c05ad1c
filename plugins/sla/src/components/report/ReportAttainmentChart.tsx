import useAsync from 'react-use/esm/useAsync';
import Typography from '@material-ui/core/Typography';
import { Theme, useTheme } from '@material-ui/core/styles';
import { DateTime } from 'luxon';
import {
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
import { formatPercent } from '@opensla/backstage-plugin-sla-common';
import { slaApiRef } from '../../api';

const NICE_STEPS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 20, 25];

/** Round ticks from just below `low` up to 100 (%), at most about five. */
export function percentTicks(low: number): number[] {
  const range = Math.max(100 - low, 0.01) * 1.25;
  const step = NICE_STEPS.find(s => range / s <= 5) ?? 25;
  const first = Math.max(0, Math.floor((100 - range) / step + 1e-9) * step);
  const ticks: number[] = [];
  for (let t = first; t < 100 - 1e-9; t += step) {
    ticks.push(Number(t.toFixed(4)));
  }
  return [...ticks, 100];
}

/** About one point a day over a month. */
const POINTS = 31;

const dayTick = (t: number) =>
  DateTime.fromMillis(t, { zone: 'utc' }).setLocale('en-GB').toFormat('d LLL');

/**
 * The attainment of a target through the report period: its own window
 * evaluated at instants up to the period's end (GET /attainment/timeline),
 * the points inside the period, against the objective.
 */
export function ReportAttainmentChart(props: {
  agreementId: string;
  targetId: string;
  name: string;
  objective: number;
  period: { start: string; end: string };
}) {
  const { agreementId, targetId, name, objective, period } = props;
  const theme = useTheme<Theme>();
  const slaApi = useApi(slaApiRef);
  const { value, loading, error } = useAsync(
    () =>
      slaApi.getAttainmentTimeline({
        agreementId,
        targetId,
        at: period.end,
        points: POINTS,
      }),
    [slaApi, agreementId, targetId, period.end],
  );
  if (loading) return <Progress />;
  if (error) {
    return (
      <ResponseErrorPanel
        title={`Could not load the attainment of ${name}`}
        error={error}
      />
    );
  }
  const start = Date.parse(period.start);
  const points = (value?.items ?? [])
    .map(p => ({ t: Date.parse(p.at), attainment: p.attainment }))
    .filter(p => p.t >= start);
  const known = points.flatMap(p =>
    p.attainment === null ? [] : [p.attainment],
  );
  if (known.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No measurements of {name} in this period.
      </Typography>
    );
  }
  const ticks = percentTicks(Math.min(objective, ...known));
  return (
    <figure
      style={{ margin: 0 }}
      aria-label={`Attainment of ${name} through the period`}
    >
      <Typography variant="subtitle2" component="figcaption">
        {name}: attainment through the period (objective{' '}
        {formatPercent(objective)} %)
      </Typography>
      <ResponsiveContainer width="100%" height={160}>
        <LineChart
          data={points}
          margin={{ top: 8, right: 24, bottom: 0, left: 8 }}
        >
          <CartesianGrid strokeDasharray="3 3" stroke={theme.palette.divider} />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={['dataMin', 'dataMax']}
            tickFormatter={dayTick}
            tick={{ fontSize: 12 }}
            minTickGap={24}
          />
          <YAxis
            domain={[ticks[0], 100]}
            ticks={ticks}
            tickFormatter={(v: number) => `${formatPercent(v)} %`}
            tick={{ fontSize: 12 }}
            width={72}
            allowDataOverflow
          />
          <Tooltip
            labelFormatter={(t: number) => dayTick(t)}
            formatter={(v: number) => [`${formatPercent(v)} %`, 'Attainment']}
          />
          <ReferenceLine
            y={objective}
            stroke={theme.palette.error.main}
            strokeDasharray="4 4"
          />
          <Line
            type="monotone"
            dataKey="attainment"
            stroke={theme.palette.primary.main}
            dot={false}
            isAnimationActive={false}
            connectNulls
          />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
