import {
  ParsedTicketChange,
  TICKET_STATES,
  TicketState,
} from '@opensla/backstage-plugin-sla-common';
import type { Knex } from 'knex';
import { enqueueEvaluation } from './EvaluationQueueStore';

/** Rows per statement: well under SQLite's bound-variable limit. */
const CHUNK = 400;

const STOP_STATES: TicketState[] = ['resolved', 'closed'];

/** A ticket's key: unique per source. */
export type TicketKey = { source: string; ticketId: string };

/** A stored ticket (its row; the clock comes from its changes). */
export type StoredTicket = TicketKey & {
  entityRef: string;
  title?: string;
  url?: string;
  priority?: string;
  firstAt: number;
  lastAt: number;
  lastState: TicketState;
};

/** A stored state change. */
export type StoredTicketChange = {
  at: number;
  state: TicketState;
  priority?: string;
};

type TicketRow = {
  source: string;
  ticket_id: string;
  entity_ref: string;
  title: string | null;
  url: string | null;
  priority: string | null;
  first_at: string | number;
  last_at: string | number;
  last_state: TicketState;
};

const keyOf = (k: TicketKey) => `${k.source}\u0000${k.ticketId}`;
const rank = (state: TicketState) => TICKET_STATES.indexOf(state);

function toTicket(row: TicketRow): StoredTicket {
  return {
    source: row.source,
    ticketId: row.ticket_id,
    entityRef: row.entity_ref,
    ...(row.title !== null ? { title: row.title } : {}),
    ...(row.url !== null ? { url: row.url } : {}),
    ...(row.priority !== null ? { priority: row.priority } : {}),
    firstAt: Number(row.first_at),
    lastAt: Number(row.last_at),
    lastState: row.last_state,
  };
}

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) {
    out.push(items.slice(i, i + CHUNK));
  }
  return out;
}

/**
 * Tickets and their state changes (knex only here). Every write is an
 * insert that skips what is stored or an update that only moves a value
 * forward, so re-sent changes, any arrival order and two replicas writing
 * at once all end in the same rows.
 */
export class TicketStore {
  constructor(private readonly db: Knex) {}

  /** Stores changes (all or nothing); counts the ones that were new. */
  async record(
    changes: ParsedTicketChange[],
  ): Promise<{ accepted: number; duplicates: number }> {
    // One order for every writer, so that concurrent transactions take
    // their row locks in the same order (no deadlocks).
    const sorted = [...changes].sort(
      (a, b) =>
        a.source.localeCompare(b.source) ||
        a.ticketId.localeCompare(b.ticketId) ||
        a.at - b.at ||
        rank(a.state) - rank(b.state),
    );
    const byTicket = new Map<string, ParsedTicketChange[]>();
    for (const c of sorted) {
      const key = keyOf(c);
      byTicket.set(key, [...(byTicket.get(key) ?? []), c]);
    }
    let accepted = 0;
    await this.db.transaction(async tx => {
      // Tickets first (insert what is missing), then their changes.
      const tickets = [...byTicket.values()].map(list => {
        const first = list[0];
        const last = list[list.length - 1];
        const withPriority = list.filter(c => c.priority !== undefined);
        const p = withPriority[withPriority.length - 1];
        const described = [...list].reverse();
        return {
          source: first.source,
          ticket_id: first.ticketId,
          entity_ref: last.entityRef,
          title: described.find(c => c.title)?.title ?? null,
          url: described.find(c => c.url)?.url ?? null,
          priority: p?.priority ?? null,
          priority_at: p?.at ?? null,
          first_at: first.at,
          last_at: last.at,
          last_rank: rank(last.state),
          last_state: last.state,
        };
      });
      for (const part of chunks(tickets)) {
        await tx('sla_tickets')
          .insert(part)
          .onConflict(['source', 'ticket_id'])
          .ignore();
      }
      for (const part of chunks(sorted)) {
        const inserted = await tx('sla_ticket_changes')
          .insert(
            part.map(c => ({
              source: c.source,
              ticket_id: c.ticketId,
              at: c.at,
              state: c.state,
              priority: c.priority ?? null,
            })),
          )
          .onConflict(['source', 'ticket_id', 'at', 'state'])
          .ignore()
          .returning('at');
        accepted += inserted.length;
      }
      // Move each ticket's summary forward in one statement per ticket:
      // only ever to a later change (SET expressions see the row as it
      // was), so the result does not depend on which writer comes last.
      for (const t of tickets) {
        const later = [
          '(last_at < ? OR (last_at = ? AND last_rank < ?))',
          [t.last_at, t.last_at, t.last_rank],
        ] as const;
        const ifLater = (column: string, value: string | number) =>
          tx.raw(`CASE WHEN ${later[0]} THEN ? ELSE ${column} END`, [
            ...later[1],
            value,
          ]);
        const newerPriority = (column: string, value: string | number) =>
          tx.raw(
            `CASE WHEN priority_at IS NULL OR priority_at <= ? THEN ? ELSE ${column} END`,
            [t.priority_at!, value],
          );
        await tx('sla_tickets')
          .where({ source: t.source, ticket_id: t.ticket_id })
          .update({
            last_at: ifLater('last_at', t.last_at),
            last_rank: ifLater('last_rank', t.last_rank),
            last_state: ifLater('last_state', t.last_state),
            entity_ref: ifLater('entity_ref', t.entity_ref),
            first_at: tx.raw(
              'CASE WHEN first_at > ? THEN ? ELSE first_at END',
              [t.first_at, t.first_at],
            ),
            ...(t.priority_at !== null
              ? {
                  priority: newerPriority('priority', t.priority!),
                  priority_at: newerPriority('priority_at', t.priority_at),
                }
              : {}),
            ...(t.title !== null ? { title: t.title } : {}),
            ...(t.url !== null ? { url: t.url } : {}),
          });
      }
      // Durable with the changes: the entities whose ticket targets the
      // evaluation worker must look at again (as ingest does).
      if (accepted > 0) {
        await enqueueEvaluation(
          tx,
          sorted.map(c => c.entityRef),
          Math.min(...sorted.map(c => c.at)),
        );
      }
    });
    return { accepted, duplicates: changes.length - accepted };
  }

  /**
   * One page of an entity's tickets opened by `at`, oldest first (by
   * first change, then source and id). With `openAt`, only tickets that may
   * be open at that instant: not stopped by their latest change, or changed
   * after it (the caller decides from the changes).
   */
  async listTickets(options: {
    entityRef: string;
    at: number;
    openAt?: boolean;
    after?: [number, string, string];
    limit: number;
  }): Promise<StoredTicket[]> {
    const query = this.db<TicketRow>('sla_tickets')
      .where('entity_ref', options.entityRef.toLocaleLowerCase('en-US'))
      .where('first_at', '<=', options.at);
    if (options.openAt) {
      query.where(q =>
        q
          .whereNotIn('last_state', STOP_STATES)
          .orWhere('last_at', '>', options.at),
      );
    }
    if (options.after) {
      const [firstAt, source, ticketId] = options.after;
      query.where(q =>
        q
          .where('first_at', '>', firstAt)
          .orWhere(q2 =>
            q2
              .where('first_at', '=', firstAt)
              .where(q3 =>
                q3
                  .where('source', '>', source)
                  .orWhere(q4 =>
                    q4
                      .where('source', '=', source)
                      .where('ticket_id', '>', ticketId),
                  ),
              ),
          ),
      );
    }
    const rows = await query
      .orderBy([
        { column: 'first_at' },
        { column: 'source' },
        { column: 'ticket_id' },
      ])
      .limit(options.limit);
    return rows.map(toTicket);
  }

  /**
   * The tickets of entities that can count in [since, at]: opened by `at`
   * and either not stopped by their latest change or changed since `since`.
   */
  async ticketsForAttainment(
    entityRefs: string[],
    since: number,
    at: number,
  ): Promise<StoredTicket[]> {
    const refs = [
      ...new Set(entityRefs.map(r => r.toLocaleLowerCase('en-US'))),
    ];
    const out: StoredTicket[] = [];
    for (const part of chunks(refs)) {
      const rows = await this.db<TicketRow>('sla_tickets')
        .whereIn('entity_ref', part)
        .where('first_at', '<=', at)
        .where(q =>
          q
            .whereNotIn('last_state', STOP_STATES)
            .orWhere('last_at', '>=', since),
        );
      out.push(...rows.map(toTicket));
    }
    return out;
  }

  /** Open tickets (by their latest change) of every entity, a page at a time. */
  async openTickets(options: {
    after?: TicketKey;
    limit: number;
  }): Promise<StoredTicket[]> {
    const query = this.db<TicketRow>('sla_tickets').whereNotIn(
      'last_state',
      STOP_STATES,
    );
    if (options.after) {
      const { source, ticketId } = options.after;
      query.where(q =>
        q
          .where('source', '>', source)
          .orWhere(q2 =>
            q2.where('source', '=', source).where('ticket_id', '>', ticketId),
          ),
      );
    }
    const rows = await query
      .orderBy([{ column: 'source' }, { column: 'ticket_id' }])
      .limit(options.limit);
    return rows.map(toTicket);
  }

  /** The changes of tickets, each list sorted by instant. */
  async changesOf(
    keys: TicketKey[],
  ): Promise<Map<string, StoredTicketChange[]>> {
    const result = new Map<string, StoredTicketChange[]>();
    for (const part of chunks(keys)) {
      const rows = await this.db('sla_ticket_changes')
        .whereIn(
          ['source', 'ticket_id'],
          part.map(k => [k.source, k.ticketId]),
        )
        .orderBy([{ column: 'at' }]);
      for (const row of rows) {
        const key = keyOf({ source: row.source, ticketId: row.ticket_id });
        const list = result.get(key) ?? [];
        list.push({
          at: Number(row.at),
          state: row.state,
          ...(row.priority !== null ? { priority: row.priority } : {}),
        });
        result.set(key, list);
      }
    }
    return result;
  }

  /**
   * Claims a notification level of a ticket and target. True for exactly
   * one caller, whichever replica asks first; later claims answer false.
   */
  async claimNotice(
    key: TicketKey & { agreementId: string; targetId: string; level: number },
    sentAt: string,
  ): Promise<boolean> {
    const inserted = await this.db('sla_ticket_notices')
      .insert({
        source: key.source,
        ticket_id: key.ticketId,
        agreement_id: key.agreementId,
        target_id: key.targetId,
        level: key.level,
        sent_at: sentAt,
      })
      .onConflict(['source', 'ticket_id', 'agreement_id', 'target_id', 'level'])
      .ignore()
      .returning('level');
    return inserted.length > 0;
  }
}

/** The map key of a ticket in changesOf's answer. */
export const ticketKey = keyOf;
