import type { LoggerService } from '@backstage/backend-plugin-api';
import type { EventParams, EventsService } from '@backstage/plugin-events-node';
import type { TicketStateChangeInput } from '@opensla/backstage-plugin-sla-common';
import type {
  SlaTicketFeed,
  SlaTicketSink,
} from '@opensla/backstage-plugin-sla-node';
import type { EntityResolution } from './catalog/types';
import type { Translation } from './translate/types';

export interface IncidentTicketFeedOptions<TSubject> {
  /** The feed's id, also the tool's name in log lines: `pagerduty`, `opsgenie`. */
  id: string;
  topic: string;
  events: EventsService;
  logger: LoggerService;
  translate(payload: unknown): Translation<TSubject>;
  resolveEntity(subject: TSubject): Promise<EntityResolution>;
  describeSubject(subject: TSubject): string;
}

function parsePayload(payload: unknown): unknown {
  if (typeof payload === 'string' || Buffer.isBuffer(payload)) {
    try {
      return JSON.parse(payload.toString());
    } catch {
      return undefined;
    }
  }
  return payload;
}

/**
 * One incident tool's webhooks, received through Backstage's events system
 * on one topic, turned into ticket state changes for the SLA plugin's sink.
 * A payload that cannot be used is logged and dropped; nothing is thrown
 * back to the events system (which would only log it too).
 */
export class IncidentTicketFeed<TSubject> implements SlaTicketFeed {
  readonly id: string;
  readonly #options: IncidentTicketFeedOptions<TSubject>;

  constructor(options: IncidentTicketFeedOptions<TSubject>) {
    this.id = options.id;
    this.#options = options;
  }

  async start(sink: SlaTicketSink): Promise<void> {
    const { events, topic, logger } = this.#options;
    await events.subscribe({
      id: `ticket-feed-${this.id}`,
      topics: [topic],
      onEvent: params => this.handle(sink, params),
    });
    logger.info(`Ticket feed ${this.id} listens to events on topic ${topic}`);
  }

  /** Handles one event; never rejects. */
  async handle(sink: SlaTicketSink, params: EventParams): Promise<void> {
    const { logger, translate, resolveEntity, describeSubject } = this.#options;
    let change: TicketStateChangeInput | undefined;
    try {
      const translation = translate(parsePayload(params.eventPayload));
      if (translation.kind === 'ignored') {
        logger.debug(`Ticket feed ${this.id}: ${translation.reason}`);
        return;
      }
      if (translation.kind === 'invalid') {
        logger.warn(
          `Ticket feed ${this.id} dropped a payload on topic ${params.topic}: ${translation.reason}`,
        );
        return;
      }
      const { change: unresolved, subject } = translation;
      const what = `${unresolved.ticketId} (${describeSubject(subject)})`;
      const resolution = await resolveEntity(subject);
      if (resolution.kind === 'none') {
        logger.info(
          `Ticket feed ${this.id} dropped ${what}: no catalog entity is annotated for it`,
        );
        return;
      }
      if (resolution.kind === 'ambiguous') {
        logger.warn(
          `Ticket feed ${
            this.id
          } dropped ${what}: it matches several entities (${resolution.entityRefs.join(
            ', ',
          )}); annotate only one`,
        );
        return;
      }
      change = { ...unresolved, entityRef: resolution.entityRef };
      await sink.record([change]);
    } catch (error) {
      const message =
        error instanceof Error
          ? `${error.name}: ${error.message}`
          : String(error);
      const level = (error as Error)?.name === 'InputError' ? 'warn' : 'error';
      logger[level](
        `Ticket feed ${this.id} could not record ${
          change
            ? `${change.ticketId} ${change.state} at ${change.at}`
            : 'an event'
        } from topic ${params.topic}: ${message}`,
      );
    }
  }
}
