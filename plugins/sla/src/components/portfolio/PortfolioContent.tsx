import { useEffect, useMemo, useState } from 'react';
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
import type { PortfolioKpis } from '@opensla/backstage-plugin-sla-common';
import { usePortfolio } from '../../hooks/usePortfolio';
import { formatShortDateTime } from '../../lib/formatDates';
import { PortfolioBreachesChart } from './PortfolioBreachesChart';
import { PortfolioFilterValues, PortfolioFilters } from './PortfolioFilters';
import { PortfolioKpiTiles } from './PortfolioKpiTiles';
import { PortfolioServicesTable } from './PortfolioServicesTable';
import { DEFAULT_PERIOD_ID, portfolioPeriodOptions } from './portfolioPeriods';

const NO_FILTERS: PortfolioFilterValues = {
  periodId: DEFAULT_PERIOD_ID,
  owner: '',
  kind: '',
  status: '',
};

function describePeriods(kpis: PortfolioKpis): string {
  const span = (p: { start: string; end: string }) =>
    `${formatShortDateTime(p.start)} – ${formatShortDateTime(p.end)}`;
  return `${span(kpis.period)}, compared with ${span(kpis.previousPeriod)}`;
}

/**
 * The portfolio: the practice's KPIs over a period with their change, the
 * breaches as a chart, and every service with agreements in a table. The
 * filters and the period are sent to GET /portfolio, so the KPIs describe
 * the services shown.
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
  const { value, loading, error, retry } = usePortfolio({
    period: period.period,
    at: period.at,
    owner: values.owner || undefined,
    kind: values.kind || undefined,
    status: values.status || undefined,
  });

  // Owners to filter by: all seen so far, so that choosing one does not
  // hide the others from the list.
  const [owners, setOwners] = useState<string[]>([]);
  useEffect(() => {
    if (!value) return;
    setOwners(previous => {
      const all = new Set(previous);
      value.items.forEach(item => item.owners.forEach(o => all.add(o)));
      return all.size === previous.length ? previous : [...all].sort();
    });
  }, [value]);

  const filtered = !!(values.owner || values.kind || values.status);
  const filters = (
    <PortfolioFilters
      values={values}
      onChange={setValues}
      periods={periods}
      owners={owners}
    />
  );

  let body;
  if (error) {
    body = (
      <ResponseErrorPanel
        error={error}
        title="The portfolio could not be loaded"
      />
    );
  } else if (!value) {
    body = <Progress />;
  } else if (!filtered && value.items.length === 0) {
    body = (
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
    );
  } else {
    body = (
      <Grid container spacing={3}>
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
        <Grid item xs={12}>
          <PortfolioServicesTable items={value.items} filtered={filtered} />
        </Grid>
      </Grid>
    );
  }

  return (
    <Box>
      <Box mb={3}>{filters}</Box>
      <Box height={4} mb={1}>
        {loading && value && <LinearProgress aria-label="Loading" />}
      </Box>
      {body}
      {error && (
        <Box mt={2}>
          <Button onClick={retry} variant="outlined">
            Try again
          </Button>
        </Box>
      )}
    </Box>
  );
}
