import type { TicketState } from '@opensla/backstage-plugin-sla-common';
import { epochInstant } from './time';
import { Translation, isRecord, nonEmptyString } from './types';

/**
 * What an Opsgenie change is about: the alert fields a catalog entity's
 * `opsgenie.com/component-selector` or `opsgenie.com/team` is matched with.
 */
export interface OpsgenieSubject {
  tags: string[];
  /** Only in the payload when the webhook integration adds alert details. */
  details: Record<string, string>;
  /** Team names and ids from `alert.teams` and team `alert.responders`. */
  teams: string[];
  entity?: string;
  source?: string;
  alias?: string;
  message?: string;
  integrationName?: string;
}

/** `source` of tickets fed from Opsgenie. */
export const OPSGENIE_SOURCE = 'opsgenie';

/**
 * Opsgenie webhook actions that move a ticket, and the state they move it
 * to. Every other action (AddNote, AddTags, RemoveTags, AddTeam,
 * AddResponder, AddRecipient, AssignOwnership, TakeOwnership, Escalate,
 * EscalateNext, Snooze, UpdatePriority, UpdateMessage, UpdateDescription,
 * custom actions) is ignored; a priority change reaches the ticket with the
 * alert's next state change, which carries the alert's current priority.
 */
export const OPSGENIE_ACTION_STATES: Record<string, TicketState> = {
  create: 'new',
  acknowledge: 'in-progress',
  unacknowledge: 'new',
  close: 'closed',
  delete: 'closed',
};

export interface OpsgenieTranslateOptions {
  /**
   * Base URL of the Opsgenie web app, e.g. `https://acme.app.opsgenie.com`;
   * with it a ticket links to `<base>/alert/detail/<alertId>/details`.
   */
  alertUrlBase?: string;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value)
    ? value.map(nonEmptyString).filter((v): v is string => Boolean(v))
    : [];
}

function priorityOf(value: unknown): string | undefined {
  if (
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value >= 1 &&
    value <= 5
  ) {
    return `P${value}`;
  }
  const s = nonEmptyString(value)?.toUpperCase();
  return s && /^P[1-5]$/.test(s) ? s : undefined;
}

function teamsOf(alert: Record<string, unknown>): string[] {
  const teams = stringList(alert.teams);
  if (Array.isArray(alert.responders)) {
    for (const responder of alert.responders) {
      if (isRecord(responder) && responder.type === 'team') {
        for (const key of ['name', 'id']) {
          const v = nonEmptyString(responder[key]);
          if (v) teams.push(v);
        }
      }
    }
  }
  return [...new Set(teams)];
}

/**
 * Translates one Opsgenie webhook payload (`{ action, alert, source,
 * integrationName, ... }`) into a ticket state change. Pure: no I/O, no
 * clock. `Create` happens at `alert.createdAt` (milliseconds); every other
 * action at `alert.updatedAt` (nanoseconds).
 */
export function translateOpsgenieWebhook(
  payload: unknown,
  options: OpsgenieTranslateOptions = {},
): Translation<OpsgenieSubject> {
  if (!isRecord(payload)) {
    return { kind: 'invalid', reason: 'payload is not an object' };
  }
  const action = nonEmptyString(payload.action);
  if (!action) {
    return { kind: 'invalid', reason: 'action is missing' };
  }
  const state = OPSGENIE_ACTION_STATES[action.toLowerCase()];
  if (!state) {
    return {
      kind: 'ignored',
      reason: `action ${action} does not move a ticket`,
    };
  }
  const alert = payload.alert;
  if (!isRecord(alert)) {
    return { kind: 'invalid', reason: `${action}: alert is missing` };
  }
  const ticketId = nonEmptyString(alert.alertId);
  if (!ticketId) {
    return { kind: 'invalid', reason: `${action}: alert.alertId is missing` };
  }
  const isCreate = state === 'new' && action.toLowerCase() === 'create';
  const at = isCreate
    ? epochInstant(alert.createdAt) ?? epochInstant(alert.updatedAt)
    : epochInstant(alert.updatedAt);
  if (!at) {
    return {
      kind: 'invalid',
      reason: `${action} ${ticketId}: alert.${
        isCreate ? 'createdAt' : 'updatedAt'
      } is not an epoch timestamp`,
    };
  }
  const details: Record<string, string> = {};
  if (isRecord(alert.details)) {
    for (const [k, v] of Object.entries(alert.details)) {
      if (
        typeof v === 'string' ||
        typeof v === 'number' ||
        typeof v === 'boolean'
      ) {
        details[k] = String(v);
      }
    }
  }
  const priority = priorityOf(alert.priority);
  const title = nonEmptyString(alert.message);
  const base = options.alertUrlBase?.replace(/\/+$/, '');
  const subject: OpsgenieSubject = {
    tags: stringList(alert.tags),
    details,
    teams: teamsOf(alert),
  };
  for (const key of ['entity', 'source', 'alias', 'message'] as const) {
    const v = nonEmptyString(alert[key]);
    if (v) subject[key] = v;
  }
  const integrationName = nonEmptyString(payload.integrationName);
  if (integrationName) subject.integrationName = integrationName;
  return {
    kind: 'change',
    subject,
    change: {
      source: OPSGENIE_SOURCE,
      ticketId,
      at,
      state,
      ...(priority ? { priority } : {}),
      ...(title ? { title } : {}),
      ...(base
        ? {
            url: `${base}/alert/detail/${encodeURIComponent(ticketId)}/details`,
          }
        : {}),
    },
  };
}
