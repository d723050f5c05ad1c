/**
 * What the agreement editor suggests as a target's metric: the series an
 * entity already has, and the query templates of the Prometheus module.
 */

/** A measured series of an entity (GET /series). @public */
export type Series = {
  /** The series name a target's `metric` refers to. */
  metric: string;
  kind: 'ratio' | 'threshold' | 'duration';
  /** The latest sample stored (ratio and threshold series). */
  latestAt?: string;
};

/** One query template of the Prometheus module, without its PromQL. @public */
export type PrometheusTemplateSummary = {
  name: string;
  description?: string;
  /** The SLI kinds it can measure. */
  sliKinds: Array<'ratio' | 'threshold'>;
  /** Entity annotations it reads. */
  annotations: string[];
  /** Target parameters (`source.parameters`) it reads. */
  parameters: string[];
};

/**
 * GET /prometheus/templates of the Prometheus module (not part of the
 * plugin's OpenAPI contract: it exists only where the module is installed).
 * @public
 */
export type PrometheusTemplates = {
  /** False when `sla.prometheus.baseUrl` is not configured. */
  enabled: boolean;
  allowFreeQueries: boolean;
  templates: PrometheusTemplateSummary[];
};
