import {
  coreServices,
  createBackendPlugin,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { slaPermissions } from '@opensla/backstage-plugin-sla-common';
import {
  slaFeedbackSeedExtensionPoint,
  slaImprovementSeedExtensionPoint,
  SlaMetricSource,
  slaMetricSourcesExtensionPoint,
  slaPracticeSeedExtensionPoint,
  slaSeedExtensionPoint,
  SlaTicketFeed,
  slaTicketFeedsExtensionPoint,
} from '@opensla/backstage-plugin-sla-node';
import { AgreementStore } from './store/AgreementStore';
import { createSlaServices } from './service/createServices';
import { createRouter } from './service/router';
import { registerSlaActions } from './actions';
import { scheduleSlaTasks } from './tasks/scheduleTasks';
import { seedOnStartup, SlaSeedProviders } from './tasks/seedOnStartup';
import { startTicketFeeds } from './tasks/startTicketFeeds';

/**
 * The SLA backend plugin (plugin id `sla`): agreements on catalog entities,
 * their lifecycle and history, measurements, attainment and breaches,
 * served at /api/sla.
 * @public
 */
export const slaPlugin = createBackendPlugin({
  pluginId: 'sla',
  register(env) {
    const seeds: SlaSeedProviders = {
      agreements: [],
      feedback: [],
      improvements: [],
      practice: [],
    };
    env.registerExtensionPoint(slaSeedExtensionPoint, {
      addSeedProvider(provider) {
        seeds.agreements.push(provider);
      },
    });
    env.registerExtensionPoint(slaFeedbackSeedExtensionPoint, {
      addFeedbackSeedProvider(provider) {
        seeds.feedback.push(provider);
      },
    });
    env.registerExtensionPoint(slaImprovementSeedExtensionPoint, {
      addImprovementSeedProvider(provider) {
        seeds.improvements.push(provider);
      },
    });
    env.registerExtensionPoint(slaPracticeSeedExtensionPoint, {
      addPracticeSeedProvider(provider) {
        seeds.practice.push(provider);
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
    const ticketFeeds: SlaTicketFeed[] = [];
    env.registerExtensionPoint(slaTicketFeedsExtensionPoint, {
      addTicketFeed(feed) {
        if (ticketFeeds.some(f => f.id === feed.id)) {
          throw new Error(`A ticket feed with id ${feed.id} is already added`);
        }
        ticketFeeds.push(feed);
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
        const { config, logger, scheduler } = deps;
        deps.permissionsRegistry.addPermissions(slaPermissions);
        const clock = () => new Date();
        const services = createSlaServices({
          config,
          logger,
          db: await AgreementStore.connect(deps.database),
          auth: deps.auth,
          userInfo: deps.userInfo,
          permissions: deps.permissions,
          catalog: deps.catalog,
          notifications: deps.notifications,
          urlReader: deps.urlReader,
          metricSourceIds: () => metricSources.map(m => m.source.id),
          clock,
        });
        deps.httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            ...services,
            clock,
            serverTiming:
              config.getOptionalBoolean('sla.debug.serverTiming') ?? false,
          }),
        );
        // The same reads for assistants (actions registry, MCP).
        registerSlaActions({
          actionsRegistry: deps.actionsRegistry,
          ...services,
          clock,
        });
        await scheduleSlaTasks({
          scheduler,
          config,
          logger,
          services,
          metricSources,
          clock,
        });
        // Evaluation of changed entities started by this replica stops
        // claiming at shutdown (what it holds is left to the others).
        deps.lifecycle.addShutdownHook(() => services.evaluation.stop());
        deps.lifecycle.addStartupHook(() =>
          startTicketFeeds({ feeds: ticketFeeds, services, logger }),
        );
        deps.lifecycle.addStartupHook(
          await seedOnStartup({
            providers: seeds,
            services,
            scheduler,
            auth: deps.auth,
            logger,
          }),
        );
      },
    });
  },
});
