import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { InfoCard, Table, TableColumn } from '@backstage/core-components';
import {
  Improvement,
  ImprovementPlan,
} from '@opensla/backstage-plugin-sla-common';
import { formatDate } from '../../lib/formatDates';
import { IMPROVEMENT_STATUS_LABELS, SOURCE_LABELS } from './reviewWords';

/**
 * The service improvement plan: how many initiatives are open, done and
 * overdue, their mean progress, and each initiative with its source, owner,
 * status, due date and progress. Every reader sees it (consumers follow the
 * progress); initiatives are started and moved through the API.
 */
export function ImprovementPlanCard(props: {
  plan: ImprovementPlan;
  improvements: Improvement[];
}) {
  const { plan, improvements } = props;
  const columns: TableColumn<Improvement>[] = [
    { title: 'Initiative', field: 'title', highlight: true },
    { title: 'Source', render: i => SOURCE_LABELS[i.source] ?? i.source },
    { title: 'Owner', field: 'owner' },
    {
      title: 'Status',
      render: i => IMPROVEMENT_STATUS_LABELS[i.status] ?? i.status,
    },
    { title: 'Due', render: i => (i.due ? formatDate(i.due) : '–') },
    {
      title: 'Progress',
      render: i => (
        <Box minWidth={100}>
          <LinearProgress
            variant="determinate"
            value={i.progress ?? 0}
            aria-label={`${i.title} progress`}
          />
          <Typography variant="caption">{i.progress ?? 0} %</Typography>
        </Box>
      ),
    },
  ];
  return (
    <InfoCard title="Service improvement plan">
      <Typography variant="body2" gutterBottom>
        {plan.total === 0
          ? 'No improvement initiatives yet.'
          : `${plan.open} open, ${plan.done} done, ${plan.cancelled} cancelled` +
            `${plan.overdue ? `, ${plan.overdue} overdue` : ''}` +
            `${
              plan.progress === null
                ? ''
                : `; mean progress ${Math.round(plan.progress)} %`
            }.`}
      </Typography>
      {improvements.length > 0 && (
        <Table
          options={{ paging: false, search: false, toolbar: false }}
          columns={columns}
          data={improvements}
        />
      )}
    </InfoCard>
  );
}
