import type { MeasurableTarget } from '@opensla/backstage-plugin-sla-node';

/** The PromQL a target is measured with, and where it was configured. */
export type PrometheusQueries =
  | { kind: 'ratio'; good: string; total: string; origin: QueryOrigin }
  | { kind: 'threshold'; value: string; origin: QueryOrigin };

/** `target`: the target's `source`; `annotations`: the entity's annotations. */
export type QueryOrigin = 'target' | 'annotations';

export const PROMETHEUS_SOURCE_TYPE = 'prometheus';

/** The annotation that holds a query of an entity's metric, e.g. `sla/prometheus.availability.good`. */
export function prometheusAnnotation(
  metric: string,
  query: 'good' | 'total' | 'value',
): string {
  return `sla/prometheus.${metric}.${query}`;
}

/**
 * The queries of a ratio or threshold target, or undefined when it cannot be
 * measured from Prometheus.
 *
 * The queries come as a whole from one place: the target's `source` when it
 * is of type `prometheus` and holds every query the SLI needs, else the
 * entity's annotations when they hold every query. Mixing the two would make
 * good and total come from different owners' definitions. A target whose
 * `source` names another metric source module is left to that module, even
 * when annotations exist, so that two modules never feed the same series.
 */
export function resolvePrometheusQueries(
  measurable: MeasurableTarget,
): PrometheusQueries | undefined {
  const { target, annotations } = measurable;
  const source = target.source;
  if (source && source.type !== PROMETHEUS_SOURCE_TYPE) {
    return undefined;
  }
  const fromAnnotation = (query: 'good' | 'total' | 'value') =>
    nonBlank(annotations?.[prometheusAnnotation(target.metric, query)]);

  switch (target.sli.kind) {
    case 'ratio': {
      const good = nonBlank(source?.good);
      const total = nonBlank(source?.total);
      if (good && total) {
        return { kind: 'ratio', good, total, origin: 'target' };
      }
      const annotatedGood = fromAnnotation('good');
      const annotatedTotal = fromAnnotation('total');
      if (annotatedGood && annotatedTotal) {
        return {
          kind: 'ratio',
          good: annotatedGood,
          total: annotatedTotal,
          origin: 'annotations',
        };
      }
      return undefined;
    }
    case 'threshold': {
      const value = nonBlank(source?.value);
      if (value) {
        return { kind: 'threshold', value, origin: 'target' };
      }
      const annotatedValue = fromAnnotation('value');
      return annotatedValue
        ? { kind: 'threshold', value: annotatedValue, origin: 'annotations' }
        : undefined;
    }
    default:
      // Duration SLIs are events (incidents, tickets), not time series.
      return undefined;
  }
}

function nonBlank(text: string | undefined): string | undefined {
  const trimmed = typeof text === 'string' ? text.trim() : '';
  return trimmed ? trimmed : undefined;
}
