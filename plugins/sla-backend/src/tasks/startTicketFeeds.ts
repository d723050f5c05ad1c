import { LoggerService } from '@backstage/backend-plugin-api';
import {
  SlaTicketFeed,
  SlaTicketSink,
} from '@opensla/backstage-plugin-sla-node';
import { SlaServices } from '../service/createServices';

/**
 * Starts every ticket feed added through slaTicketFeedsExtensionPoint, once,
 * with a sink backed by TicketService: the same validation as POST /tickets
 * (an InputError naming the field, nothing of that call stored), the
 * plugin's own service credentials, idempotent recording. A feed that fails
 * to start is logged and the others still start.
 * @internal
 */
export async function startTicketFeeds(options: {
  feeds: SlaTicketFeed[];
  services: Pick<SlaServices, 'tickets'>;
  logger: LoggerService;
}) {
  const { feeds, services, logger } = options;
  for (const feed of feeds) {
    const sink: SlaTicketSink = {
      async record(changes) {
        await services.tickets.recordFromFeed(changes);
      },
    };
    try {
      await feed.start(sink);
      logger.info(`Ticket feed ${feed.id} started`);
    } catch (error) {
      logger.error(`Ticket feed ${feed.id} failed to start: ${error}`);
    }
  }
}
