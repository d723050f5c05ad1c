/**
 * Extension annotations (OpenSLO `metadata.annotations`) that carry what
 * OpenSLO has no field for, so that export → import gives the same targets.
 * Documented in docs/slos-as-code.md.
 */
export const ANNOTATION = {
  /** SLO: the target's aspect (availability, performance, ...). */
  aspect: 'opensla.dev/aspect',
  /** SLO: the measurement series the target reads. */
  metric: 'opensla.dev/metric',
  /** SLO with a threshold SLI: the threshold's unit (e.g. ms). */
  unit: 'opensla.dev/unit',
  /** SLO: the target's business calendar, as JSON. */
  businessCalendar: 'opensla.dev/business-calendar',
  /** Service: the catalog entity the agreement belongs to. */
  entityRef: 'opensla.dev/entity-ref',
  /** Service: the agreement kind (SLA, OLA, UC). */
  agreementKind: 'opensla.dev/agreement-kind',
  /** AlertPolicy: the short window of a multi-window burn-rate pair. */
  shortWindow: 'opensla.dev/short-window',
} as const;

/** Metric source type of measurements pushed to POST /measurements. */
export const PUSHED_SOURCE_TYPE = 'opensla';

/** Prefix of the alert policies the export writes (not imported back). */
export const ALERT_POLICY_PREFIX = 'opensla-';
