import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { TicketStateChangeInput } from '@opensla/backstage-plugin-sla-common';

/**
 * Where a ticket feed hands the state changes it receives. Recording is
 * idempotent (see {@link @opensla/backstage-plugin-sla-common#TicketStateChangeInput}),
 * so a feed may redeliver. Rejects with an InputError for changes that do not
 * validate (nothing of that call is stored).
 * @public
 */
export interface SlaTicketSink {
  record(changes: TicketStateChangeInput[]): Promise<void>;
}

/**
 * Feeds ticket state changes into the SLA plugin, e.g. from PagerDuty or
 * Opsgenie webhooks received through Backstage's events system. The SLA plugin
 * calls `start` once on start-up with its sink.
 * @public
 */
export interface SlaTicketFeed {
  /** Unique id, e.g. `pagerduty`. */
  readonly id: string;
  start(sink: SlaTicketSink): void | Promise<void>;
}

/** @public */
export interface SlaTicketFeedsExtensionPoint {
  addTicketFeed(feed: SlaTicketFeed): void;
}

/**
 * Lets a module feed tickets (incidents and requests) into the SLA plugin.
 * @public
 */
export const slaTicketFeedsExtensionPoint =
  createExtensionPoint<SlaTicketFeedsExtensionPoint>({
    id: 'sla.ticket-feeds',
  });
