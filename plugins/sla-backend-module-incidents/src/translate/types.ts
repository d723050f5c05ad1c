import type { TicketStateChangeInput } from '@opensla/backstage-plugin-sla-common';

/** A ticket state change before its catalog entity is known. */
export type UnresolvedTicketChange = Omit<TicketStateChangeInput, 'entityRef'>;

/**
 * What a translator made of one webhook payload: a state change (still
 * without its entity), an event that does not move a ticket (ignored on
 * purpose), or a payload that is not what the tool sends (invalid).
 */
export type Translation<TSubject> =
  | { kind: 'change'; change: UnresolvedTicketChange; subject: TSubject }
  | { kind: 'ignored'; reason: string }
  | { kind: 'invalid'; reason: string };

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== ''
    ? value.trim()
    : undefined;
}
