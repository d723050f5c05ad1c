import type { MeasurableTarget } from '@opensla/backstage-plugin-sla-node';
import {
  ParsedQuery,
  QueryTemplate,
  renderQueryTemplate,
} from './queryTemplates';

/** Where the PromQL of a target comes from. */
export type QueryOrigin = 'template' | 'target' | 'annotations';

/**
 * The PromQL a target is measured with, still to be rendered for a step,
 * or the reason the module refuses to measure it (a free query where free
 * queries are not allowed, an unknown template, a template without the
 * queries the SLI needs).
 */
export type ResolvedQueries =
  | {
      kind: 'ratio';
      good: ParsedQuery;
      total: ParsedQuery;
      origin: QueryOrigin;
      template?: string;
      parameters: Record<string, string>;
    }
  | {
      kind: 'threshold';
      value: ParsedQuery;
      origin: QueryOrigin;
      template?: string;
      parameters: Record<string, string>;
    }
  | { kind: 'refused'; reason: string };

/** What decides which PromQL may run: the platform team's config. */
export type QueryPolicy = {
  templates: ReadonlyMap<string, QueryTemplate>;
  /** Whether PromQL written by owners (target source, annotations) may run. */
  allowFreeQueries: boolean;
};

export const PROMETHEUS_SOURCE_TYPE = 'prometheus';

/** The annotation that holds a query or template of an entity's metric, e.g. `sla/prometheus.availability.good`. */
export function prometheusAnnotation(
  metric: string,
  query: 'good' | 'total' | 'value' | 'template',
): string {
  return `sla/prometheus.${metric}.${query}`;
}

/**
 * The queries of a ratio or threshold target; undefined when the target is
 * not for this module (another source type, no Prometheus queries or
 * template anywhere, a duration SLI).
 *
 * The queries come as a whole from one place, the first usable of:
 * the template the target's `source.template` names, the target's own
 * `source` queries, the template the annotation
 * `sla/prometheus.<metric>.template` names, the annotations' queries.
 * Own queries (target or annotations) are usable only when the policy
 * allows free queries; when nothing else is usable the target is refused
 * with the reason, so the failure is visible rather than silent. A target
 * whose `source` names another metric source module is left to that module.
 */
export function resolvePrometheusQueries(
  measurable: MeasurableTarget,
  policy: QueryPolicy,
): ResolvedQueries | undefined {
  const { target, annotations } = measurable;
  const source = target.source;
  if (source && source.type !== PROMETHEUS_SOURCE_TYPE) {
    return undefined;
  }
  const kind = target.sli.kind;
  if (kind !== 'ratio' && kind !== 'threshold') {
    // Duration SLIs are events (incidents, tickets), not time series.
    return undefined;
  }
  const parameters = { ...(source?.parameters ?? {}) };
  const annotation = (query: 'good' | 'total' | 'value' | 'template') =>
    nonBlank(annotations?.[prometheusAnnotation(target.metric, query)]);

  const fromTemplate = (name: string, where: string): ResolvedQueries => {
    const template = policy.templates.get(name);
    if (!template) {
      const known = [...policy.templates.keys()].sort();
      return {
        kind: 'refused',
        reason: `${where} names the query template "${name}", which is not configured (sla.prometheus.templates${
          known.length ? `: ${known.join(', ')}` : ' is empty'
        })`,
      };
    }
    if (kind === 'ratio') {
      if (!template.good || !template.total) {
        return {
          kind: 'refused',
          reason: `query template "${name}" has no good and total queries, which a ratio SLI needs`,
        };
      }
      return {
        kind,
        good: template.good,
        total: template.total,
        origin: 'template',
        template: name,
        parameters,
      };
    }
    if (!template.value) {
      return {
        kind: 'refused',
        reason: `query template "${name}" has no value query, which a threshold SLI needs`,
      };
    }
    return {
      kind,
      value: template.value,
      origin: 'template',
      template: name,
      parameters,
    };
  };

  const free = (
    queries: { good?: string; total?: string; value?: string },
    origin: 'target' | 'annotations',
  ): ResolvedQueries | undefined => {
    if (kind === 'ratio') {
      const good = nonBlank(queries.good);
      const total = nonBlank(queries.total);
      return good && total
        ? {
            kind,
            good: literalQuery(good),
            total: literalQuery(total),
            origin,
            parameters,
          }
        : undefined;
    }
    const value = nonBlank(queries.value);
    return value
      ? { kind, value: literalQuery(value), origin, parameters }
      : undefined;
  };

  const targetTemplate = nonBlank(source?.template);
  if (targetTemplate) {
    // An explicit choice: an unknown template is an error, not a fallback.
    return fromTemplate(targetTemplate, "the target's source.template");
  }
  const candidates: Array<() => ResolvedQueries | undefined> = [
    () => free(source ?? {}, 'target'),
    () => {
      const name = annotation('template');
      return name
        ? fromTemplate(
            name,
            `the annotation ${prometheusAnnotation(target.metric, 'template')}`,
          )
        : undefined;
    },
    () =>
      free(
        {
          good: annotation('good'),
          total: annotation('total'),
          value: annotation('value'),
        },
        'annotations',
      ),
  ];
  let refusedFree: ResolvedQueries | undefined;
  for (const candidate of candidates) {
    const resolved = candidate();
    if (!resolved) {
      continue;
    }
    const isFree =
      resolved.kind !== 'refused' && resolved.origin !== 'template';
    if (isFree && !policy.allowFreeQueries) {
      refusedFree ??= {
        kind: 'refused',
        reason: `its PromQL is written in the ${
          resolved.origin === 'target'
            ? "target's source"
            : `entity's sla/prometheus.${target.metric}.* annotations`
        }, and free queries are not allowed (sla.prometheus.allowFreeQueries is false); pick a query template with source.template or the annotation ${prometheusAnnotation(
          target.metric,
          'template',
        )}`,
      };
      continue;
    }
    return resolved;
  }
  return refusedFree;
}

/** The text of a resolved query for one step, with placeholders filled and values escaped. */
export function renderQuery(
  query: ParsedQuery,
  measurable: MeasurableTarget,
  parameters: Record<string, string>,
  rangeSeconds: number,
): string {
  return renderQueryTemplate(query, {
    entityRef: measurable.entityRef,
    annotations: measurable.annotations ?? {},
    parameters,
    rangeSeconds,
  });
}

/** A query written by an owner: sent exactly as written, never treated as a template. */
function literalQuery(text: string): ParsedQuery {
  return { text, segments: [{ kind: 'text', text }] };
}

function nonBlank(text: string | undefined): string | undefined {
  const trimmed = typeof text === 'string' ? text.trim() : '';
  return trimmed ? trimmed : undefined;
}
