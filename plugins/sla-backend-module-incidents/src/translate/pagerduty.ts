import type { TicketState } from '@opensla/backstage-plugin-sla-common';
import { isoInstant } from './time';
import { Translation, isRecord, nonEmptyString } from './types';

/** What a PagerDuty change is about: the PagerDuty service of the incident. */
export interface PagerDutySubject {
  serviceId: string;
}

/** `source` of tickets fed from PagerDuty. */
export const PAGERDUTY_SOURCE = 'pagerduty';

/**
 * PagerDuty v3 incident event types that move a ticket, and the state they
 * move it to. `status` means: the incident's `status` in the payload
 * (`triggered` → `new`, `acknowledged` → `in-progress`, `resolved` →
 * `resolved`).
 */
export const PAGERDUTY_EVENT_STATES: Record<string, TicketState | 'status'> = {
  'incident.triggered': 'new',
  'incident.acknowledged': 'in-progress',
  'incident.unacknowledged': 'new',
  'incident.resolved': 'resolved',
  'incident.reopened': 'status',
  'incident.priority_updated': 'status',
};

const STATUS_STATES: Record<string, TicketState> = {
  triggered: 'new',
  acknowledged: 'in-progress',
  resolved: 'resolved',
};

/**
 * Translates one PagerDuty v3 webhook payload (`{ event: { event_type,
 * occurred_at, data } }`) into a ticket state change. Pure: no I/O, no clock.
 * Event types outside {@link PAGERDUTY_EVENT_STATES} (notes, responders,
 * status updates, reassignments, escalations, delegations, services, ...)
 * are ignored: they change neither the incident's state nor its priority.
 */
export function translatePagerDutyWebhook(
  payload: unknown,
): Translation<PagerDutySubject> {
  if (!isRecord(payload) || !isRecord(payload.event)) {
    return { kind: 'invalid', reason: 'payload has no event object' };
  }
  const event = payload.event;
  const eventType = nonEmptyString(event.event_type);
  if (!eventType) {
    return { kind: 'invalid', reason: 'event.event_type is missing' };
  }
  const mapped = PAGERDUTY_EVENT_STATES[eventType];
  if (!mapped) {
    return {
      kind: 'ignored',
      reason: `event type ${eventType} does not move a ticket`,
    };
  }
  const data = event.data;
  if (!isRecord(data)) {
    return { kind: 'invalid', reason: `${eventType}: event.data is missing` };
  }
  if (data.type !== undefined && data.type !== 'incident') {
    return {
      kind: 'invalid',
      reason: `${eventType}: event.data.type is ${String(
        data.type,
      )}, not incident`,
    };
  }
  const ticketId = nonEmptyString(data.id);
  if (!ticketId) {
    return {
      kind: 'invalid',
      reason: `${eventType}: event.data.id is missing`,
    };
  }
  const serviceId = isRecord(data.service)
    ? nonEmptyString(data.service.id)
    : undefined;
  if (!serviceId) {
    return {
      kind: 'invalid',
      reason: `${eventType} ${ticketId}: event.data.service.id is missing`,
    };
  }
  const at = isoInstant(event.occurred_at);
  if (!at) {
    return {
      kind: 'invalid',
      reason: `${eventType} ${ticketId}: event.occurred_at is not an ISO 8601 instant with an offset`,
    };
  }
  let state: TicketState | undefined;
  if (mapped === 'status') {
    const status = nonEmptyString(data.status);
    state = status ? STATUS_STATES[status] : undefined;
    if (!state) {
      return {
        kind: 'invalid',
        reason: `${eventType} ${ticketId}: event.data.status ${String(
          data.status,
        )} is not triggered, acknowledged or resolved`,
      };
    }
  } else {
    state = mapped;
  }
  const priority = isRecord(data.priority)
    ? nonEmptyString(data.priority.summary)
    : undefined;
  const title = nonEmptyString(data.title);
  const url = nonEmptyString(data.html_url);
  return {
    kind: 'change',
    subject: { serviceId },
    change: {
      source: PAGERDUTY_SOURCE,
      ticketId,
      at,
      state,
      ...(priority ? { priority } : {}),
      ...(title ? { title } : {}),
      ...(url && /^https?:\/\//.test(url) ? { url } : {}),
    },
  };
}
