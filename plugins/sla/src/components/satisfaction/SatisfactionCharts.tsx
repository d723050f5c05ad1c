import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import { DateTime } from 'luxon';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { InfoCard } from '@backstage/core-components';
import type { Satisfaction } from '@opensla/backstage-plugin-sla-common';

const day = (iso: string) =>
  DateTime.fromISO(iso).setLocale('en-GB').toFormat('d LLL');

/** CSAT per period (trend) and how the answers spread over the scores. */
export function SatisfactionCharts(props: { satisfaction: Satisfaction }) {
  const theme = useTheme();
  const { trend, distribution } = props.satisfaction;
  const points = trend.map(p => ({
    label: day(p.end),
    csat: p.csat,
    responses: p.responses,
  }));
  const csatBars = distribution.csat.map((n, i) => ({
    score: String(i + 1),
    answers: n,
  }));
  const npsTotal = distribution.nps.reduce((a, b) => a + b, 0);
  const npsBars = distribution.nps.map((n, i) => ({
    score: String(i),
    answers: n,
  }));
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={6}>
        <InfoCard
          title="CSAT trend"
          subheader="% of answers scoring 4 or 5, per period"
        >
          <figure style={{ margin: 0 }} aria-label="CSAT trend">
            <ResponsiveContainer width="100%" height={200}>
              <LineChart data={points}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="label" />
                <YAxis domain={[0, 100]} unit=" %" width={56} />
                <Tooltip
                  formatter={(v: any) => (v === null ? 'no answers' : `${v} %`)}
                />
                <Line
                  type="monotone"
                  dataKey="csat"
                  name="CSAT"
                  stroke={theme.palette.primary.main}
                  connectNulls
                  isAnimationActive={false}
                />
              </LineChart>
            </ResponsiveContainer>
            <Typography variant="caption" color="textSecondary">
              {points
                .map(p => `${p.label}: ${p.responses} answers`)
                .join(' · ')}
            </Typography>
          </figure>
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard
          title="Score distribution"
          subheader="CSAT answers per score (1–5)"
        >
          <figure style={{ margin: 0 }} aria-label="Score distribution">
            <ResponsiveContainer width="100%" height={npsTotal ? 120 : 200}>
              <BarChart data={csatBars}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="score" />
                <YAxis allowDecimals={false} width={40} />
                <Tooltip />
                <Bar
                  dataKey="answers"
                  fill={theme.palette.primary.main}
                  isAnimationActive={false}
                />
              </BarChart>
            </ResponsiveContainer>
            {npsTotal > 0 && (
              <>
                <Typography variant="caption" color="textSecondary">
                  NPS answers per score (0–10)
                </Typography>
                <ResponsiveContainer width="100%" height={100}>
                  <BarChart data={npsBars}>
                    <XAxis dataKey="score" />
                    <YAxis allowDecimals={false} width={40} />
                    <Tooltip />
                    <Bar
                      dataKey="answers"
                      fill={theme.palette.secondary.main}
                      isAnimationActive={false}
                    />
                  </BarChart>
                </ResponsiveContainer>
              </>
            )}
          </figure>
        </InfoCard>
      </Grid>
    </Grid>
  );
}
