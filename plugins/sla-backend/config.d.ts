import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  sla?: {
    openslo?: {
      /**
       * How often the OpenSLO files named by entities' `sla/openslo`
       * annotations are read again (docs/slos-as-code.md): a task schedule
       * ({ frequency, timeout, initialDelay? }, each an ISO 8601 duration,
       * an object such as { minutes: 5 }, or { cron }). Default every 5
       * minutes, the first read 15 seconds after start; once across replicas.
       */
      schedule?: {
        frequency: string | { cron: string } | { [unit: string]: number };
        timeout: string | { [unit: string]: number };
        initialDelay?: string | { [unit: string]: number };
      };
    };
    permissions?: {
      /**
       * When true (the default), creating and changing an entity's agreements
       * also requires owning the entity (the owning user or a member of the
       * owning group), on top of the permission policy. Set to false to let
       * the permission policy alone decide (e.g. to let admins edit).
       */
      requireOwnership?: boolean;
    };
    dependencyGraph?: {
      /**
       * How long the in-memory copy of the catalog's dependency graph
       * (viability, blast radius, breach causes) is used before it is read
       * again, in seconds. Default 60. The entity being viewed is always
       * read fresh.
       */
      refreshSeconds?: number;
    };
    expiry?: {
      /**
       * How often agreements past their validUntil are moved to expired and
       * advance notices are sent: an ISO 8601 duration (e.g. PT15M), an
       * object (e.g. { minutes: 15 }) or { cron: '...' }. Default every 15
       * minutes; the first run is 10 seconds after start. The task runs
       * once across backend replicas.
       */
      frequency?: string | { cron: string } | { [unit: string]: number };
      /**
       * Days before an agreement's validUntil to notify its owners (Backstage
       * notifications, when installed), each once per validity period.
       * Default [30, 7, 1]; [] sends no advance notice (the expiry itself is
       * still notified). The agreement card warns within the largest one.
       * @visibility frontend
       */
      noticeDays?: number[];
    };
    breaches?: {
      /**
       * How often every target in force is evaluated for breaches (windows
       * roll on without new data), in Backstage's scheduler format, e.g.
       * { frequency: { minutes: 5 }, timeout: { minutes: 4 } }. Default
       * every 5 minutes with a 4-minute timeout, first run 20 seconds after
       * start; once across replicas. A round that runs past its timeout
       * stops between entities.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
    measurements?: {
      /**
       * How many sums over ranges of stored measurements each backend
       * replica keeps for reuse (attainment reads them instead of summing
       * the same rollups again). A kept sum is used only while its series
       * received no sample before its latest one, as stamped in the
       * database, so it is never stale, whichever replica ingested. About
       * 150 bytes each; default 100000; 0 keeps none.
       */
      rangeSumCacheSize?: number;
    };
    portfolio?: {
      /**
       * How old a target's status kept by the breach evaluator may be for
       * GET /portfolio to use it for the current instant, in seconds.
       * Default 600 (two evaluation rounds); older ones are evaluated.
       */
      maxStatusAgeSeconds?: number;
      /**
       * How often the statuses of the previous period are computed ahead
       * for the portfolio, in Backstage's scheduler format. Default every 5
       * minutes with a 4-minute timeout, first run 1 minute after start;
       * once across replicas.
       */
      snapshotSchedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
    tickets?: {
      /**
       * When the ticket SLA notifications (50/75/100 % of a ticket target's
       * allowed time) are looked for. Default: every minute with a 1-minute
       * timeout, first run 45 seconds after start; once across replicas.
       */
      notificationSchedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
    reports?: {
      /**
       * Days after a month ends within which its service report must be
       * published to count as timely (the "timely reports" KPI). Default 5.
       */
      graceDays?: number;
    };
  };
}
