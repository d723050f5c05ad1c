import type { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import type { Measurement } from '@opensla/backstage-plugin-sla-common';
import type {
  MeasurableTarget,
  SlaMetricSource,
} from '@opensla/backstage-plugin-sla-node';
import { Duration } from 'luxon';
import {
  PrometheusClient,
  PrometheusSeries,
  RangeQueryInstants,
} from './PrometheusClient';
import {
  isWholeSeconds,
  PrometheusMetricSourceOptions,
} from './readPrometheusConfig';
import { ParsedQuery } from './queryTemplates';
import {
  PROMETHEUS_SOURCE_TYPE,
  QueryPolicy,
  renderQuery,
  resolvePrometheusQueries,
} from './resolvePrometheusQueries';

/** Prometheus refuses range queries of more than 11,000 points per series. */
const PROMETHEUS_MAX_POINTS_PER_SERIES = 11_000;

const DEFAULT_TIMESLICE = 'PT1M';

type CollectOptions = { logger: LoggerService; signal?: AbortSignal };

/**
 * Measures ratio and threshold targets with PromQL range queries.
 *
 * Ratio targets: the `good` and `total` queries return event counts per
 * step (the configured `step`); each timestamp where both have a finite
 * value becomes one `{ good, total }` measurement. Threshold targets: the
 * `value` query is evaluated once per timeslice (the target's `timeslice`,
 * default PT1M) and each timestamp becomes one `{ value }` measurement.
 * Timestamps are multiples of the step since the Unix epoch, in [from, to).
 *
 * Queries are expected to return one series; several are summed (ratio) or
 * reduced to the worst value (threshold: max for `lte`, min for `gte`).
 *
 * `collect` returns the complete data of the range or throws: any failed
 * request fails the whole collection, so the SLA plugin retries the range.
 * @public
 */
export class PrometheusMetricSource implements SlaMetricSource {
  readonly id = PROMETHEUS_SOURCE_TYPE;
  private readonly client: PrometheusClient;
  private readonly step: Duration;
  private readonly maxRange: Duration;
  private readonly policy: QueryPolicy;

  constructor(options: PrometheusMetricSourceOptions) {
    this.client = new PrometheusClient(options);
    this.step = options.step;
    this.maxRange = options.maxRange;
    this.policy = {
      templates: options.templates ?? new Map(),
      allowFreeQueries: options.allowFreeQueries ?? false,
    };
  }

  /**
   * True for every target this module is meant to measure, including those
   * it refuses (free PromQL where it is not allowed, an unknown template):
   * their collection fails with the reason, which the SLA plugin logs for
   * the target, instead of the target silently going unmeasured.
   */
  canMeasure(target: MeasurableTarget): boolean {
    return resolvePrometheusQueries(target, this.policy) !== undefined;
  }

  async collect(
    target: MeasurableTarget,
    range: { from: Date; to: Date },
    options: CollectOptions,
  ): Promise<Measurement[]> {
    const queries = resolvePrometheusQueries(target, this.policy);
    const sli = target.target.sli;
    if (!queries) {
      throw new Error(
        `${describeTarget(
          target,
        )} has no Prometheus queries (source.template, target source or sla/prometheus.${
          target.target.metric
        }.* annotations)`,
      );
    }
    if (queries.kind === 'refused') {
      throw new Error(
        `Prometheus metric source refuses ${describeTarget(target)}: ${
          queries.reason
        }`,
      );
    }
    const render = (query: ParsedQuery, step: Duration) => {
      try {
        return renderQuery(
          query,
          target,
          queries.parameters,
          step.as('seconds'),
        );
      } catch (error) {
        throw new Error(
          `Could not fill query template "${
            queries.template
          }" for ${describeTarget(target)}: ${(error as Error).message}`,
        );
      }
    };
    if (queries.kind === 'ratio') {
      return this.collectRatio(
        target,
        {
          good: render(queries.good, this.step),
          total: render(queries.total, this.step),
        },
        range,
        options,
      );
    }
    if (sli.kind !== 'threshold') {
      throw new Error(`${describeTarget(target)} is not a threshold target`);
    }
    const timeslice = Duration.fromISO(
      target.target.timeslice ?? DEFAULT_TIMESLICE,
    );
    if (!isWholeSeconds(timeslice)) {
      throw new Error(
        `${describeTarget(target)} has timeslice ${
          target.target.timeslice
        }, which is not a whole number of seconds and cannot be a Prometheus step`,
      );
    }
    return this.collectThreshold(
      target,
      {
        query: render(queries.value, timeslice),
        operator: sli.operator,
        timeslice,
      },
      range,
      options,
    );
  }

  private async collectRatio(
    target: MeasurableTarget,
    queries: { good: string; total: string },
    range: { from: Date; to: Date },
    options: CollectOptions,
  ): Promise<Measurement[]> {
    const { entityRef } = target;
    const { metric } = target.target;
    const measurements: Measurement[] = [];
    const refused: Array<{
      timestampMillis: number;
      good: number;
      total: number;
    }> = [];

    for (const instants of this.requestsCovering(range, this.step)) {
      const [goodSeries, totalSeries] = await Promise.all([
        this.query(target, queries.good, instants, options.signal),
        this.query(target, queries.total, instants, options.signal),
      ]);
      const goodByTime = sumByTimestamp(goodSeries);
      const totalByTime = sumByTimestamp(totalSeries);
      for (const [timestampMillis, good] of goodByTime) {
        const total = totalByTime.get(timestampMillis);
        if (
          total === undefined ||
          !Number.isFinite(good) ||
          !Number.isFinite(total) ||
          !isInRange(timestampMillis, range)
        ) {
          continue;
        }
        // Counts that are negative or have more good than total events would
        // make attainment exceed 100 % or budgets grow; better no sample.
        if (good < 0 || total < 0 || good > total) {
          refused.push({ timestampMillis, good, total });
          continue;
        }
        measurements.push({
          entityRef,
          metric,
          timestamp: isoInstant(timestampMillis),
          good,
          total,
        });
      }
    }

    if (refused.length > 0) {
      const first = refused[0];
      options.logger.warn(
        `Prometheus metric source skipped ${
          refused.length
        } point(s) of ${describeTarget(
          target,
        )} whose counts are negative or have good > total, first at ${isoInstant(
          first.timestampMillis,
        )} (good ${first.good}, total ${
          first.total
        }); check that the good query selects a subset of the total query's events`,
      );
    }
    return sortByTimestamp(measurements);
  }

  private async collectThreshold(
    target: MeasurableTarget,
    threshold: { query: string; operator: 'lte' | 'gte'; timeslice: Duration },
    range: { from: Date; to: Date },
    options: CollectOptions,
  ): Promise<Measurement[]> {
    const { entityRef } = target;
    const { metric } = target.target;
    // A slice takes its worst value (product.md §3), so of several series
    // the one that can spoil the slice wins.
    const worse =
      threshold.operator === 'lte'
        ? (a: number, b: number) => Math.max(a, b)
        : (a: number, b: number) => Math.min(a, b);
    const measurements: Measurement[] = [];

    for (const instants of this.requestsCovering(range, threshold.timeslice)) {
      const series = await this.query(
        target,
        threshold.query,
        instants,
        options.signal,
      );
      const worstByTime = new Map<number, number>();
      for (const { samples } of series) {
        for (const { timestampMillis, value } of samples) {
          if (!Number.isFinite(value) || !isInRange(timestampMillis, range)) {
            continue;
          }
          const current = worstByTime.get(timestampMillis);
          worstByTime.set(
            timestampMillis,
            current === undefined ? value : worse(current, value),
          );
        }
      }
      for (const [timestampMillis, value] of worstByTime) {
        measurements.push({
          entityRef,
          metric,
          timestamp: isoInstant(timestampMillis),
          value,
        });
      }
    }
    return sortByTimestamp(measurements);
  }

  /**
   * The range queries that cover [from, to) at the given step: evaluation
   * instants are multiples of the step since the epoch (so they line up
   * with timeslices) from the first at or after `from` to the last before
   * `to`, at most `maxRange` (and Prometheus' point limit) per request.
   */
  private requestsCovering(
    range: { from: Date; to: Date },
    step: Duration,
  ): RangeQueryInstants[] {
    const stepMillis = step.toMillis();
    const first = Math.ceil(range.from.getTime() / stepMillis) * stepMillis;
    const last = (Math.ceil(range.to.getTime() / stepMillis) - 1) * stepMillis;
    const pointsPerRequest = Math.min(
      PROMETHEUS_MAX_POINTS_PER_SERIES,
      Math.max(1, Math.floor(this.maxRange.toMillis() / stepMillis)),
    );
    const requests: RangeQueryInstants[] = [];
    for (
      let startMillis = first;
      startMillis <= last;
      startMillis += pointsPerRequest * stepMillis
    ) {
      requests.push({
        startMillis,
        endMillis: Math.min(
          last,
          startMillis + (pointsPerRequest - 1) * stepMillis,
        ),
        step,
      });
    }
    return requests;
  }

  private async query(
    target: MeasurableTarget,
    query: string,
    instants: RangeQueryInstants,
    signal: AbortSignal | undefined,
  ): Promise<PrometheusSeries[]> {
    try {
      return await this.client.queryRange(query, instants, signal);
    } catch (error) {
      const cause = isError(error) ? error.message : String(error);
      throw new Error(
        `Could not collect ${describeTarget(
          target,
        )} from Prometheus: ${cause}; query: ${query}`,
        { cause: error },
      );
    }
  }
}

function describeTarget(target: MeasurableTarget): string {
  return `metric "${target.target.metric}" of ${target.entityRef}`;
}

/** Values of several series added up per timestamp; a NaN or infinite term makes the sum non-finite. */
function sumByTimestamp(series: PrometheusSeries[]): Map<number, number> {
  const sums = new Map<number, number>();
  for (const { samples } of series) {
    for (const { timestampMillis, value } of samples) {
      sums.set(timestampMillis, (sums.get(timestampMillis) ?? 0) + value);
    }
  }
  return sums;
}

/** Prometheus' range includes its end; the contract's [from, to) does not. */
function isInRange(
  timestampMillis: number,
  range: { from: Date; to: Date },
): boolean {
  return (
    timestampMillis >= range.from.getTime() &&
    timestampMillis < range.to.getTime()
  );
}

function isoInstant(timestampMillis: number): string {
  return new Date(timestampMillis).toISOString();
}

function sortByTimestamp(measurements: Measurement[]): Measurement[] {
  const timestampOf = (m: Measurement) => ('timestamp' in m ? m.timestamp : '');
  return measurements.sort((a, b) =>
    timestampOf(a).localeCompare(timestampOf(b)),
  );
}
