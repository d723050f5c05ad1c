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
    };
  };
}
