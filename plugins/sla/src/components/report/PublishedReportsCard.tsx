import { useState } from 'react';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type {
  PublishedReportSummary,
  ReportFormat,
} from '@opensla/backstage-plugin-sla-common';
import { slaApiRef } from '../../api';
import { describeApiError } from '../../lib/describeApiError';
import { formatDateTime } from '../../lib/formatDates';
import { describeReportPeriod } from './reportMonths';
import { reportFileName, saveDownload } from './saveDownload';

/**
 * The reports published for the entity: their period, who published them and
 * when, the summary, and the frozen figures to download.
 */
export function PublishedReportsCard(props: {
  entityRef: string;
  value?: { items: PublishedReportSummary[] };
  loading: boolean;
  error?: Error;
}) {
  const slaApi = useApi(slaApiRef);
  const [failure, setFailure] = useState<string>();
  const download = async (p: PublishedReportSummary, format: ReportFormat) => {
    setFailure(undefined);
    try {
      const file = await slaApi.downloadPublishedReport(p.id, format);
      saveDownload(file, reportFileName(props.entityRef, p.period, format));
    } catch (e) {
      setFailure(describeApiError(e).message);
    }
  };
  let body;
  if (props.error) body = <ResponseErrorPanel error={props.error} />;
  else if (props.loading || !props.value) body = <Progress />;
  else if (props.value.items.length === 0) {
    body = (
      <Typography variant="body2" color="textSecondary">
        No report has been published yet. Owners publish a month's report to
        freeze its figures for the service's customers.
      </Typography>
    );
  } else {
    body = (
      <Table size="small" aria-label="Published reports">
        <TableHead>
          <TableRow>
            <TableCell>Period</TableCell>
            <TableCell>Published</TableCell>
            <TableCell align="right">Targets met</TableCell>
            <TableCell align="right">Breaches</TableCell>
            <TableCell>Download</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {props.value.items.map(p => (
            <TableRow key={p.id}>
              <TableCell>{describeReportPeriod(p.period)}</TableCell>
              <TableCell>
                {formatDateTime(p.publishedAt)} by {p.publishedBy}
              </TableCell>
              <TableCell align="right">
                {p.summary.met} of {p.summary.targets}
              </TableCell>
              <TableCell align="right">{p.summary.breaches}</TableCell>
              <TableCell>
                <Button size="small" onClick={() => download(p, 'csv')}>
                  CSV
                </Button>
                <Button size="small" onClick={() => download(p, 'json')}>
                  JSON
                </Button>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    );
  }
  return (
    <InfoCard title="Published reports">
      {failure && (
        <Typography color="error" role="alert">
          {failure}
        </Typography>
      )}
      {body}
    </InfoCard>
  );
}
