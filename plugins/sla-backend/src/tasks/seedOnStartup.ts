import {
  AuthService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  SlaAgreementSeedProvider,
  SlaFeedbackSeedProvider,
  SlaImprovementSeedProvider,
  SlaPracticeSeedProvider,
} from '@opensla/backstage-plugin-sla-node';
import { SlaServices } from '../service/createServices';
import { PracticeSeeder } from '../service/PracticeSeeder';

/** Seed providers registered by modules through the extension points. */
export type SlaSeedProviders = {
  agreements: SlaAgreementSeedProvider[];
  feedback: SlaFeedbackSeedProvider[];
  improvements: SlaImprovementSeedProvider[];
  practice: SlaPracticeSeedProvider[];
};

/**
 * Seeds from modules: feedback, agreements and then the improvement
 * initiatives that link their targets, once the backend has started; held
 * reviews and published reports on a schedule, once their periods have data.
 * Every seed is idempotent, so replicas starting together store each once.
 * @internal
 */
export async function seedOnStartup(options: {
  providers: SlaSeedProviders;
  services: SlaServices;
  scheduler: SchedulerService;
  auth: AuthService;
  logger: LoggerService;
}): Promise<() => Promise<void>> {
  const { providers, services, logger } = options;

  if (providers.practice.length) {
    const seeder = new PracticeSeeder({
      providers: providers.practice,
      reviews: services.reviews,
      reports: services.reports,
      auth: options.auth,
      logger,
    });
    await options.scheduler.scheduleTask({
      id: 'sla-practice-seed',
      frequency: { minutes: 1 },
      timeout: { minutes: 5 },
      initialDelay: { seconds: 45 },
      fn: async () => {
        await seeder.run();
      },
    });
  }

  return async () => {
    for (const provider of providers.feedback) {
      try {
        const seeds = await provider.getFeedback();
        const stored = await services.satisfaction.seed(seeds, m =>
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
    for (const provider of providers.agreements) {
      try {
        const seeds = await provider.getAgreements();
        const created = await services.agreements.seed(provider.name, seeds);
        logger.info(
          `Seeded ${created} of ${seeds.length} agreements from ${provider.name}`,
        );
      } catch (error) {
        logger.error(`Seeding from ${provider.name} failed`, error as Error);
      }
    }
    // Initiatives link targets of agreements: after those are seeded.
    for (const provider of providers.improvements) {
      try {
        const seeds = await provider.getImprovements();
        const stored = await services.improvements.seed(seeds, m =>
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
  };
}
