import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  SlaTicketSink,
  slaTicketFeedsExtensionPoint,
} from '@opensla/backstage-plugin-sla-node';

type TicketStateChangeInput = Parameters<SlaTicketSink['record']>[0][number];

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/**
 * The demo's ticket feed: one open P1 ticket on the identity service,
 * answered after 5 minutes and waiting on the customer since, so the
 * Service levels tab shows its resolution clock paused. Fed through the
 * ticket-feeds extension point like the PagerDuty/Opsgenie module. The
 * instants are anchored to the start of the current UTC day and the id
 * carries the date, so a restart on the same day re-sends the same changes
 * (duplicates) instead of changing the ticket. Demo backend only, active
 * with the demo data (`sla.demo.agreementsFile`).
 */
export const slaDemoTicketsModule = createBackendModule({
  pluginId: 'sla',
  moduleId: 'demo-tickets',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        feeds: slaTicketFeedsExtensionPoint,
      },
      async init({ config, logger, feeds }) {
        if (!config.getOptionalString('sla.demo.agreementsFile')) return;
        feeds.addTicketFeed({
          id: 'demo',
          async start(sink) {
            const day = Math.floor(Date.now() / DAY_MS) * DAY_MS;
            const opened = day - 90 * MINUTE_MS;
            const ticketId = `DEMO-${new Date(day).toISOString().slice(0, 10)}`;
            const change = (
              minutes: number,
              state: TicketStateChangeInput['state'],
            ): TicketStateChangeInput => ({
              source: 'demo',
              ticketId,
              entityRef: 'component:default/identity',
              at: new Date(opened + minutes * MINUTE_MS).toISOString(),
              state,
              priority: 'P1',
              title: 'Store kiosks cannot sign customers in',
            });
            // The catalog ingests the demo entities after start-up: try
            // again every 15 s until identity is there (recording is
            // idempotent), without holding up the start.
            const record = async (attempt: number) => {
              try {
                await sink.record([
                  change(0, 'new'),
                  change(5, 'in-progress'),
                  change(35, 'waiting-on-customer'),
                ]);
                logger.info(`Demo ticket ${ticketId} recorded`);
              } catch (error) {
                if (attempt >= 40) {
                  logger.warn(`Demo tickets were not recorded: ${error}`);
                  return;
                }
                setTimeout(() => record(attempt + 1), 15_000).unref();
              }
            };
            void record(1);
          },
        });
      },
    });
  },
});
