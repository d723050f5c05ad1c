import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  sla?: {
    /** The Prometheus metric source (@opensla/backstage-plugin-sla-backend-module-prometheus). */
    prometheus?: {
      /**
       * Base URL of the Prometheus HTTP API, without `/api/v1`, e.g.
       * `http://prometheus:9090` (Thanos Query, Mimir and other
       * Prometheus-compatible APIs work too). Without it the module stays
       * inactive.
       */
      baseUrl?: string;
      /**
       * HTTP headers sent with every query, e.g.
       * `Authorization: Bearer ${PROMETHEUS_TOKEN}` or `X-Scope-OrgID`.
       */
      headers?: {
        /** @visibility secret */
        [name: string]: string;
      };
      /**
       * How long one HTTP request may take: milliseconds, an ISO 8601
       * duration (`PT30S`), a string like `30s`, or an object like
       * `{ seconds: 30 }`. Default 30 seconds.
       */
      timeout?:
        | number
        | string
        | {
            years?: number;
            months?: number;
            weeks?: number;
            days?: number;
            hours?: number;
            minutes?: number;
            seconds?: number;
            milliseconds?: number;
          };
      /**
       * How often targets are measured. Default: every 5 minutes, with a
       * 30 minute timeout and a 30 second initial delay.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * Resolution of ratio SLIs (whole seconds): one measurement per step,
       * counting the events of that step. The good and total queries must
       * count over the same length, e.g. `increase(...[1m])` for `PT1M`.
       * Same formats as `timeout`. Default `PT1M`. Threshold SLIs use the
       * target's `timeslice` instead.
       */
      step?:
        | number
        | string
        | {
            years?: number;
            months?: number;
            weeks?: number;
            days?: number;
            hours?: number;
            minutes?: number;
            seconds?: number;
            milliseconds?: number;
          };
      /**
       * The longest range one request covers; longer collections (e.g. the
       * first run, or catching up after an outage) are split into requests
       * of this length so that responses stay bounded. Same formats as
       * `timeout`. Default `P1D`.
       */
      maxRange?:
        | number
        | string
        | {
            years?: number;
            months?: number;
            weeks?: number;
            days?: number;
            hours?: number;
            minutes?: number;
            seconds?: number;
            milliseconds?: number;
          };
      /**
       * Whether PromQL written by owners may run: queries in a target's
       * `source` (`good`, `total`, `value`) and in the entity annotations
       * `sla/prometheus.<metric>.good|total|value`. Default false: owners
       * pick from `templates`, and a target with only its own PromQL is not
       * measured (its collection fails with the reason, logged per target).
       */
      allowFreeQueries?: boolean;
      /**
       * Query templates owners pick by name (`source.template` of a target,
       * or the annotation `sla/prometheus.<metric>.template`). Each has
       * `good` and `total` (ratio SLIs), `value` (threshold SLIs), or all
       * three. Placeholders: `{{ annotation "key" }}` (an annotation of the
       * entity), `{{ param "name" }}` (the target's `source.parameters`),
       * `{{ entity "name" }}` / `"namespace"` / `"kind"`, all inside a
       * quoted PromQL string where they are escaped; and `{{ range }}` (the
       * query's step as a PromQL duration, e.g. `60s`) outside strings.
       */
      templates?: {
        [name: string]: {
          /** Shown to owners when they pick a template. */
          description?: string;
          /** Ratio SLIs: good events per step. */
          good?: string;
          /** Ratio SLIs: all events per step. */
          total?: string;
          /** Threshold SLIs: the value of one timeslice. */
          value?: string;
        };
      };
      /** Caps on what one query may return; a query over a cap fails for its target. */
      limits?: {
        /** The largest response body in bytes. Default 8388608 (8 MiB). */
        maxResponseBytes?: number;
        /** The most series one query may return. Default 100. */
        maxSeries?: number;
      };
    };
  };
}
