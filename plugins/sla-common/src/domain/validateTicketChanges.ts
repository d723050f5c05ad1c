import { batchItems, normalizeItemRef } from './batchInput';
import type { FieldError } from './validateAgreement';
import { parseInstant } from './parseInput';
import { TICKET_STATES, TicketState } from '../ticketTypes';

/** The most state changes one POST /tickets (or one sink call) may carry. @public */
export const MAX_TICKET_CHANGES_PER_BATCH = 10_000;

/** A validated ticket state change, `at` in epoch milliseconds. @public */
export type ParsedTicketChange = {
  source: string;
  ticketId: string;
  /** Normalized: `kind:namespace/name`, lower case. */
  entityRef: string;
  at: number;
  state: TicketState;
  priority?: string;
  title?: string;
  url?: string;
};

const SOURCE = /^[a-z0-9][a-z0-9._-]{0,49}$/;
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function text(
  errors: FieldError[],
  field: string,
  value: unknown,
  max: number,
  required: boolean,
): string | undefined {
  if (value === undefined || value === null) {
    if (required) errors.push({ field, message: 'is required' });
    return undefined;
  }
  if (typeof value !== 'string' || value.trim() === '') {
    errors.push({ field, message: 'must be a non-empty text' });
    return undefined;
  }
  if (value.length > max) {
    errors.push({ field, message: `must be at most ${max} characters` });
    return undefined;
  }
  return value;
}

/**
 * Checks a batch of ticket state changes (POST /tickets, ticket feeds).
 * Either every item is valid and parsed, or the errors name each bad item's
 * index and field (`items[3].state`).
 * @public
 */
export function validateTicketChanges(items: unknown): {
  errors: FieldError[];
  parsed: ParsedTicketChange[];
} {
  const errors: FieldError[] = [];
  const parsed: ParsedTicketChange[] = [];
  const batch = batchItems(items, MAX_TICKET_CHANGES_PER_BATCH);
  if ('error' in batch) return { errors: [batch.error], parsed };
  batch.items.forEach((item: unknown, index) => {
    const f = `items[${index}]`;
    if (!isObject(item)) {
      errors.push({ field: f, message: 'must be an object' });
      return;
    }
    const before = errors.length;
    const source = text(errors, `${f}.source`, item.source, 50, true);
    if (source !== undefined && !SOURCE.test(source)) {
      errors.push({
        field: `${f}.source`,
        message:
          'must be lower case letters, digits, ".", "_" or "-" (at most 50), e.g. pagerduty',
      });
    }
    const ticketId = text(errors, `${f}.ticketId`, item.ticketId, 200, true);
    const entityRef = normalizeItemRef(item.entityRef);
    if (!entityRef) {
      errors.push({
        field: `${f}.entityRef`,
        message: 'must be an entity ref, e.g. component:default/payments',
      });
    }
    const at = typeof item.at === 'string' ? parseInstant(item.at) : undefined;
    if (at === undefined) {
      errors.push({
        field: `${f}.at`,
        message: 'must be an ISO 8601 instant with offset',
      });
    }
    const state = item.state as TicketState;
    if (!TICKET_STATES.includes(state)) {
      errors.push({
        field: `${f}.state`,
        message: `must be one of ${TICKET_STATES.join(', ')}`,
      });
    }
    const priority = text(errors, `${f}.priority`, item.priority, 20, false);
    const title = text(errors, `${f}.title`, item.title, 500, false);
    const url = text(errors, `${f}.url`, item.url, 2000, false);
    if (url !== undefined && !/^https?:\/\//i.test(url)) {
      errors.push({ field: `${f}.url`, message: 'must be an http(s) URL' });
    }
    if (errors.length > before) return;
    parsed.push({
      source: source!,
      ticketId: ticketId!,
      entityRef: entityRef!,
      at: at!,
      state,
      ...(priority !== undefined ? { priority } : {}),
      ...(title !== undefined ? { title } : {}),
      ...(url !== undefined ? { url } : {}),
    });
  });
  return { errors, parsed: errors.length ? [] : parsed };
}
