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
  const low = Math.min(objective, ...known);
  const floor = Math.max(0, low - Math.max((100 - low) * 0.25, 0.01));
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
            domain={[floor, 100]}
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
