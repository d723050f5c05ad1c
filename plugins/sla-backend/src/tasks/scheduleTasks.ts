import {
  LoggerService,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  RootConfigService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { SlaMetricSource } from '@opensla/backstage-plugin-sla-node';
import { Duration } from 'luxon';
import { SlaServices } from '../service/createServices';

const DEFAULT_OPENSLO_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 5 },
  timeout: { minutes: 4 },
  initialDelay: { seconds: 15 },
};

const DEFAULT_GRAPH_SYNC_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { seconds: 30 },
  timeout: { minutes: 5 },
  initialDelay: { seconds: 5 },
};

/**
 * Every replica runs the time-driven round at the same wall-clock minutes
 * (scope local), so they share it: each entity is claimed by one of them.
 */
const DEFAULT_BREACH_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { cron: '*/5 * * * *' },
  timeout: { minutes: 4 },
  initialDelay: { seconds: 20 },
  scope: 'local',
};

/** Changed entities left over (another replica died, a retry is due). */
const DEFAULT_QUEUE_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { seconds: 10 },
  timeout: { minutes: 5 },
  initialDelay: { seconds: 5 },
  scope: 'local',
};

/** The length of a round: the frequency, or a minute for a cron. */
export function roundLengthMs(
  schedule: SchedulerServiceTaskScheduleDefinition,
): number {
  const frequency = schedule.frequency as any;
  if ('cron' in frequency || 'trigger' in frequency) return 60_000;
  const duration = Duration.isDuration(frequency)
    ? frequency
    : Duration.fromObject(frequency);
  return Math.max(1_000, duration.toMillis());
}

const DEFAULT_SOURCE_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 5 },
  timeout: { minutes: 4 },
  initialDelay: { seconds: 30 },
};

const DEFAULT_SNAPSHOT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 5 },
  timeout: { minutes: 4 },
  initialDelay: { minutes: 1 },
};

const DEFAULT_RETENTION_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { hours: 1 },
  timeout: { minutes: 30 },
  initialDelay: { minutes: 5 },
};

const DEFAULT_TICKET_NOTICE_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 1 },
  timeout: { minutes: 1 },
  initialDelay: { seconds: 45 },
};

/**
 * A schedule from `key` in config when set, else the default; a configured
 * schedule without `scope` keeps the default's scope.
 */
function scheduleFrom(
  config: RootConfigService,
  key: string,
  fallback: SchedulerServiceTaskScheduleDefinition,
): SchedulerServiceTaskScheduleDefinition {
  if (!config.has(key)) return fallback;
  const read = readSchedulerServiceTaskScheduleDefinitionFromConfig(
    config.getConfig(key),
  );
  return { ...read, scope: read.scope ?? fallback.scope };
}

/**
 * Every scheduled task of the plugin, in one place. The scheduler runs the
 * global ones once across replicas per due instant, the breach evaluation
 * (rounds and changed entities) on every replica, sharing the work through
 * claims in the database; each passes its abort signal on.
 * @internal
 */
export async function scheduleSlaTasks(options: {
  scheduler: SchedulerService;
  config: RootConfigService;
  logger: LoggerService;
  services: SlaServices;
  metricSources: Array<{
    source: SlaMetricSource;
    schedule?: SchedulerServiceTaskScheduleDefinition;
  }>;
  clock: () => Date;
}) {
  const { scheduler, config, logger, services, clock } = options;

  // The catalog's dependency graph into the database (once across
  // replicas); every replica reads the changed rows from there. Entities
  // changed in the catalog also get their OpenSLO files read again.
  await scheduler.scheduleTask({
    id: 'sla-catalog-graph-sync',
    ...scheduleFrom(
      config,
      'sla.dependencyGraph.syncSchedule',
      DEFAULT_GRAPH_SYNC_SCHEDULE,
    ),
    fn: async signal => {
      const result = await services.graphSync.sync(signal);
      if (result.changed || result.removed) {
        logger.info(`Catalog graph synced: ${JSON.stringify(result)}`);
      }
    },
  });

  // Managed agreements from the sla/openslo annotation: read the files
  // again on a schedule.
  await scheduler.scheduleTask({
    id: 'sla-openslo-sync',
    ...scheduleFrom(config, 'sla.openslo.schedule', DEFAULT_OPENSLO_SCHEDULE),
    fn: async signal => {
      const counts = await services.openSloSync.syncAll(
        clock().getTime(),
        signal,
      );
      logger.info(`OpenSLO files read: ${JSON.stringify(counts)}`);
    },
  });

  // Breaches also open and close with the passing of time (windows roll on
  // without new data): a round on every replica, each entity claimed once.
  const round = scheduleFrom(
    config,
    'sla.breaches.schedule',
    DEFAULT_BREACH_SCHEDULE,
  );
  const roundMs = roundLengthMs(round);
  await scheduler.scheduleTask({
    id: 'sla-breach-evaluation',
    ...round,
    fn: async signal => {
      const result = await services.evaluation.runRound(roundMs, signal);
      if (result.claimed) {
        logger.info(
          `Breach evaluation round: ${result.evaluated} of ${result.candidates} entities evaluated here, ${result.failed} failed`,
        );
      }
    },
  });

  // Changed entities (ingest, feedback) that no replica evaluated yet: the
  // replica that stores data starts at once; this catches the rest.
  await scheduler.scheduleTask({
    id: 'sla-evaluation-queue',
    ...scheduleFrom(
      config,
      'sla.evaluation.queueSchedule',
      DEFAULT_QUEUE_SCHEDULE,
    ),
    fn: async signal => {
      await services.evaluation.evaluateChanged(signal);
    },
  });

  // Agreements expire when validUntil passes, with advance notice to the
  // owners: regularly and soon after start.
  await scheduler.scheduleTask({
    id: 'sla-agreement-expiry',
    ...services.expirySchedule,
    fn: async signal => {
      await services.expiry.run(clock().getTime(), signal);
    },
  });

  // The statuses the portfolio's previous period needs this hour and the
  // next, computed ahead so that requests find them kept.
  await scheduler.scheduleTask({
    id: 'sla-portfolio-snapshots',
    ...scheduleFrom(
      config,
      'sla.portfolio.snapshotSchedule',
      DEFAULT_SNAPSHOT_SCHEDULE,
    ),
    fn: async signal => {
      await services.portfolio.keepSnapshots(clock().getTime(), signal);
    },
  });

  // Retention of measurements (sla.retention): bounded deletes, stopped
  // between statements when the run passes its timeout.
  const retention = services.retention;
  if (retention) {
    await scheduler.scheduleTask({
      id: 'sla-measurement-retention',
      ...scheduleFrom(
        config,
        'sla.retention.schedule',
        DEFAULT_RETENTION_SCHEDULE,
      ),
      fn: async signal => {
        await retention.run(clock().getTime(), signal);
      },
    });
  }

  // Ticket clocks pass 50/75/100 % of their allowed time with the passing
  // of time: look at the open tickets regularly.
  await scheduler.scheduleTask({
    id: 'sla-ticket-notifications',
    ...scheduleFrom(
      config,
      'sla.tickets.notificationSchedule',
      DEFAULT_TICKET_NOTICE_SCHEDULE,
    ),
    fn: async signal => {
      const { sent } = await services.tickets.notifyLevels(
        clock().getTime(),
        signal,
      );
      if (sent) logger.info(`Ticket SLA notifications sent: ${sent}`);
    },
  });

  for (const { source, schedule } of options.metricSources) {
    await scheduler.scheduleTask({
      id: `sla-metric-source-${source.id}`,
      ...(schedule ?? DEFAULT_SOURCE_SCHEDULE),
      fn: async signal => {
        const result = await services.metricSourceRunner.run(
          source,
          clock().getTime(),
          signal,
        );
        logger.info(
          `Metric source ${source.id}: ${result.collected} targets collected, ${result.failed} failed`,
        );
      },
    });
  }
}
