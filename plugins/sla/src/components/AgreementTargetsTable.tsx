import Typography from '@material-ui/core/Typography';
import { Table, TableColumn } from '@backstage/core-components';
import {
  describeTarget,
  formatPercent,
  Target,
} from '@opensla/backstage-plugin-sla-common';

const columns: TableColumn<Target>[] = [
  { title: 'Target', field: 'name', highlight: true },
  {
    title: 'Aspect',
    field: 'aspect',
    render: target => (
      <span style={{ textTransform: 'capitalize' }}>{target.aspect}</span>
    ),
  },
  {
    title: 'Objective',
    field: 'objective',
    render: target => `${formatPercent(target.objective)} %`,
  },
  { title: 'In plain words', render: target => describeTarget(target) },
  { title: 'Metric', field: 'metric' },
];

/** An agreement's targets, each in plain words next to its aspect and objective. */
export function AgreementTargetsTable(props: { targets: Target[] }) {
  if (props.targets.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No targets yet. An agreement states its service levels as targets, e.g.
        99.9 % of requests succeed over a rolling 28 days.
      </Typography>
    );
  }
  return (
    <Table<Target>
      title="Targets"
      columns={columns}
      data={props.targets}
      options={{
        paging: false,
        search: false,
        padding: 'dense',
        toolbar: false,
        sorting: false,
        draggable: false,
      }}
    />
  );
}
