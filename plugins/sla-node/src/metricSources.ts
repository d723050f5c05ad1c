import { createExtensionPoint } from '@backstage/backend-plugin-api';
import {
  LoggerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { Measurement, Target } from '@opensla/backstage-plugin-sla-common';

/** A target in force, with what a metric source needs to measure it. @public */
export type MeasurableTarget = {
  entityRef: string;
  /** The entity's annotations, e.g. queries configured on the entity. */
  annotations: Record<string, string>;
  agreementId: string;
  target: Target;
};

/**
 * Supplies measurements for targets, on a schedule. The SLA plugin calls
 * `collect` for each target in force that `canMeasure`, for the time range
 * since the last successful collection, and ingests what it returns through
 * the same idempotent path as POST /measurements. A failed collection is
 * logged and retried over the same range on the next run.
 * @public
 */
export interface SlaMetricSource {
  /** Unique id, e.g. `prometheus`. */
  readonly id: string;
  canMeasure(target: MeasurableTarget): boolean;
  /** Measurements of the target's series with timestamps in [from, to). */
  collect(
    target: MeasurableTarget,
    range: { from: Date; to: Date },
    options: { logger: LoggerService; signal?: AbortSignal },
  ): Promise<Measurement[]>;
}

/** @public */
export interface SlaMetricSourcesExtensionPoint {
  addMetricSource(
    source: SlaMetricSource,
    options?: { schedule?: SchedulerServiceTaskScheduleDefinition },
  ): void;
}

/**
 * Lets a module (e.g. `@opensla/backstage-plugin-sla-backend-module-prometheus`)
 * supply measurements for (entity, metric) on a schedule.
 * @public
 */
export const slaMetricSourcesExtensionPoint =
  createExtensionPoint<SlaMetricSourcesExtensionPoint>({
    id: 'sla.metric-sources',
  });
