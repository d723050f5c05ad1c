/**
 * Prometheus metric source for the SLA plugin: measures ratio and threshold
 * targets with PromQL range queries, on a schedule.
 *
 * @packageDocumentation
 */
export { slaModulePrometheus as default } from './module';
export { PrometheusMetricSource } from './PrometheusMetricSource';
export { readPrometheusConfig } from './readPrometheusConfig';
export type {
  PrometheusConfig,
  PrometheusMetricSourceOptions,
} from './readPrometheusConfig';
