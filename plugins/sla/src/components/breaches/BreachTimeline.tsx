import { Fragment } from 'react';
import useAsync from 'react-use/esm/useAsync';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles, Theme } from '@material-ui/core/styles';
import { DateTime } from 'luxon';
import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntityRefLink } from '@backstage/plugin-catalog-react';
import type {
  Agreement,
  Breach,
  BreachSeverity,
} from '@opensla/backstage-plugin-sla-common';
import { slaApiRef } from '../../api';
import { formatDate, formatDateTime } from '../../lib/formatDates';
import { formatBurnRate, formatElapsed } from '../../lib/formatAttainment';

/** How far back the timeline looks. */
const LOOK_BACK_DAYS = 90;

const SEVERITY_LABELS: Record<BreachSeverity, string> = {
  critical: 'Critical',
  major: 'Major',
  minor: 'Minor',
};

const useStyles = makeStyles((theme: Theme) => ({
  lanes: { marginBottom: theme.spacing(2) },
  lane: {
    display: 'grid',
    gridTemplateColumns: 'minmax(120px, 22%) 1fr',
    alignItems: 'center',
    columnGap: theme.spacing(2),
    marginBottom: theme.spacing(0.5),
  },
  track: {
    position: 'relative',
    height: 14,
    borderRadius: 2,
    backgroundColor: theme.palette.action.hover,
  },
  segment: {
    position: 'absolute',
    top: 0,
    bottom: 0,
    minWidth: 3,
    borderRadius: 2,
  },
  open: {
    backgroundImage:
      'repeating-linear-gradient(45deg, transparent 0 4px, rgba(255,255,255,0.35) 4px 8px)',
  },
  critical: { backgroundColor: theme.palette.error.dark },
  major: { backgroundColor: theme.palette.error.main },
  minor: { backgroundColor: theme.palette.warning.main },
  axis: {
    display: 'grid',
    gridTemplateColumns: 'minmax(120px, 22%) 1fr',
    columnGap: theme.spacing(2),
  },
  axisLabels: { display: 'flex', justifyContent: 'space-between' },
  criticalChip: {
    backgroundColor: theme.palette.error.dark,
    color: theme.palette.error.contrastText,
  },
  majorChip: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
  minorChip: {
    backgroundColor: theme.palette.warning.main,
    color: theme.palette.warning.contrastText,
  },
  row: { verticalAlign: 'top' },
  /** A status icon with its text beside it, readable by assistive technology. */
  withIcon: { display: 'inline-flex', alignItems: 'baseline' },
}));

/** Target and agreement names of a breach, from the entity's agreements. */
function namesOf(breach: Breach, agreements: Agreement[]) {
  const agreement = agreements.find(a => a.id === breach.agreementId);
  const target = agreement?.targets.find(t => t.id === breach.targetId);
  return {
    target: target?.name ?? breach.targetId,
    agreement: agreement?.title ?? breach.agreementId,
  };
}

function durationOf(breach: Breach, now: DateTime): string {
  const opened = DateTime.fromISO(breach.openedAt);
  if (!breach.closedAt) {
    return `${formatElapsed(now.diff(opened).toMillis())} so far`;
  }
  return formatElapsed(
    DateTime.fromISO(breach.closedAt).diff(opened).toMillis(),
  );
}

/** "overspent 2.3×" or "12 % left": how low the error budget went. */
function worstBudget(remaining: number | null | undefined): string | undefined {
  if (remaining === undefined) return undefined;
  if (remaining === null) return 'budget low point: none allowed';
  if (remaining < 0) {
    return `budget low point: overspent ${formatBurnRate(1 - remaining)}`;
  }
  return `budget low point: ${Math.floor(remaining * 100)} % left`;
}

/**
 * "caused by this service", "caused by third party:
 * resource:default/stripe-payments (UC)", with links to the culprits.
 */
function Cause(props: { breach: Breach }) {
  const entityLink = useEntityRefLink();
  const { cause, causedBy = [] } = props.breach;
  if (cause === 'own') return <>caused by this service</>;
  const who = cause === 'third-party' ? 'third party' : 'internal dependency';
  if (causedBy.length === 0) {
    return (
      <>
        caused by{' '}
        {cause === 'third-party' ? 'a third party' : 'an internal dependency'}
      </>
    );
  }
  return (
    <>
      caused by {who}:{' '}
      {causedBy.map((c, index) => (
        <Fragment key={`${c.entityRef}-${c.agreementId ?? 'restricted'}`}>
          {index > 0 && ', '}
          <Link to={entityLink(c.entityRef)}>{c.entityRef}</Link> (
          {c.restricted || !c.kind ? 'restricted' : c.kind})
        </Fragment>
      ))}
    </>
  );
}

/** Each breached target as a lane over the look-back, breaches as bars. */
function BreachLanes(props: {
  breaches: Breach[];
  agreements: Agreement[];
  from: DateTime;
  to: DateTime;
}) {
  const { breaches, agreements, from, to } = props;
  const classes = useStyles();
  const span = to.diff(from).toMillis();
  const position = (instant: DateTime) =>
    Math.min(100, Math.max(0, (instant.diff(from).toMillis() / span) * 100));

  const lanes = new Map<string, { name: string; breaches: Breach[] }>();
  for (const breach of breaches) {
    const key = `${breach.agreementId}/${breach.targetId}`;
    const names = namesOf(breach, agreements);
    const lane = lanes.get(key) ?? { name: names.target, breaches: [] };
    lane.breaches.push(breach);
    lanes.set(key, lane);
  }
  const open = breaches.filter(b => !b.closedAt).length;
  const summary = `${breaches.length} ${
    breaches.length === 1 ? 'breach' : 'breaches'
  } of ${lanes.size} ${
    lanes.size === 1 ? 'target' : 'targets'
  } in the last ${LOOK_BACK_DAYS} days${open ? `, ${open} still open` : ''}`;

  return (
    <div className={classes.lanes} role="img" aria-label={summary}>
      {[...lanes.entries()].map(([key, lane]) => (
        <div key={key} className={classes.lane}>
          <Typography variant="body2" noWrap>
            {lane.name}
          </Typography>
          <div className={classes.track}>
            {lane.breaches.map(breach => {
              const start = position(DateTime.fromISO(breach.openedAt));
              const end = position(
                breach.closedAt ? DateTime.fromISO(breach.closedAt) : to,
              );
              return (
                <Tooltip
                  key={breach.id}
                  title={`${SEVERITY_LABELS[breach.severity]}: ${formatDateTime(
                    breach.openedAt,
                  )} – ${
                    breach.closedAt ? formatDateTime(breach.closedAt) : 'open'
                  }`}
                >
                  <span
                    className={`${classes.segment} ${
                      classes[breach.severity]
                    } ${breach.closedAt ? '' : classes.open}`}
                    style={{ left: `${start}%`, width: `${end - start}%` }}
                  />
                </Tooltip>
              );
            })}
          </div>
        </div>
      ))}
      <div className={classes.axis} aria-hidden>
        <span />
        <Typography
          variant="caption"
          color="textSecondary"
          className={classes.axisLabels}
        >
          <span>{formatDate(from.toUTC().toISO() ?? '')}</span>
          <span>today</span>
        </Typography>
      </div>
    </div>
  );
}

/**
 * The breaches of the entity's targets over the last 90 days: a lane per
 * target to see them at a glance, and a list with when, how long, how bad
 * and what caused them.
 */
export function BreachTimeline(props: {
  entityRef: string;
  agreements: Agreement[];
}) {
  const { entityRef, agreements } = props;
  const classes = useStyles();
  const chipClass: Record<BreachSeverity, string> = {
    critical: classes.criticalChip,
    major: classes.majorChip,
    minor: classes.minorChip,
  };
  const slaApi = useApi(slaApiRef);
  const { value, loading, error } = useAsync(async () => {
    const to = DateTime.now();
    const from = to.minus({ days: LOOK_BACK_DAYS });
    const { items } = await slaApi.listBreaches({
      entityRef,
      from: from.toUTC().toISO() ?? undefined,
      to: to.toUTC().toISO() ?? undefined,
    });
    const newestFirst = [...items].sort((a, b) =>
      b.openedAt.localeCompare(a.openedAt),
    );
    return { from, to, items: newestFirst };
  }, [slaApi, entityRef]);

  const body = () => {
    if (loading) return <Progress />;
    if (error) {
      return (
        <ResponseErrorPanel title="Could not load the breaches" error={error} />
      );
    }
    if (!value || value.items.length === 0) {
      return (
        <Typography variant="body2">
          <span className={classes.withIcon}>
            <StatusOK />
            No breaches in the last {LOOK_BACK_DAYS} days
          </span>
        </Typography>
      );
    }
    return (
      <>
        <BreachLanes
          breaches={value.items}
          agreements={agreements}
          from={value.from}
          to={value.to}
        />
        <Box overflow="auto">
          <Table size="small" aria-label="Breaches">
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
              {value.items.map(breach => {
                const names = namesOf(breach, agreements);
                const low = worstBudget(breach.worstRemaining);
                return (
                  <TableRow key={breach.id} className={classes.row}>
                    <TableCell>
                      <Typography variant="body2">{names.target}</Typography>
                      <Typography variant="caption" color="textSecondary">
                        {names.agreement}
                      </Typography>
                    </TableCell>
                    <TableCell>{formatDateTime(breach.openedAt)}</TableCell>
                    <TableCell>
                      {breach.closedAt ? (
                        formatDateTime(breach.closedAt)
                      ) : (
                        <span className={classes.withIcon}>
                          <StatusError />
                          open
                        </span>
                      )}
                    </TableCell>
                    <TableCell>{durationOf(breach, value.to)}</TableCell>
                    <TableCell>
                      <Chip
                        size="small"
                        label={SEVERITY_LABELS[breach.severity]}
                        className={chipClass[breach.severity]}
                      />
                      {low && (
                        <Typography
                          variant="caption"
                          color="textSecondary"
                          component="div"
                        >
                          {low}
                        </Typography>
                      )}
                    </TableCell>
                    <TableCell>
                      <Cause breach={breach} />
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </Box>
      </>
    );
  };

  return (
    <InfoCard
      title={`Breaches in the last ${LOOK_BACK_DAYS} days`}
      subheader="Periods in which a target's attainment fell below its objective"
    >
      {body()}
    </InfoCard>
  );
}
