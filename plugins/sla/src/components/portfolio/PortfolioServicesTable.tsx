import { ReactNode, useMemo } from 'react';
import Box from '@material-ui/core/Box';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import {
  StatusError,
  StatusOK,
  StatusWarning,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { EntityRefLink, EntityRefLinks } from '@backstage/plugin-catalog-react';
import type {
  PortfolioBreachCounts,
  PortfolioStatus,
  ServiceSummary,
} from '@opensla/backstage-plugin-sla-common';
import { TargetStatusChip } from '../attainment/TargetStatusChip';
import { formatDate } from '../../lib/formatDates';
import { formatKpiValue } from './portfolioKpis';

/** Worst first, then services with nothing in force. */
const STATUS_ORDER: Array<PortfolioStatus | null> = [
  'breached',
  'at-risk',
  'met',
  'no-data',
  null,
];

const statusRank = (s: ServiceSummary) => STATUS_ORDER.indexOf(s.worstStatus);

/** A missing figure sorts below every figure. */
const orNegative = (value: number | null) => value ?? -1;

function Figure(props: { main: ReactNode; detail?: ReactNode }) {
  return (
    <Box>
      <Typography variant="body2">{props.main}</Typography>
      {props.detail && (
        <Typography variant="caption" color="textSecondary">
          {props.detail}
        </Typography>
      )}
    </Box>
  );
}

/** "1 critical · 2 major; 1 UC · 2 own": the non-zero parts only. */
export function describeBreaches(b: PortfolioBreachCounts): string {
  const parts = (entries: Array<[number, string]>) =>
    entries
      .filter(([n]) => n > 0)
      .map(([n, label]) => `${n} ${label}`)
      .join(' · ');
  const severity = parts([
    [b.critical, 'critical'],
    [b.major, 'major'],
    [b.minor, 'minor'],
  ]);
  const cause = parts([
    [b.thirdParty, 'UC'],
    [b.internal, 'OLA'],
    [b.own, 'own'],
  ]);
  return [severity, cause].filter(Boolean).join('; ');
}

const columns: TableColumn<ServiceSummary>[] = [
  {
    title: 'Service',
    field: 'entityRef',
    highlight: true,
    // A floor under the width: without it the table squeezes names mid-word.
    render: s => (
      <Box minWidth={150}>
        <EntityRefLink entityRef={s.entityRef} />
      </Box>
    ),
  },
  {
    title: 'Owners',
    field: 'owners',
    customSort: (a, b) => a.owners.join().localeCompare(b.owners.join()),
    customFilterAndSearch: (term, s) =>
      s.owners.join(' ').toLocaleLowerCase().includes(term.toLocaleLowerCase()),
    render: s =>
      s.owners.length ? (
        <Box minWidth={120}>
          <EntityRefLinks entityRefs={s.owners} defaultKind="group" />
        </Box>
      ) : (
        '–'
      ),
  },
  {
    title: 'Kinds',
    width: '70px',
    field: 'kinds',
    customSort: (a, b) => a.kinds.join().localeCompare(b.kinds.join()),
    customFilterAndSearch: (term, s) =>
      s.kinds.join(' ').toLocaleLowerCase().includes(term.toLocaleLowerCase()),
    render: s => s.kinds.join(', '),
  },
  {
    title: 'Status',
    width: '120px',
    field: 'worstStatus',
    customSort: (a, b) => statusRank(a) - statusRank(b),
    render: s =>
      s.worstStatus ? (
        <TargetStatusChip status={s.worstStatus} />
      ) : (
        <Typography variant="body2" color="textSecondary">
          Nothing in force
        </Typography>
      ),
  },
  {
    title: 'Targets met',
    width: '100px',
    field: 'targetsMetPercent',
    type: 'numeric',
    customSort: (a, b) =>
      orNegative(a.targetsMetPercent) - orNegative(b.targetsMetPercent),
    render: s => (
      <Figure
        main={formatKpiValue(s.targetsMetPercent, 'percent')}
        detail={
          s.targetsWithData
            ? `${s.targetsMet} of ${s.targetsWithData} with data`
            : `${s.targets} targets, no data`
        }
      />
    ),
  },
  {
    title: 'Breaches',
    width: '120px',
    field: 'breaches.total',
    type: 'numeric',
    customSort: (a, b) => a.breaches.total - b.breaches.total,
    render: s => (
      <Figure main={s.breaches.total} detail={describeBreaches(s.breaches)} />
    ),
  },
  {
    // The watermelon mark sits with the CSAT it is about: one column less
    // keeps the table inside a 1440 px screen with the sidebar open.
    title: 'CSAT',
    width: '110px',
    field: 'csat',
    type: 'numeric',
    customSort: (a, b) => orNegative(a.csat) - orNegative(b.csat),
    render: s => (
      <>
        <Figure
          main={formatKpiValue(s.csat, 'percent')}
          detail={`${s.csatResponses} ${
            s.csatResponses === 1 ? 'response' : 'responses'
          }`}
        />
        {s.watermelon && (
          <Typography variant="body2" component="div">
            <Tooltip title="Targets green, users unhappy">
              <span>
                <StatusWarning>Watermelon</StatusWarning>
              </span>
            </Tooltip>
          </Typography>
        )}
      </>
    ),
  },
  {
    title: 'Review',
    field: 'nextReviewDue',
    width: '130px',
    // Earliest due first: overdue reviews come before those on time.
    customSort: (a, b) =>
      (a.nextReviewDue ?? '9999').localeCompare(b.nextReviewDue ?? '9999'),
    render: s => {
      if (!s.nextReviewDue && !s.reviewOverdue) return '–';
      return (
        <Box whiteSpace="nowrap">
          <Figure
            main={
              s.reviewOverdue ? (
                <StatusError>Overdue</StatusError>
              ) : (
                <StatusOK>On time</StatusOK>
              )
            }
            detail={
              s.nextReviewDue && `next due ${formatDate(s.nextReviewDue)}`
            }
          />
        </Box>
      );
    },
  },
];

/**
 * Every service with agreements, worst first (the backend pages them in
 * entity-ref order, which a stable sort keeps within each status); each
 * column sorts, and the search box searches the services, owners and kinds
 * on this page.
 */
export function PortfolioServicesTable(props: {
  items: ServiceSummary[];
  filtered: boolean;
}) {
  const data = useMemo(
    () => [...props.items].sort((a, b) => statusRank(a) - statusRank(b)),
    [props.items],
  );
  // Scrolls sideways on a narrow screen rather than cutting columns off.
  return (
    <Box maxWidth="100%" style={{ overflowX: 'auto' }}>
      <Table<ServiceSummary>
        title={`Services (${props.items.length})`}
        columns={columns}
        data={data}
        options={{
          paging: props.items.length > 20,
          pageSize: 20,
          pageSizeOptions: [20, 50, 100],
          search: true,
          padding: 'dense',
        }}
        emptyContent={
          <Box p={3}>
            <Typography variant="body1">
              {props.filtered
                ? 'No services match these filters.'
                : 'No services to show.'}
            </Typography>
          </Box>
        }
      />
    </Box>
  );
}
