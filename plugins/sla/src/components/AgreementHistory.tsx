import useAsync from 'react-use/esm/useAsync';
import Typography from '@material-ui/core/Typography';
import {
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { AgreementHistoryEntry } from '@opensla/backstage-plugin-sla-common';
import { slaApiRef } from '../api';
import { formatDateTime } from '../lib/formatDates';
import { STATUS_LABELS } from './AgreementStatusChip';

function describeChange(entry: AgreementHistoryEntry): string {
  const { summary, comment } = entry.change;
  return comment ? `${summary} — “${comment}”` : summary;
}

const columns: TableColumn<AgreementHistoryEntry>[] = [
  { title: 'Version', field: 'version' },
  { title: 'Status', render: entry => STATUS_LABELS[entry.status] },
  { title: 'Changed by', field: 'changedBy' },
  { title: 'When', render: entry => formatDateTime(entry.changedAt) },
  { title: 'Change', render: entry => describeChange(entry) },
];

/**
 * Every version of an agreement, newest first. Reloads when `version`
 * changes, i.e. after an edit or a lifecycle move.
 */
export function AgreementHistory(props: {
  agreementId: string;
  version: number;
}) {
  const { agreementId, version } = props;
  const slaApi = useApi(slaApiRef);
  const { value, loading, error } = useAsync(
    () => slaApi.getAgreementHistory(agreementId),
    [slaApi, agreementId, version],
  );

  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value || value.items.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No history recorded.
      </Typography>
    );
  }
  return (
    <Table<AgreementHistoryEntry>
      title="Versions"
      columns={columns}
      data={value.items}
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
