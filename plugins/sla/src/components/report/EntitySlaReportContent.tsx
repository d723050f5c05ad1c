import { useMemo, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import PrintIcon from '@material-ui/icons/Print';
import GetAppIcon from '@material-ui/icons/GetApp';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  formatPercent,
  ReportFormat,
  ServiceReport,
} from '@opensla/backstage-plugin-sla-common';
import { slaApiRef } from '../../api';
import {
  usePublishedReports,
  useServiceReport,
} from '../../hooks/useServiceReport';
import { describeApiError } from '../../lib/describeApiError';
import { formatDate, formatDateTime } from '../../lib/formatDates';
import { PublishedReportsCard } from './PublishedReportsCard';
import { ReportAgreementSection } from './ReportAgreementSection';
import { NO_PRINT, PRINT_ROOT, usePrintStyles } from './reportPrintStyles';
import { describeReportPeriod, reportMonths } from './reportMonths';
import { reportFileName, saveDownload } from './saveDownload';

function Figure(props: { label: string; value: string }) {
  return (
    <Grid item xs={6} sm={4} md={2}>
      <Box role="group" aria-label={props.label}>
        <Typography variant="h4" component="p">
          {props.value}
        </Typography>
        <Typography variant="body2" color="textSecondary">
          {props.label}
        </Typography>
      </Box>
    </Grid>
  );
}

function Summary(props: { report: ServiceReport }) {
  const { summary, satisfaction: s } = props.report;
  const measured = summary.met + summary.notMet;
  return (
    <InfoCard title="Summary">
      <Grid container spacing={2}>
        <Figure
          label="Targets met"
          value={measured ? `${summary.met} of ${measured}` : '–'}
        />
        <Figure label="Targets without data" value={String(summary.noData)} />
        <Figure label="Breaches" value={String(summary.breaches)} />
        <Figure
          label="CSAT"
          value={
            s.csat === null
              ? '–'
              : `${formatPercent(Math.round(s.csat * 10) / 10)} %`
          }
        />
        <Figure label="Survey responses" value={String(s.responses)} />
        <Figure label="Complaints" value={String(s.complaints.total)} />
      </Grid>
    </InfoCard>
  );
}

function ReviewsAndImprovements(props: { report: ServiceReport }) {
  const { reviews, improvements, satisfaction: s } = props.report;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={4}>
        <InfoCard title="Satisfaction">
          <Typography variant="body2">
            CSAT{' '}
            {s.csat === null
              ? '–'
              : `${formatPercent(Math.round(s.csat * 10) / 10)} %`}{' '}
            from {s.csatResponses} answers; NPS{' '}
            {s.nps === null ? '–' : formatPercent(Math.round(s.nps * 10) / 10)}{' '}
            from {s.npsResponses} answers.
          </Typography>
          <Typography variant="body2">
            Complaints: {s.complaints.total} ({s.complaints.resolved} resolved,{' '}
            {s.complaints.open + s.complaints.acknowledged} open); compliments:{' '}
            {s.compliments}.
          </Typography>
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={8}>
        <InfoCard title="Reviews held in the period">
          {reviews.length === 0 ? (
            <Typography variant="body2" color="textSecondary">
              No review was held in this period.
            </Typography>
          ) : (
            <Table size="small" aria-label="Reviews held">
              <TableHead>
                <TableRow>
                  <TableCell>Held</TableCell>
                  <TableCell>Kind</TableCell>
                  <TableCell align="right">Participants</TableCell>
                  <TableCell>Decision</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {reviews.map(r => (
                  <TableRow key={r.id}>
                    <TableCell>{formatDateTime(r.heldAt)}</TableCell>
                    <TableCell>{r.kind}</TableCell>
                    <TableCell align="right">{r.participants}</TableCell>
                    <TableCell>{r.decision ?? '–'}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Improvement initiatives">
          {improvements.length === 0 ? (
            <Typography variant="body2" color="textSecondary">
              No improvement initiative was under way in this period.
            </Typography>
          ) : (
            <Table size="small" aria-label="Improvement initiatives">
              <TableHead>
                <TableRow>
                  <TableCell>Initiative</TableCell>
                  <TableCell>Source</TableCell>
                  <TableCell>Owner</TableCell>
                  <TableCell>Status</TableCell>
                  <TableCell align="right">Progress</TableCell>
                  <TableCell>Due</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {improvements.map(i => (
                  <TableRow key={i.id}>
                    <TableCell>{i.title}</TableCell>
                    <TableCell>{i.source}</TableCell>
                    <TableCell>{i.owner}</TableCell>
                    <TableCell>{i.status}</TableCell>
                    <TableCell align="right">
                      {i.progress === undefined ? '–' : `${i.progress} %`}
                    </TableCell>
                    <TableCell>{i.due ? formatDate(i.due) : '–'}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </InfoCard>
      </Grid>
    </Grid>
  );
}

/**
 * The "Service report" tab of an entity page: the figures of a month
 * (default the last full one) as a printable page, with CSV and JSON
 * downloads; owners publish the month's report, everybody sees the
 * published ones.
 * @public
 */
export function EntitySlaReportContent() {
  usePrintStyles();
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const slaApi = useApi(slaApiRef);
  const months = useMemo(() => reportMonths(Date.now()), []);
  const [month, setMonth] = useState(months[0].value);
  const { value, loading, error } = useServiceReport(entityRef, month);
  const [publishedKey, setPublishedKey] = useState(0);
  const published = usePublishedReports(entityRef, publishedKey);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ error: boolean; text: string }>();

  const download = async (format: ReportFormat) => {
    setMessage(undefined);
    try {
      const file = await slaApi.downloadServiceReport(
        { entityRef, month },
        format,
      );
      saveDownload(
        file,
        reportFileName(
          entityRef,
          value?.report.period ?? { start: '', end: '', month },
          format,
        ),
      );
    } catch (e) {
      setMessage({ error: true, text: describeApiError(e).message });
    }
  };
  const publish = async () => {
    setBusy(true);
    setMessage(undefined);
    try {
      await slaApi.publishReport({ entityRef, month });
      setMessage({
        error: false,
        text: `The report of ${describeReportPeriod({
          start: '',
          end: '',
          month,
        })} is published.`,
      });
      setPublishedKey(k => k + 1);
    } catch (e) {
      setMessage({ error: true, text: describeApiError(e).message });
    } finally {
      setBusy(false);
    }
  };

  const report = value?.report;
  const alreadyPublished = published.value?.items.some(
    p => p.period.month === month,
  );
  const title = entity.metadata.title ?? entity.metadata.name;

  return (
    <div className={PRINT_ROOT}>
      <Box
        className={NO_PRINT}
        mb={2}
        display="flex"
        flexWrap="wrap"
        alignItems="center"
        style={{ gap: 8 }}
      >
        <TextField
          select
          label="Period"
          value={month}
          onChange={e => setMonth(e.target.value)}
          variant="outlined"
          size="small"
          style={{ minWidth: 200 }}
          inputProps={{ 'aria-label': 'Period' }}
        >
          {months.map(m => (
            <MenuItem key={m.value} value={m.value}>
              {m.label}
            </MenuItem>
          ))}
        </TextField>
        <Button
          variant="outlined"
          startIcon={<PrintIcon />}
          onClick={() => window.print()}
          disabled={!report}
        >
          Print
        </Button>
        <Button
          variant="outlined"
          startIcon={<GetAppIcon />}
          onClick={() => download('csv')}
          disabled={!report}
        >
          Download CSV
        </Button>
        <Button
          variant="outlined"
          startIcon={<GetAppIcon />}
          onClick={() => download('json')}
          disabled={!report}
        >
          Download JSON
        </Button>
        {value?.access.update && (
          <Button
            variant="contained"
            color="primary"
            onClick={publish}
            disabled={busy || !report || alreadyPublished}
            title={
              alreadyPublished
                ? 'This month is published already; a published report never changes'
                : "Freeze the figures of this month for the service's customers"
            }
          >
            {alreadyPublished ? 'Published' : 'Publish'}
          </Button>
        )}
      </Box>
      {message && (
        <Typography
          className={NO_PRINT}
          color={message.error ? 'error' : 'textPrimary'}
          role={message.error ? 'alert' : 'status'}
          gutterBottom
        >
          {message.text}
        </Typography>
      )}

      {error && <ResponseErrorPanel error={error} />}
      {!error && (loading || !report) && <Progress />}
      {!error && !loading && report && (
        <>
          <Box mb={2}>
            <Typography variant="h5" component="h2">
              Service report: {title}, {describeReportPeriod(report.period)}
            </Typography>
            <Typography variant="body2" color="textSecondary">
              {formatDate(report.period.start)} to{' '}
              {formatDate(
                new Date(Date.parse(report.period.end) - 1).toISOString(),
              )}{' '}
              (UTC). Figures as of {formatDateTime(report.generatedAt)}.
            </Typography>
          </Box>
          <Box mb={3}>
            <Summary report={report} />
          </Box>
          {report.agreements.length === 0 ? (
            <EmptyState
              missing="data"
              title="No agreement in force in this period"
              description="Only agreed (or since expired) agreements valid during the period are reported."
            />
          ) : (
            report.agreements.map(a => (
              <ReportAgreementSection
                key={a.id}
                agreement={a}
                period={report.period}
              />
            ))
          )}
          <Box mb={3}>
            <ReviewsAndImprovements report={report} />
          </Box>
        </>
      )}
      <Box className={NO_PRINT}>
        <PublishedReportsCard
          entityRef={entityRef}
          value={published.value}
          loading={published.loading}
          error={published.error}
        />
      </Box>
    </div>
  );
}
