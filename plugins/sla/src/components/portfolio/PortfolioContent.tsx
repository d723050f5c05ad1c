import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { DateTime } from 'luxon';
import {
  EmptyState,
  LinkButton,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type {
  Portfolio,
  PortfolioKpis,
  PortfolioSort,
} from '@opensla/backstage-plugin-sla-common';
import { slaApiRef } from '../../api';
import { describeApiError } from '../../lib/describeApiError';
import { saveDownload } from '../report/saveDownload';
import { usePortfolioPages } from '../../hooks/usePortfolio';
import { formatShortDateTime } from '../../lib/formatDates';
import { PortfolioBreachesChart } from './PortfolioBreachesChart';
import { PortfolioFilterValues, PortfolioFilters } from './PortfolioFilters';
import { PortfolioKpiTiles } from './PortfolioKpiTiles';
import {
  PortfolioServicesTable,
  PortfolioTablePage,
} from './PortfolioServicesTable';
import { DEFAULT_PERIOD_ID, portfolioPeriodOptions } from './portfolioPeriods';

const NO_FILTERS: PortfolioFilterValues = {
  periodId: DEFAULT_PERIOD_ID,
  owner: '',
  kind: '',
  status: '',
  awaitingSignature: '',
};

function describePeriods(kpis: PortfolioKpis): string {
  const span = (p: { start: string; end: string }) =>
    `${formatShortDateTime(p.start)} – ${formatShortDateTime(p.end)}`;
  return `${span(kpis.period)}, compared with ${span(kpis.previousPeriod)}`;
}

/**
 * The portfolio: the practice's KPIs over a period with their change, the
 * breaches as a chart, and the services with agreements in a table paged
 * by the backend. The filters, the table's search and its sort are sent to
 * GET /portfolio, so the KPIs describe every service that matches (not
 * only the page shown); the CSV export asks for the same services.
 */
export function PortfolioContent() {
  // The month list is fixed when the page opens, so "this month so far"
  // keeps its `at` (and its answer) until the page is opened again.
  const [now] = useState(() => DateTime.now());
  const periods = useMemo(() => portfolioPeriodOptions(now), [now]);
  const [values, setValues] = useState(NO_FILTERS);
  const period =
    periods.find(p => p.id === values.periodId) ??
    periods.find(p => p.id === DEFAULT_PERIOD_ID)!;
  const slaApi = useApi(slaApiRef);
  const fetchPortfolioPage = usePortfolioPages();
  const tableRef = useRef<any>();
  const [value, setValue] = useState<Portfolio>();
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(false);
  const [exportError, setExportError] = useState<string>();
  // what the table last asked for: its search and sort, for the export
  const [tableQuery, setTableQuery] = useState<{
    search: string;
    sort: PortfolioSort;
    order: 'asc' | 'desc';
  }>({ search: '', sort: 'status', order: 'asc' });

  const filters = useMemo(
    () => ({
      period: period.period,
      at: period.at,
      owner: values.owner || undefined,
      kind: values.kind || undefined,
      status: values.status || undefined,
      awaitingSignature: values.awaitingSignature === 'true' || undefined,
    }),
    [
      period.period,
      period.at,
      values.owner,
      values.kind,
      values.status,
      values.awaitingSignature,
    ],
  );

  const fetchPage = useCallback(
    async (page: PortfolioTablePage) => {
      // worst first until a column is chosen
      const sort = page.sort ?? 'status';
      const order = page.sort ? page.order : 'asc';
      setTableQuery({ search: page.search, sort, order });
      setLoading(true);
      try {
        const { answer, page: at } = await fetchPortfolioPage(
          { ...filters, search: page.search || undefined, sort, order },
          page.pageSize,
          page.page,
        );
        setValue(answer);
        setError(undefined);
        return {
          items: answer.items,
          page: at,
          total: answer.total ?? answer.items.length,
        };
      } catch (e) {
        setError(e as Error);
        return { items: [], page: 0, total: 0 };
      } finally {
        setLoading(false);
      }
    },
    [fetchPortfolioPage, filters],
  );

  // A new choice of filters or period asks for the first page again.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const table = tableRef.current;
    table?.onQueryChange?.({ ...table.state?.query, page: 0 });
  }, [fetchPage]);

  const retry = () => {
    const table = tableRef.current;
    table?.onQueryChange?.(table.state?.query);
  };

  const exportCsv = async () => {
    setExportError(undefined);
    try {
      const file = await slaApi.downloadPortfolio({
        ...filters,
        search: tableQuery.search || undefined,
        sort: tableQuery.sort,
        order: tableQuery.order,
      });
      saveDownload(file, 'portfolio.csv');
    } catch (e) {
      setExportError(describeApiError(e).message);
    }
  };

  const filtered = !!(
    values.owner ||
    values.kind ||
    values.status ||
    tableQuery.search
  );
  const owners = value?.owners ?? [];
  const filterBar = (
    <PortfolioFilters
      values={values}
      onChange={setValues}
      periods={periods}
      owners={owners}
    />
  );
  const empty = !!value && !error && !filtered && (value.total ?? value.items.length) === 0;

  return (
    <Box>
      <Box mb={3}>{filterBar}</Box>
      <Box height={4} mb={1}>
        {loading && value && <LinearProgress aria-label="Loading" />}
      </Box>
      {error && (
        <>
          <ResponseErrorPanel
            error={error}
            title="The portfolio could not be loaded"
          />
          <Box mt={2} mb={2}>
            <Button onClick={retry} variant="outlined">
              Try again
            </Button>
          </Box>
        </>
      )}
      {!error && !value && <Progress />}
      {empty && (
        <EmptyState
          missing="content"
          title="No services have agreements yet"
          description={
            'Agreements are made on each service\u2019s page: open a service in the ' +
            'catalog, go to its Service levels tab and choose Create agreement. ' +
            'Services appear here as soon as they have an agreement.'
          }
          action={
            <LinkButton to="/catalog" variant="contained" color="primary">
              Open the catalog
            </LinkButton>
          }
        />
      )}
      <Grid container spacing={3}>
        {value && !error && !empty && (
          <>
            <Grid item xs={12}>
              <Typography variant="body2" color="textSecondary">
                {describePeriods(value.kpis)}
              </Typography>
            </Grid>
            <Grid item xs={12}>
              <PortfolioKpiTiles kpis={value.kpis} />
            </Grid>
            <Grid item xs={12}>
              <PortfolioBreachesChart kpis={value.kpis} />
            </Grid>
          </>
        )}
        {/* always mounted: the table asks for its pages itself */}
        <Grid item xs={12} style={empty || error ? { display: 'none' } : undefined}>
          <PortfolioServicesTable
            fetchPage={fetchPage}
            tableRef={tableRef}
            filtered={filtered}
            total={value?.total}
            actions={
              <Button
                size="small"
                variant="outlined"
                onClick={exportCsv}
                disabled={!value}
              >
                Export CSV
              </Button>
            }
          />
          {exportError && (
            <Typography color="error" variant="body2" role="alert">
              The export failed: {exportError}
            </Typography>
          )}
        </Grid>
      </Grid>
    </Box>
  );
}
