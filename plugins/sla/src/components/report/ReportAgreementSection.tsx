import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  InfoCard,
  StatusError,
  StatusOK,
  StatusPending,
} from '@backstage/core-components';
import {
  formatPercent,
  ServiceReportAgreement,
  ServiceReportTarget,
} from '@opensla/backstage-plugin-sla-common';
import { formatDateTime, formatValidity } from '../../lib/formatDates';
import {
  formatAttainmentPercent,
  formatCount,
  formatElapsed,
} from '../../lib/formatAttainment';
import { TargetStatusChip } from '../attainment/TargetStatusChip';
import { ReportAttainmentChart } from './ReportAttainmentChart';
import { AGREEMENT_SECTION } from './reportPrintStyles';

/**
 * Met, not met or no data: Backstage's status icon with the label beside it
 * (a status's own children are hidden from assistive technology).
 */
function Met(props: { met: boolean | null }) {
  if (props.met === null) {
    return (
      <span>
        <StatusPending />
        No data
      </span>
    );
  }
  return props.met ? (
    <span>
      <StatusOK />
      Met
    </span>
  ) : (
    <span>
      <StatusError />
      Not met
    </span>
  );
}

function budgetText(t: ServiceReportTarget) {
  const { allowed, consumed } = t.errorBudget;
  if (t.counted === 0) return '–';
  const share =
    allowed > 0
      ? ` (${formatPercent(Math.round((consumed / allowed) * 1000) / 10)} %)`
      : '';
  return `${formatCount(consumed)} of ${formatCount(allowed)}${share}`;
}

/**
 * One agreement of the report: its targets' figures over the period, the
 * breaches of the period and a chart of each measured target.
 */
export function ReportAgreementSection(props: {
  agreement: ServiceReportAgreement;
  period: { start: string; end: string };
}) {
  const { agreement, period } = props;
  const breaches = agreement.targets.flatMap(t =>
    t.breaches.map(b => ({ ...b, target: t.name })),
  );
  return (
    <Box className={AGREEMENT_SECTION} mb={3}>
      <InfoCard
        title={`${agreement.kind}: ${agreement.title}`}
        subheader={`Version ${agreement.version}, ${
          agreement.status
        }, valid ${formatValidity(agreement.validFrom, agreement.validUntil)}`}
      >
        <Table size="small" aria-label={`Targets of ${agreement.title}`}>
          <TableHead>
            <TableRow>
              <TableCell>Target</TableCell>
              <TableCell align="right">Objective</TableCell>
              <TableCell align="right">Attainment</TableCell>
              <TableCell>Met</TableCell>
              <TableCell align="right">Error budget used</TableCell>
              <TableCell align="right">Breaches</TableCell>
              <TableCell>At period end</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {agreement.targets.map(t => (
              <TableRow key={t.targetId}>
                <TableCell>
                  {t.name}
                  <Typography
                    variant="caption"
                    color="textSecondary"
                    component="div"
                  >
                    {t.aspect}, {formatCount(t.counted)} counted
                  </Typography>
                </TableCell>
                <TableCell align="right">
                  {formatPercent(t.objective)} %
                </TableCell>
                <TableCell align="right">
                  {t.attainment === null
                    ? '–'
                    : formatAttainmentPercent(t.attainment, t.objective)}
                </TableCell>
                <TableCell>
                  <Met met={t.met} />
                </TableCell>
                <TableCell align="right">{budgetText(t)}</TableCell>
                <TableCell align="right">{t.breaches.length}</TableCell>
                <TableCell>
                  <TargetStatusChip status={t.atPeriodEnd.status} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>

        <Box mt={3}>
          <Typography variant="h6" component="h4">
            Breaches in the period
          </Typography>
          {breaches.length === 0 ? (
            <Typography variant="body2" color="textSecondary">
              No breaches in this period.
            </Typography>
          ) : (
            <Table size="small" aria-label={`Breaches of ${agreement.title}`}>
              <TableHead>
                <TableRow>
                  <TableCell>Target</TableCell>
                  <TableCell>Opened</TableCell>
                  <TableCell>Closed</TableCell>
                  <TableCell>Duration</TableCell>
                  <TableCell>Severity</TableCell>
                  <TableCell>Cause</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {breaches.map(b => (
                  <TableRow key={b.id}>
                    <TableCell>{b.target}</TableCell>
                    <TableCell>{formatDateTime(b.openedAt)}</TableCell>
                    <TableCell>
                      {b.closedAt
                        ? formatDateTime(b.closedAt)
                        : 'open at period end'}
                    </TableCell>
                    <TableCell>{formatElapsed(b.durationMs)}</TableCell>
                    <TableCell>{b.severity}</TableCell>
                    <TableCell>{b.cause}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </Box>

        {agreement.targets.some(t => t.counted > 0) && (
          <Box mt={3}>
            {agreement.targets
              .filter(t => t.counted > 0)
              .map(t => (
                <Box key={t.targetId} mb={2}>
                  <ReportAttainmentChart
                    agreementId={agreement.id}
                    targetId={t.targetId}
                    name={t.name}
                    objective={t.objective}
                    period={period}
                  />
                </Box>
              ))}
          </Box>
        )}
      </InfoCard>
    </Box>
  );
}
