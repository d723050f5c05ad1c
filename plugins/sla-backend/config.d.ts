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
    debug?: {
      /**
       * When true, GET /attainment answers where its time went in a
       * `Server-Timing` header (auth, permission, catalog, agreements,
       * planning, database, compute, json, total; milliseconds). For
       * benchmarks and profiling; default false, and then nothing is timed.
       */
      serverTiming?: boolean;
    };
    dependencyGraph?: {
      /**
       * How often each replica reads the changes to the catalog's
       * dependency graph (viability, blast radius, breach causes, the
       * portfolio's owners) from the plugin's database, in seconds: only
       * the rows changed since its last read. Default 10. The entity being
       * viewed is always read fresh.
       */
      refreshSeconds?: number;
      /**
       * Schedule of the task `sla-catalog-graph-sync`, which compares the
       * catalog with the graph kept in the plugin's database and writes
       * what changed (once across replicas), in Backstage's scheduler
       * format. Default every 30 seconds, first run 5 seconds after start.
       * A catalog change reaches viability within about this interval plus
       * refreshSeconds plus the time of one sync and one graph rebuild.
       */
      syncSchedule?: SchedulerServiceTaskScheduleDefinitionConfig;
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
       * When the time-driven breach evaluation runs (windows roll on
       * without new data), in Backstage's scheduler format, e.g.
       * { frequency: { cron: '*\/5 * * * *' }, timeout: { minutes: 4 } }.
       * Default: at every fifth minute of the clock, 4-minute timeout,
       * scope `local` (every replica runs it and each entity is claimed by
       * one replica per round; a round lasts the frequency, or one minute
       * for a cron). Without `scope` a configured schedule stays local. A
       * round that runs past its timeout stops between entities.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
    evaluation?: {
      /**
       * How often each replica looks for changed entities (ingest,
       * feedback) that no replica evaluated yet, in Backstage's scheduler
       * format. Default every 10 seconds, 5-minute timeout, scope `local`.
       * The replica that stores data starts evaluating it at once anyway.
       */
      queueSchedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * How long a replica's claim on a changed entity holds (seconds,
       * default 300): after that another replica may take it (a replica
       * killed mid-evaluation).
       */
      leaseSeconds?: number;
      /** Changed entities or round entities claimed at a time (default 10). */
      batchSize?: number;
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
    retention?: {
      /**
       * Whether the retention task prunes stored measurements (default
       * true). When false nothing is deleted and every figure is computed
       * from everything ever stored.
       */
      enabled?: boolean;
      /**
       * Raw detail (samples, per-minute extremes) kept beyond what the
       * windows of the targets reading a series need: an ISO 8601 duration
       * or an object such as { days: 7 }. Default P7D. A series keeps raw
       * detail for its longest target window (a calendar window's current
       * period) plus the longest burn-rate look-back (3 days) plus this.
       */
      rawMargin?: string | { [unit: string]: number };
      /**
       * The rolling window a series that no target reads (or only targets
       * of withdrawn agreements) keeps raw detail for, as if a target with
       * this window read it (plus the 3-day look-back and the margin).
       * Default P28D.
       */
      unreadSeriesWindow?: string;
      /**
       * How long rollups (hourly, daily, weekly sums and slice counts) and
       * closed duration events are kept, for reports and reviews: an ISO
       * 8601 duration or an object such as { days: 400 }. Default P400D;
       * never less than a series' raw detail.
       */
      rollups?: string | { [unit: string]: number };
      /**
       * Rows deleted per statement (each statement its own short
       * transaction). Default 5000.
       */
      chunkSize?: number;
      /**
       * When the retention task runs, in Backstage's scheduler format.
       * Default every hour with a 30-minute timeout, first run 5 minutes
       * after start; once across replicas. A run that passes its timeout
       * stops between statements; the next run resumes.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
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
