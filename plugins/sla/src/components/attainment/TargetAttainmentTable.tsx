import { Fragment, lazy, Suspense, useState } from 'react';
import Box from '@material-ui/core/Box';
import Collapse from '@material-ui/core/Collapse';
import IconButton from '@material-ui/core/IconButton';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles, Theme } from '@material-ui/core/styles';
import { Progress } from '@backstage/core-components';
import ExpandLessIcon from '@material-ui/icons/ExpandLess';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import {
  Agreement,
  describeTarget,
  Target,
  TargetAttainment,
} from '@opensla/backstage-plugin-sla-common';
import { describeWindowSince } from '../../lib/formatDates';
import {
  describeCounted,
  formatAttainmentVsObjective,
} from '../../lib/formatAttainment';
import { BurnRates } from './BurnRates';
import { ErrorBudgetBar } from './ErrorBudgetBar';
import { TargetStatusChip } from './TargetStatusChip';

/** The charts (and recharts) load with the first expanded row. */
const AttainmentTrend = lazy(() =>
  import('./AttainmentTrend').then(m => ({ default: m.AttainmentTrend })),
);

const useStyles = makeStyles((theme: Theme) => ({
  scroll: { overflowX: 'auto' },
  /** Fixed columns, so that the tables of several agreements line up. */
  table: { tableLayout: 'fixed', minWidth: 860 },
  expand: { width: 48 },
  target: { width: '27%' },
  status: { width: 130 },
  attainment: { width: '17%' },
  budget: { width: '20%' },
  burn: { width: '25%' },
  row: { verticalAlign: 'top' },
  /** Bands per target (a target's trend row shares its band), not per table row. */
  plain: {
    '&:nth-of-type(odd), &:nth-of-type(even)': {
      backgroundColor: theme.palette.background.paper,
    },
  },
  shaded: {
    '&:nth-of-type(odd), &:nth-of-type(even)': {
      backgroundColor: theme.palette.background.default,
    },
  },
  /** The trend row below draws the line under a row that can expand. */
  expandable: { '& > td': { borderBottom: 'none' } },
  details: { padding: theme.spacing(2, 1, 3) },
  code: {
    fontFamily: theme.typography.fontFamily,
    fontWeight: 600,
  },
}));

/** One row: a target of the agreement with how it stands (absent when not evaluated). */
interface Row {
  targetId: string;
  name: string;
  target?: Target;
  item?: TargetAttainment;
}

function rowsOf(agreement: Agreement, items: TargetAttainment[]): Row[] {
  const rows: Row[] = agreement.targets.map(target => ({
    targetId: target.id,
    name: target.name,
    target,
    item: items.find(i => i.targetId === target.id),
  }));
  // Figures for a target this version of the agreement no longer lists.
  for (const item of items) {
    if (!rows.some(r => r.targetId === item.targetId)) {
      rows.push({
        targetId: item.targetId,
        name: item.name ?? item.targetId,
        item,
      });
    }
  }
  return rows;
}

/** Where the measurements of a target come from, for the "no data" explanation. */
function NoMeasurements(props: { target?: Target; entityRef: string }) {
  const classes = useStyles();
  const { target, entityRef } = props;
  const series = target ? (
    <>
      series <span className={classes.code}>{target.metric}</span> of{' '}
      {entityRef}
    </>
  ) : (
    <>the series of this target</>
  );
  return (
    <>
      <Typography variant="body2">No measurements yet</Typography>
      <Typography variant="caption" color="textSecondary" component="p">
        {target?.source ? (
          <>
            This target reads its measurements from {target.source.type}; none
            has arrived for this window yet. Measurements can also be pushed to{' '}
            <span className={classes.code}>POST /api/sla/measurements</span> (
            {series}).
          </>
        ) : (
          <>
            Measurements arrive when a service or job pushes them to{' '}
            <span className={classes.code}>POST /api/sla/measurements</span> (
            {series}), or from a metric source such as Prometheus configured on
            the target.
          </>
        )}
      </Typography>
    </>
  );
}

function TargetRow(props: {
  row: Row;
  agreementId: string;
  entityRef: string;
  shaded: boolean;
}) {
  const { row, agreementId, entityRef } = props;
  const { item, target, name } = row;
  const classes = useStyles();
  const [open, setOpen] = useState(false);
  const hasData = item !== undefined && item.status !== 'no-data';
  const band = props.shaded ? classes.shaded : classes.plain;

  const figures = () => {
    if (!item) {
      return (
        <TableCell colSpan={3}>
          <Typography variant="body2" color="textSecondary">
            Not evaluated yet.
          </Typography>
        </TableCell>
      );
    }
    if (!hasData) {
      return (
        <TableCell colSpan={3}>
          <NoMeasurements target={target} entityRef={entityRef} />
        </TableCell>
      );
    }
    return (
      <>
        <TableCell>
          <Typography variant="body2">
            {formatAttainmentVsObjective(item)}
          </Typography>
          <Typography variant="caption" color="textSecondary" component="div">
            {describeCounted(target, item.counted)}
          </Typography>
        </TableCell>
        <TableCell>
          <ErrorBudgetBar item={item} target={target} name={name} />
        </TableCell>
        <TableCell>
          <BurnRates item={item} />
        </TableCell>
      </>
    );
  };

  return (
    <Fragment>
      <TableRow
        className={`${classes.row} ${band} ${
          hasData ? classes.expandable : ''
        }`}
        aria-label={name}
        data-testid={`target-row-${row.targetId}`}
      >
        <TableCell padding="checkbox">
          {hasData && (
            <IconButton
              size="small"
              aria-label={`${open ? 'Hide' : 'Show'} trend of ${name}`}
              aria-expanded={open}
              onClick={() => setOpen(!open)}
            >
              {open ? <ExpandLessIcon /> : <ExpandMoreIcon />}
            </IconButton>
          )}
        </TableCell>
        <TableCell>
          <Typography variant="subtitle2" component="div">
            {name}
          </Typography>
          {target && (
            <Typography variant="body2" color="textSecondary">
              {describeTarget(target)}
            </Typography>
          )}
          {item && (
            <Typography variant="caption" color="textSecondary" component="div">
              {describeWindowSince(target?.window, item.window.start)}
            </Typography>
          )}
        </TableCell>
        <TableCell>
          {item ? <TargetStatusChip status={item.status} /> : '–'}
        </TableCell>
        {figures()}
      </TableRow>
      {hasData && item && (
        <TableRow className={band}>
          <TableCell colSpan={6} style={{ paddingTop: 0, paddingBottom: 0 }}>
            <Collapse in={open} timeout="auto" unmountOnExit>
              <Box className={classes.details}>
                <Suspense fallback={<Progress />}>
                  <AttainmentTrend
                    agreementId={agreementId}
                    targetId={row.targetId}
                    name={name}
                    objective={item.objective}
                  />
                </Suspense>
              </Box>
            </Collapse>
          </TableCell>
        </TableRow>
      )}
    </Fragment>
  );
}

/**
 * The targets of one agreement in force, each with how it stands now: status,
 * attainment against the objective, error budget, burn rates and alerts;
 * a row expands to the trend over its window.
 */
export function TargetAttainmentTable(props: {
  agreement: Agreement;
  items: TargetAttainment[];
  entityRef: string;
}) {
  const { agreement, items, entityRef } = props;
  const classes = useStyles();
  return (
    <div className={classes.scroll}>
      <Table
        size="small"
        className={classes.table}
        aria-label={`Service levels of ${agreement.title}`}
      >
        <TableHead>
          <TableRow>
            <TableCell padding="checkbox" className={classes.expand}>
              <Typography variant="srOnly">Trend</Typography>
            </TableCell>
            <TableCell className={classes.target}>Target</TableCell>
            <TableCell className={classes.status}>Status</TableCell>
            <TableCell className={classes.attainment}>Attainment</TableCell>
            <TableCell className={classes.budget}>Error budget</TableCell>
            <TableCell className={classes.burn}>Burn rate</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {rowsOf(agreement, items).map((row, index) => (
            <TargetRow
              key={row.targetId}
              shaded={index % 2 === 0}
              row={row}
              agreementId={agreement.id}
              entityRef={entityRef}
            />
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
