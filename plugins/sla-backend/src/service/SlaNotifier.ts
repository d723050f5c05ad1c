import { LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type {
  Agreement,
  TargetAttainment,
  TargetStatus,
} from '@opensla/backstage-plugin-sla-common';
import { formatPercent } from '@opensla/backstage-plugin-sla-common';
import { parseEntityRef } from '@backstage/catalog-model';

function entityPage(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${namespace}/${kind.toLocaleLowerCase(
    'en-US',
  )}/${name}/service-levels`;
}

/** What changed about a target, worth telling its owners. */
export type TargetChange =
  | { type: 'status'; from: TargetStatus | undefined; to: TargetStatus }
  | { type: 'budget'; level: 50 | 75 | 100 };

/** News about an agreement's validity, worth telling its owners. */
export type ExpiryEvent =
  | { type: 'notice'; days: number; daysLeft: number }
  | { type: 'expired' };

/** News of a negotiation, for the other party. */
export type NegotiationEvent =
  | {
      type: 'signature-awaited';
      awaited: string;
      by?: string;
      signedFor?: string;
      /** The held review whose decision opened the round. */
      review?: { id: string; decision: string };
    }
  | { type: 'changes-requested'; by: string; text: string }
  | { type: 'commented'; by: string; party: string; text: string }
  | { type: 'agreed'; by: string };

/** A comment quoted in a notification: its first 200 characters. */
function quoted(text: string): string {
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

/**
 * Tells an entity's owners about breaches, risks, recoveries and budget
 * warnings through Backstage notifications (recipients: the entity, which
 * the notifications backend resolves to its owners). Without the
 * notifications plugin installed, sending fails and is only logged.
 */
export class SlaNotifier {
  constructor(
    private readonly options: {
      notifications?: NotificationService;
      logger: LoggerService;
    },
  ) {}

  async notify(
    agreement: Agreement,
    attainment: TargetAttainment,
    change: TargetChange,
  ): Promise<void> {
    const { notifications, logger } = this.options;
    if (!notifications) return;
    const target = attainment.name ?? attainment.targetId;
    const figures =
      attainment.attainment === null
        ? ''
        : ` (${formatPercent(
            Math.floor(attainment.attainment * 100) / 100,
          )} % against ${formatPercent(attainment.objective)} %)`;
    let title: string;
    let severity: 'critical' | 'high' | 'normal' | 'low';
    if (change.type === 'budget') {
      title = `${change.level} % of the error budget of "${target}" is consumed`;
      severity = change.level === 100 ? 'high' : 'normal';
    } else if (change.to === 'breached') {
      title = `"${target}" is breached${figures}`;
      severity = 'critical';
    } else if (change.to === 'at-risk') {
      title = `"${target}" is at risk${figures}`;
      severity = 'high';
    } else {
      title = `"${target}" has recovered${figures}`;
      severity = 'low';
    }
    try {
      await notifications.send({
        recipients: { type: 'entity', entityRef: agreement.entityRef },
        payload: {
          title: `${agreement.title}: ${title}`,
          description: `${agreement.kind} on ${agreement.entityRef}, target ${attainment.targetId}.`,
          severity,
          link: entityPage(agreement.entityRef),
          topic: `sla:${agreement.id}:${attainment.targetId}`,
          scope: `sla:${agreement.id}:${attainment.targetId}:${change.type}`,
        },
      });
    } catch (error) {
      logger.warn(
        `Could not notify the owners of ${
          agreement.entityRef
        } (is the notifications plugin installed?): ${
          (error as Error).message
        }`,
      );
    }
  }

  /**
   * Advance notice of an agreement's end, or the news that it expired. One
   * notification per validity period (its scope): a nearer notice, then the
   * expiry, update it and mark it unread again instead of piling up.
   */
  async notifyExpiry(agreement: Agreement, event: ExpiryEvent): Promise<void> {
    const { notifications, logger } = this.options;
    if (!notifications || !agreement.validUntil) return;
    const end = agreement.validUntil.slice(0, 10);
    const title =
      event.type === 'expired'
        ? `${agreement.title} expired on ${end}`
        : `${agreement.title} expires in ${event.daysLeft} day${
            event.daysLeft === 1 ? '' : 's'
          } (${end})`;
    const description =
      event.type === 'expired'
        ? `${agreement.kind} on ${agreement.entityRef}: its validity ended (validUntil ${agreement.validUntil}); its targets are no longer in force. Renegotiate it to agree new terms.`
        : `${agreement.kind} on ${agreement.entityRef} is valid until ${agreement.validUntil}. Review and prolong it before then, or it expires and its targets are no longer in force.`;
    try {
      await notifications.send({
        recipients: { type: 'entity', entityRef: agreement.entityRef },
        payload: {
          title,
          description,
          severity:
            event.type === 'expired' || event.days <= 7 ? 'high' : 'normal',
          link: entityPage(agreement.entityRef),
          topic: `sla:${agreement.id}:expiry`,
          scope: `sla:${agreement.id}:expiry:${agreement.validUntil}`,
        },
      });
    } catch (error) {
      logger.warn(
        `Could not notify the owners of ${
          agreement.entityRef
        } (is the notifications plugin installed?): ${
          (error as Error).message
        }`,
      );
    }
  }

  /**
   * A ticket used 50, 75 or 100 % of a ticket target's allowed time. One
   * notification per ticket, target and level (the caller claims it).
   */
  async notifyTicket(
    agreement: Agreement,
    ticket: { source: string; ticketId: string; title?: string; url?: string },
    clock: { targetId: string; targetName: string; measure: string },
    level: number,
  ): Promise<void> {
    const { notifications, logger } = this.options;
    if (!notifications) return;
    const name = ticket.title
      ? `${ticket.ticketId} "${ticket.title}"`
      : ticket.ticketId;
    const what = clock.measure === 'response' ? 'response' : 'resolution';
    const title =
      level >= 100
        ? `Ticket ${name} missed its ${what} target "${clock.targetName}"`
        : `Ticket ${name} used ${level} % of its ${what} time ("${clock.targetName}")`;
    let severity: 'critical' | 'high' | 'normal' = 'normal';
    if (level >= 100) severity = 'critical';
    else if (level >= 75) severity = 'high';
    try {
      await notifications.send({
        recipients: { type: 'entity', entityRef: agreement.entityRef },
        payload: {
          title,
          description: `${agreement.title} (${agreement.kind} on ${agreement.entityRef}), ticket ${ticket.source}/${ticket.ticketId}.`,
          severity,
          link: ticket.url ?? entityPage(agreement.entityRef),
          topic: `sla:${agreement.id}:${clock.targetId}:ticket`,
          scope: `sla:ticket:${ticket.source}:${ticket.ticketId}:${agreement.id}:${clock.targetId}`,
        },
      });
    } catch (error) {
      logger.warn(
        `Could not notify the owners of ${agreement.entityRef} about ticket ${
          ticket.ticketId
        }: ${(error as Error).message}`,
      );
    }
  }

  /**
   * Tells a party of an agreement about its negotiation: its signature is
   * awaited, the other party requested changes, or the agreement is agreed
   * by both, or the other party commented. `recipients` are the party's
   * entity refs (a group is resolved to its members by the notifications
   * backend). One notification per agreement and event kind (its scope),
   * updated rather than piled up (the newest comment replaces the previous
   * one's notification and marks it unread again).
   */
  async notifyNegotiation(
    agreement: Agreement,
    recipients: string[],
    event: NegotiationEvent,
  ): Promise<void> {
    const { notifications, logger } = this.options;
    if (!notifications || !recipients.length) return;
    let title: string;
    let description: string;
    if (event.type === 'signature-awaited' && event.review) {
      title = `${agreement.title}: your signature is awaited`;
      description = `A service review held by ${event.by} decided to ${
        event.review.decision === 'amend' ? 'amend' : 'prolong'
      } ${agreement.kind} on ${agreement.entityRef}${
        agreement.validUntil ? ` (valid until ${agreement.validUntil})` : ''
      }; both parties sign the new round, the ${event.awaited}'s signature is awaited.`;
    } else if (event.type === 'signature-awaited') {
      title = `${agreement.title}: your signature is awaited`;
      description = event.by
        ? `${event.by} signed ${agreement.kind} on ${agreement.entityRef} for the ${event.signedFor}; the ${event.awaited}'s signature agrees it.`
        : `${agreement.kind} on ${agreement.entityRef} is proposed; the ${event.awaited}'s signature is awaited. Sign it, comment or request changes.`;
    } else if (event.type === 'changes-requested') {
      title = `${agreement.title}: changes requested`;
      description = `${event.by} requested changes to ${agreement.kind} on ${agreement.entityRef}: ${event.text}`;
    } else if (event.type === 'commented') {
      title = `${agreement.title}: new comment from the ${event.party}`;
      description = `${event.by} commented on ${agreement.kind} on ${
        agreement.entityRef
      }: ${quoted(event.text)}`;
    } else {
      title = `${agreement.title} is agreed`;
      description = `${agreement.kind} on ${agreement.entityRef} is signed by both parties (last by ${event.by}) and in force.`;
    }
    try {
      await notifications.send({
        recipients: { type: 'entity', entityRef: recipients },
        payload: {
          title,
          description,
          severity: 'normal',
          link: entityPage(agreement.entityRef),
          topic: `sla:${agreement.id}:negotiation`,
          scope: `sla:${agreement.id}:negotiation:${event.type}`,
        },
      });
    } catch (error) {
      logger.warn(
        `Could not notify ${recipients.join(', ')} about ${
          agreement.id
        } (is the notifications plugin installed?): ${(error as Error).message}`,
      );
    }
  }
}
