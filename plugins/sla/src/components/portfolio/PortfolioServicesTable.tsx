import { MutableRefObject, ReactNode, useCallback } from 'react';
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
  PortfolioSort,
  ServiceSummary,
} from '@opensla/backstage-plugin-sla-common';
import { TargetStatusChip } from '../attainment/TargetStatusChip';
import { formatDate } from '../../lib/formatDates';
import { formatKpiValue } from './portfolioKpis';

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

/** The GET /portfolio sort of each column, by the column's field. */
export const SORT_OF_FIELD: Record<string, PortfolioSort> = {
  entityRef: 'service',
  owners: 'owners',
  kinds: 'kinds',
  worstStatus: 'status',
  targetsMetPercent: 'targetsMet',
  'breaches.total': 'breaches',
  csat: 'csat',
  nextReviewDue: 'review',
};

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
    render: s => s.kinds.join(', '),
  },
  {
    title: 'Status',
    width: '120px',
    field: 'worstStatus',
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

/** A page of services the table asks for, and the answer's page. */
export type PortfolioTablePage = {
  page: number;
  pageSize: number;
  search: string;
  sort?: PortfolioSort;
  order: 'asc' | 'desc';
};

/**
 * The services with agreements, one page at a time from the backend
 * (remote data: the backend filters, searches, sorts and pages; worst
 * first until a column is chosen). `fetchPage` answers a page with its
 * services, its number and how many services match.
 */
export function PortfolioServicesTable(props: {
  fetchPage: (page: PortfolioTablePage) => Promise<{
    items: ServiceSummary[];
    page: number;
    total: number;
  }>;
  filtered: boolean;
  total?: number;
  tableRef: MutableRefObject<any>;
  actions?: ReactNode;
}) {
  const { fetchPage } = props;
  const data = useCallback(
    async (query: {
      page: number;
      pageSize: number;
      search: string;
      orderBy?: { field?: unknown };
      orderDirection: string;
    }) => {
      const field = query.orderBy?.field as string | undefined;
      const answer = await fetchPage({
        page: query.page,
        pageSize: query.pageSize,
        search: query.search,
        sort: field ? SORT_OF_FIELD[field] : undefined,
        order: field && query.orderDirection === 'desc' ? 'desc' : 'asc',
      });
      return { data: answer.items, page: answer.page, totalCount: answer.total };
    },
    [fetchPage],
  );
  // Scrolls sideways on a narrow screen rather than cutting columns off.
  return (
    <Box maxWidth="100%" style={{ overflowX: 'auto' }}>
      <Table<ServiceSummary>
        tableRef={props.tableRef}
        title={
          <Box display="flex" alignItems="center" style={{ gap: 16 }}>
            <Typography variant="h5">
              {props.total === undefined
                ? 'Services'
                : `Services (${props.total})`}
            </Typography>
            {props.actions}
          </Box>
        }
        columns={columns}
        data={data}
        options={{
          paging: true,
          pageSize: 20,
          pageSizeOptions: [20, 50, 100],
          // cursors reach a page through the pages before it
          showFirstLastPageButtons: false,
          search: true,
          debounceInterval: 400,
          padding: 'dense',
        }}
        localization={{
          body: {
            // with remote data the table shows this, not emptyContent
            emptyDataSourceMessage: props.filtered
              ? 'No services match these filters.'
              : 'No services to show.',
          },
        }}
      />
    </Box>
  );
}
