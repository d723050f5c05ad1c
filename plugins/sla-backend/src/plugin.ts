import {
  coreServices,
  createBackendPlugin,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { slaPermissions } from '@opensla/backstage-plugin-sla-common';
import {
  SlaAgreementSeedProvider,
  SlaFeedbackSeedProvider,
  SlaImprovementSeedProvider,
  slaFeedbackSeedExtensionPoint,
  slaImprovementSeedExtensionPoint,
  SlaMetricSource,
  slaMetricSourcesExtensionPoint,
  SlaPracticeSeedProvider,
  slaPracticeSeedExtensionPoint,
  slaSeedExtensionPoint,
} from '@opensla/backstage-plugin-sla-node';
import { AgreementStore } from './store/AgreementStore';
import { MeasurementStore } from './store/MeasurementStore';
import { AgreementService } from './service/AgreementService';
import { AttainmentService } from './service/AttainmentService';
import { BreachService } from './service/BreachService';
import { EntityAccessGuard } from './service/EntityAccessGuard';
import { MeasurementService } from './service/MeasurementService';
import { MetricSourceRunner } from './service/MetricSourceRunner';
import { ReadService } from './service/ReadService';
import { FeedbackStore } from './store/FeedbackStore';
import { ExperienceEvaluator } from './service/ExperienceEvaluator';
import { SatisfactionService } from './service/SatisfactionService';
import { SlaNotifier } from './service/SlaNotifier';
import { CatalogGraphIndex } from './service/CatalogGraphIndex';
import { ViabilityService } from './service/ViabilityService';
import { createRouter } from './service/router';
import { SeriesService } from './service/SeriesService';
import { SeriesStore } from './store/SeriesStore';
import { ReviewStore } from './store/ReviewStore';
import { ReviewService } from './service/ReviewService';
import { ImprovementStore } from './store/ImprovementStore';
import { ImprovementService } from './service/ImprovementService';
import { PortfolioService } from './service/PortfolioService';
import { PortfolioStore } from './store/PortfolioStore';
import { ExpiryService } from './service/ExpiryService';
import { ExpiryStore } from './store/ExpiryStore';
import { readExpiryConfig } from './service/expiryConfig';
import { TargetStatusStore } from './store/TargetStatusStore';
import { BreachStore } from './store/BreachStore';
import { TargetStateStore } from './store/TargetStateStore';
import { ReportService } from './service/ReportService';
import { ReportStore } from './store/ReportStore';
import { PracticeSeeder } from './service/PracticeSeeder';
import { OpenSloSourceStore } from './store/OpenSloSourceStore';
import { OpenSloService } from './service/OpenSloService';
import { OpenSloSyncService } from './service/OpenSloSyncService';
import { registerSlaActions } from './actions';

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

/**
 * The SLA backend plugin (plugin id `sla`): agreements on catalog entities,
 * their lifecycle and history, measurements, attainment and breaches,
 * served at /api/sla.
 * @public
 */
export const slaPlugin = createBackendPlugin({
  pluginId: 'sla',
  register(env) {
    const seedProviders: SlaAgreementSeedProvider[] = [];
    env.registerExtensionPoint(slaSeedExtensionPoint, {
      addSeedProvider(provider) {
        seedProviders.push(provider);
      },
    });
    const feedbackSeeds: SlaFeedbackSeedProvider[] = [];
    env.registerExtensionPoint(slaFeedbackSeedExtensionPoint, {
      addFeedbackSeedProvider(provider) {
        feedbackSeeds.push(provider);
      },
    });
    const improvementSeeds: SlaImprovementSeedProvider[] = [];
    env.registerExtensionPoint(slaImprovementSeedExtensionPoint, {
      addImprovementSeedProvider(provider) {
        improvementSeeds.push(provider);
      },
    });
    const practiceSeeds: SlaPracticeSeedProvider[] = [];
    env.registerExtensionPoint(slaPracticeSeedExtensionPoint, {
      addPracticeSeedProvider(provider) {
        practiceSeeds.push(provider);
      },
    });
    const metricSources: Array<{
      source: SlaMetricSource;
      schedule?: SchedulerServiceTaskScheduleDefinition;
    }> = [];
    env.registerExtensionPoint(slaMetricSourcesExtensionPoint, {
      addMetricSource(source, options) {
        metricSources.push({ source, schedule: options?.schedule });
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        userInfo: coreServices.userInfo,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        lifecycle: coreServices.lifecycle,
        scheduler: coreServices.scheduler,
        urlReader: coreServices.urlReader,
        catalog: catalogServiceRef,
        notifications: notificationService,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init(deps) {
        const { config, logger, httpRouter, permissionsRegistry, scheduler } =
          deps;
        permissionsRegistry.addPermissions(slaPermissions);
        const clock = () => new Date();

        const db = await AgreementStore.connect(deps.database);
        const agreementStore = new AgreementStore(db);
        const measurementStore = new MeasurementStore(db, {
          rangeSumCapacity: config.getOptionalNumber(
            'sla.measurements.rangeSumCacheSize',
          ),
        });
        const guard = new EntityAccessGuard({
          catalog: deps.catalog,
          auth: deps.auth,
          permissions: deps.permissions,
          userInfo: deps.userInfo,
          requireOwnership:
            config.getOptionalBoolean('sla.permissions.requireOwnership') ??
            true,
        });
        const feedbackStore = new FeedbackStore(db);
        const attainment = new AttainmentService(
          measurementStore,
          new ExperienceEvaluator(feedbackStore),
        );
        // The breach evaluator and the portfolio evaluate every service in
        // turn: they use the sums page reads keep but add none.
        const bulkAttainment = new AttainmentService(
          measurementStore,
          new ExperienceEvaluator(feedbackStore),
          { keepSums: false },
        );
        // The catalog's dependency graph, for breach causes and viability.
        const graph = new CatalogGraphIndex({
          catalog: deps.catalog,
          auth: deps.auth,
          logger,
          maxAgeMs:
            (config.getOptionalNumber('sla.dependencyGraph.refreshSeconds') ??
              60) * 1000,
          clock,
        });
        const late: { reviews?: ReviewService; reports?: ReportService } = {};
        const breaches = new BreachService({
          breachStore: new BreachStore(db),
          states: new TargetStateStore(db),
          agreements: agreementStore,
          attainment: bulkAttainment,
          graph,
          logger,
          notifier: new SlaNotifier({
            notifications: deps.notifications,
            logger,
          }),
          // An event-based review opens with each breach (set up below).
          onOpened: async breach => {
            try {
              await late.reviews?.openForBreach(breach);
            } catch (error) {
              logger.warn(`Opening a review for a breach failed: ${error}`);
            }
          },
        });
        const portfolio = new PortfolioService({
          agreements: agreementStore,
          store: new PortfolioStore(db),
          attainment: bulkAttainment,
          statuses: new TargetStatusStore(db),
          guard,
          catalog: graph,
          clock,
          maxStatusAgeMs:
            (config.getOptionalNumber('sla.portfolio.maxStatusAgeSeconds') ??
              600) * 1000,
          reports: () => late.reports,
        });
        const onIngested = async (entityRefs: string[], from: number) => {
          const at = clock().getTime();
          // Late data changes the statuses kept for later instants.
          await portfolio.dropSnapshotsAfter(entityRefs, from);
          for (const ref of entityRefs) {
            await breaches.evaluateEntity(ref, at);
          }
        };
        const viability = new ViabilityService({
          db,
          agreements: agreementStore,
          guard,
          graph,
        });
        const agreements = new AgreementService({
          store: agreementStore,
          guard,
          logger,
          clock,
          viability,
        });
        const measurements = new MeasurementService({
          store: measurementStore,
          guard,
          onIngested,
        });
        const reads = new ReadService({
          agreements: agreementStore,
          attainment,
          breaches,
          guard,
          clock,
        });

        const satisfaction = new SatisfactionService({
          feedback: feedbackStore,
          agreements: agreementStore,
          attainment,
          guard,
          permissions: deps.permissions,
          clock,
          // XLA targets are measured from feedback: evaluate them at once.
          onScored: async (ref, at) => {
            try {
              await breaches.evaluateEntity(
                ref,
                Math.max(at, clock().getTime()),
              );
            } catch (error) {
              logger.warn(
                `Evaluation of ${ref} after feedback failed: ${error}`,
              );
            }
          },
        });
        const reviews = new ReviewService({
          reviews: new ReviewStore(db),
          agreementStore,
          agreements,
          attainment,
          satisfaction,
          guard,
          clock,
        });
        late.reviews = reviews;
        const improvements = new ImprovementService({
          improvements: new ImprovementStore(db),
          agreements: agreementStore,
          guard,
          clock,
        });
        const reports = new ReportService({
          agreements: agreementStore,
          attainment,
          breaches,
          satisfaction,
          reviews,
          improvements,
          reports: new ReportStore(db),
          guard,
          clock,
          graceDays: config.getOptionalNumber('sla.reports.graceDays'),
        });
        late.reports = reports;
        // SLOs as code: sources the plugin reads are the registered modules.
        const sourceTypes = () =>
          metricSources.map(m => m.source.id.toLocaleLowerCase('en-US'));
        const openSloSources = new OpenSloSourceStore(db);
        const openslo = new OpenSloService({
          agreements,
          guard,
          sources: openSloSources,
          sourceTypes,
        });
        httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            agreements,
            measurements,
            reads,
            viability,
            satisfaction,
            reviews,
            improvements,
            portfolio,
            reports,
            openslo,
            series: new SeriesService({ store: new SeriesStore(db), guard }),
            clock,
          }),
        );

        // Managed agreements from the sla/openslo annotation: read the files
        // again on a schedule, once across replicas.
        const openSloSync = new OpenSloSyncService({
          catalog: deps.catalog,
          auth: deps.auth,
          reader: deps.urlReader,
          agreements: agreementStore,
          sources: openSloSources,
          logger,
          sourceTypes,
        });
        await scheduler.scheduleTask({
          id: 'sla-openslo-sync',
          ...(config.has('sla.openslo.schedule')
            ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
                config.getConfig('sla.openslo.schedule'),
              )
            : DEFAULT_OPENSLO_SCHEDULE),
          fn: async () => {
            const counts = await openSloSync.syncAll(clock().getTime());
            logger.info(`OpenSLO files read: ${JSON.stringify(counts)}`);
          },
        });

        // The same reads for assistants (actions registry, MCP).
        registerSlaActions({
          actionsRegistry: deps.actionsRegistry,
          reads,
          viability,
          portfolio,
          clock,
        });

        // Breaches also open and close with the passing of time (windows
        // roll on without new data): evaluate regularly, once across replicas.
        await scheduler.scheduleTask({
          id: 'sla-breach-evaluation',
          ...(config.has('sla.breaches.schedule')
            ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
                config.getConfig('sla.breaches.schedule'),
              )
            : DEFAULT_BREACH_SCHEDULE),
          fn: async signal => {
            await breaches.evaluateAll(clock().getTime(), signal);
          },
        });

        // Agreements expire when validUntil passes, with advance notice to
        // the owners: regularly and soon after start, once across replicas.
        const expiryConfig = readExpiryConfig(config);
        const expiry = new ExpiryService({
          store: new ExpiryStore(db),
          agreements,
          breaches,
          notifier: new SlaNotifier({
            notifications: deps.notifications,
            logger,
          }),
          logger,
          noticeDays: expiryConfig.noticeDays,
        });
        await scheduler.scheduleTask({
          id: 'sla-agreement-expiry',
          ...expiryConfig.schedule,
          fn: async () => {
            await expiry.run(clock().getTime());
          },
        });

        // The statuses the portfolio's previous period needs this hour and
        // the next, computed ahead so that requests find them kept.
        await scheduler.scheduleTask({
          id: 'sla-portfolio-snapshots',
          frequency: { minutes: 5 },
          timeout: { minutes: 4 },
          initialDelay: { minutes: 1 },
          fn: async () => {
            await portfolio.keepSnapshots(clock().getTime());
          },
        });

        // Held reviews and published reports from modules, once their
        // periods have data (metric sources backfill after the start).
        if (practiceSeeds.length) {
          const seeder = new PracticeSeeder({
            providers: practiceSeeds,
            reviews,
            reports,
            auth: deps.auth,
            logger,
          });
          await scheduler.scheduleTask({
            id: 'sla-practice-seed',
            frequency: { minutes: 1 },
            timeout: { minutes: 5 },
            initialDelay: { seconds: 45 },
            fn: async () => {
              await seeder.run();
            },
          });
        }

        const runner = new MetricSourceRunner({
          db,
          agreements: agreementStore,
          measurements: measurementStore,
          guard,
          logger,
          maxBackfillMs: 35 * 86_400_000,
          onIngested,
        });
        for (const { source, schedule } of metricSources) {
          await scheduler.scheduleTask({
            id: `sla-metric-source-${source.id}`,
            ...(schedule ?? DEFAULT_SOURCE_SCHEDULE),
            fn: async signal => {
              const result = await runner.run(
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

        deps.lifecycle.addStartupHook(async () => {
          for (const provider of feedbackSeeds) {
            try {
              const seeds = await provider.getFeedback();
              const stored = await satisfaction.seed(seeds, m =>
                logger.warn(m),
              );
              logger.info(
                `Seeded ${stored} of ${seeds.length} feedback items from ${provider.name}`,
              );
            } catch (error) {
              logger.error(
                `Seeding feedback from ${provider.name} failed`,
                error as Error,
              );
            }
          }
        });

        deps.lifecycle.addStartupHook(async () => {
          for (const provider of seedProviders) {
            try {
              const seeds = await provider.getAgreements();
              const created = await agreements.seed(provider.name, seeds);
              logger.info(
                `Seeded ${created} of ${seeds.length} agreements from ${provider.name}`,
              );
            } catch (error) {
              logger.error(
                `Seeding from ${provider.name} failed`,
                error as Error,
              );
            }
          }
          // Initiatives link targets of agreements: after those are seeded.
          for (const provider of improvementSeeds) {
            try {
              const seeds = await provider.getImprovements();
              const stored = await improvements.seed(seeds, m =>
                logger.warn(m),
              );
              logger.info(
                `Seeded ${stored} of ${seeds.length} improvement initiatives from ${provider.name}`,
              );
            } catch (error) {
              logger.error(
                `Seeding improvement initiatives from ${provider.name} failed`,
                error as Error,
              );
            }
          }
        });
      },
    });
  },
});
