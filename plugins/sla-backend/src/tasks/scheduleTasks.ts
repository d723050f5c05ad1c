import {
  LoggerService,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  RootConfigService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { SlaMetricSource } from '@opensla/backstage-plugin-sla-node';
import { SlaServices } from '../service/createServices';

const DEFAULT_OPENSLO_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 5 },
  timeout: { minutes: 4 },
  initialDelay: { seconds: 15 },
};

const DEFAULT_BREACH_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 5 },
  timeout: { minutes: 4 },
  initialDelay: { seconds: 20 },
};

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

const DEFAULT_TICKET_NOTICE_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 1 },
  timeout: { minutes: 1 },
  initialDelay: { seconds: 45 },
};

/** A schedule from `key` in config when set, else the default. */
function scheduleFrom(
  config: RootConfigService,
  key: string,
  fallback: SchedulerServiceTaskScheduleDefinition,
): SchedulerServiceTaskScheduleDefinition {
  return config.has(key)
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        config.getConfig(key),
      )
    : fallback;
}

/**
 * Every scheduled task of the plugin, in one place. The scheduler runs each
 * once across replicas per due instant; each passes its abort signal on.
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

  // Managed agreements from the sla/openslo annotation: read the files
  // again on a schedule.
  await scheduler.scheduleTask({
    id: 'sla-openslo-sync',
    ...scheduleFrom(config, 'sla.openslo.schedule', DEFAULT_OPENSLO_SCHEDULE),
    fn: async () => {
      const counts = await services.openSloSync.syncAll(clock().getTime());
      logger.info(`OpenSLO files read: ${JSON.stringify(counts)}`);
    },
  });

  // Breaches also open and close with the passing of time (windows roll on
  // without new data).
  await scheduler.scheduleTask({
    id: 'sla-breach-evaluation',
    ...scheduleFrom(config, 'sla.breaches.schedule', DEFAULT_BREACH_SCHEDULE),
    fn: async signal => {
      await services.breaches.evaluateAll(clock().getTime(), signal);
    },
  });

  // Agreements expire when validUntil passes, with advance notice to the
  // owners: regularly and soon after start.
  await scheduler.scheduleTask({
    id: 'sla-agreement-expiry',
    ...services.expirySchedule,
    fn: async () => {
      await services.expiry.run(clock().getTime());
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
    fn: async () => {
      await services.portfolio.keepSnapshots(clock().getTime());
    },
  });

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
