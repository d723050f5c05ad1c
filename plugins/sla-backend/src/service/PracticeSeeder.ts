import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import type { SlaPracticeSeedProvider } from '@opensla/backstage-plugin-sla-node';
import { ReportService } from './ReportService';
import { ReviewService } from './ReviewService';

/**
 * Stores the practice history that modules provide (held reviews and
 * published reports, slaPracticeSeedExtensionPoint). Run by a scheduled
 * task rather than at start: a seed's frozen figures must come from the
 * data of its period, which metric sources backfill after the start, so a
 * seed whose period has no data yet waits for the next run. Idempotent
 * across runs and replicas (stored once by id, or per entity and month).
 * @internal
 */
export class PracticeSeeder {
  private done = false;

  constructor(
    private readonly options: {
      providers: SlaPracticeSeedProvider[];
      reviews: ReviewService;
      reports: ReportService;
      auth: AuthService;
      logger: LoggerService;
    },
  ) {}

  /** One round; true when nothing waits any more (later rounds do nothing). */
  async run(): Promise<boolean> {
    if (this.done) return true;
    const { logger } = this.options;
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const warn = (message: string) => logger.warn(message);
    let waiting = 0;
    for (const provider of this.options.providers) {
      try {
        const reviews = await this.options.reviews.seed(
          provider.name,
          await provider.getReviews(),
          credentials,
          warn,
        );
        const reports = await this.options.reports.seedPublications(
          provider.name,
          (await provider.getPublishedReports?.()) ?? [],
          credentials,
          warn,
        );
        waiting += reviews.waiting + reports.waiting;
        if (
          reviews.stored ||
          reports.stored ||
          reviews.waiting ||
          reports.waiting
        ) {
          logger.info(
            `Practice seed from ${provider.name}: ${
              reviews.stored
            } reviews and ${reports.stored} published reports stored, ${
              reviews.waiting + reports.waiting
            } waiting for data`,
          );
        }
      } catch (error) {
        waiting++;
        logger.error(
          `Seeding reviews and reports from ${provider.name} failed`,
          error as Error,
        );
      }
    }
    this.done = waiting === 0;
    return this.done;
  }
}
