import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  formatPercent,
  ReviewSnapshot,
  TargetStatus,
} from '@opensla/backstage-plugin-sla-common';
import { formatAttainmentPercent } from '../../lib/formatAttainment';
import { TargetStatusIndicator } from '../attainment/TargetStatusChip';

const oneDecimal = (v: number) => formatPercent(Math.round(v * 10) / 10);
const KNOWN: TargetStatus[] = ['met', 'at-risk', 'breached', 'no-data'];

function Figure(props: { label: string; value: string; hint?: string }) {
  return (
    <Grid item xs={6} sm={3} md={2}>
      <Box role="group" aria-label={props.label}>
        <Typography variant="h6" component="p">
          {props.value}
        </Typography>
        <Typography variant="caption" color="textSecondary">
          {props.label}
          {props.hint ? ` (${props.hint})` : ''}
        </Typography>
      </Box>
    </Grid>
  );
}

/**
 * The figures frozen when a review was held: targets met, satisfaction of
 * the period, and each target's attainment against its objective.
 */
export function ReviewSnapshotView(props: {
  snapshot: ReviewSnapshot;
  label: string;
}) {
  const { snapshot, label } = props;
  const s = snapshot.satisfaction;
  const complaints = s.complaints
    ? s.complaints.open + s.complaints.acknowledged
    : undefined;
  return (
    <Box role="region" aria-label={label}>
      <Grid container spacing={2}>
        <Figure
          label="Targets met"
          value={`${snapshot.targetsMet} of ${snapshot.targetsMeasured}`}
          hint="with data"
        />
        <Figure
          label="CSAT"
          value={s.csat === null ? '–' : `${oneDecimal(s.csat)} %`}
          hint={`${s.csatResponses} answers`}
        />
        {s.mean !== undefined && (
          <Figure
            label="Mean score"
            value={s.mean === null ? '–' : `${oneDecimal(s.mean)} / 5`}
          />
        )}
        {s.nps !== undefined && (
          <Figure label="NPS" value={s.nps === null ? '–' : oneDecimal(s.nps)} />
        )}
        {complaints !== undefined && (
          <Figure label="Open complaints" value={String(complaints)} />
        )}
        {s.watermelon !== undefined && (
          <Figure
            label="Watermelon"
            value={s.watermelon ? 'Yes' : 'No'}
            hint="green targets, unhappy users"
          />
        )}
      </Grid>
      {snapshot.attainment.length > 0 && (
        <Table size="small" aria-label={`${label}: attainment per target`}>
          <TableHead>
            <TableRow>
              <TableCell>Target</TableCell>
              <TableCell align="right">Attainment</TableCell>
              <TableCell align="right">Objective</TableCell>
              <TableCell>Status</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {snapshot.attainment.map(t => (
              <TableRow key={`${t.agreementId}/${t.targetId}`}>
                <TableCell>{t.name ?? t.targetId}</TableCell>
                <TableCell align="right">
                  {t.attainment === null
                    ? 'no data'
                    : formatAttainmentPercent(t.attainment, t.objective)}
                </TableCell>
                <TableCell align="right">{formatPercent(t.objective)} %</TableCell>
                <TableCell>
                  {KNOWN.includes(t.status as TargetStatus) ? (
                    <TargetStatusIndicator status={t.status as TargetStatus} />
                  ) : (
                    t.status
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Box>
  );
}
