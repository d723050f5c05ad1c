import { useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import type {
  PrometheusTemplateSummary,
  Series,
} from '@opensla/backstage-plugin-sla-common';
import { slaApiRef } from '../api';

/** What the editor suggests as a target's metric. */
export type MetricSuggestions = {
  loading: boolean;
  /** The series the entity reports (its first 500 by name). */
  series: Series[];
  /** The Prometheus module's templates, where it is installed and configured. */
  templates: PrometheusTemplateSummary[];
  error?: Error;
};

/** Suggestions past this many would not help anyone pick. */
const MAX_SERIES = 500;

/**
 * Reads, once per dialog, the entity's series (GET /series) and the
 * Prometheus module's templates (GET /prometheus/templates, absent when
 * the module is not installed). A failure of either leaves the metric a
 * text field with the other's suggestions.
 */
export function useMetricSuggestions(entityRef: string): MetricSuggestions {
  const slaApi = useApi(slaApiRef);
  const series = useAsync(
    async () =>
      (await slaApi.listSeries({ entityRef, limit: MAX_SERIES })).items,
    [slaApi, entityRef],
  );
  const templates = useAsync(async () => {
    const answer = await slaApi.getPrometheusTemplates();
    return answer?.enabled ? answer.templates : [];
  }, [slaApi]);
  // One object while nothing changed, so memoised targets do not re-render.
  const loading = series.loading || templates.loading;
  const error = series.error ?? templates.error;
  return useMemo(
    () => ({
      loading,
      series: series.value ?? [],
      templates: templates.value ?? [],
      error,
    }),
    [loading, series.value, templates.value, error],
  );
}
