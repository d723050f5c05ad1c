import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { InfoCard } from '@backstage/core-components';
import type {
  PortfolioBreachCounts,
  PortfolioKpis,
} from '@opensla/backstage-plugin-sla-common';

type Key = keyof PortfolioBreachCounts;

const SEVERITY: Array<[Key, string]> = [
  ['critical', 'Critical'],
  ['major', 'Major'],
  ['minor', 'Minor'],
];

const CAUSE: Array<[Key, string]> = [
  ['thirdParty', 'Third party (UC)'],
  ['internal', 'Internal team (OLA)'],
  ['own', 'The service itself'],
];

function BreachBars(props: {
  title: string;
  kpis: PortfolioKpis;
  groups: Array<[Key, string]>;
}) {
  const theme = useTheme();
  const data = props.groups.map(([key, label]) => ({
    label,
    previous: props.kpis.breaches[key].previous ?? 0,
    current: props.kpis.breaches[key].value ?? 0,
  }));
  return (
    <figure style={{ margin: 0 }} aria-label={props.title}>
      <Typography variant="subtitle2" component="figcaption">
        {props.title}
      </Typography>
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={data}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="label" />
          <YAxis allowDecimals={false} width={40} />
          <Tooltip />
          <Legend />
          <Bar
            dataKey="previous"
            name="Previous period"
            fill={theme.palette.grey[400]}
            isAnimationActive={false}
          />
          <Bar
            dataKey="current"
            name="This period"
            fill={theme.palette.error.main}
            isAnimationActive={false}
          />
        </BarChart>
      </ResponsiveContainer>
      <Typography variant="caption" color="textSecondary">
        {data
          .map(d => `${d.label}: ${d.current} (previously ${d.previous})`)
          .join(' · ')}
      </Typography>
    </figure>
  );
}

/** Breaches in this period against the previous one, by severity and by cause. */
export function PortfolioBreachesChart(props: { kpis: PortfolioKpis }) {
  return (
    <InfoCard
      title="Breaches"
      subheader="This period against the previous one, by severity and by cause"
    >
      <Grid container spacing={3}>
        <Grid item xs={12} md={6}>
          <BreachBars title="By severity" kpis={props.kpis} groups={SEVERITY} />
        </Grid>
        <Grid item xs={12} md={6}>
          <BreachBars title="By cause" kpis={props.kpis} groups={CAUSE} />
        </Grid>
      </Grid>
    </InfoCard>
  );
}
