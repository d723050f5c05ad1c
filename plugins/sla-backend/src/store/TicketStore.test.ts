import {
  ParsedTicketChange,
  TICKET_STATES,
} from '@opensla/backstage-plugin-sla-common';
import fc from 'fast-check';
import { databases } from '../__testUtils__/testBackend';
import { migrated } from '../__testUtils__/replica';
import { TicketStore } from './TicketStore';

jest.setTimeout(300_000);

const MINUTE = 60_000;

/** One ticket's changes: instants on a 10-minute grid (ties happen), any state. */
const changesOfOneTicket = fc
  .array(
    fc.record({
      minute: fc.integer({ min: 0, max: 5 }).map(m => m * 10),
      state: fc.constantFrom(...TICKET_STATES),
      priority: fc.option(fc.constantFrom('P1', 'P2', 'P3'), {
        nil: undefined,
      }),
      entity: fc.constantFrom('checkout', 'payments'),
    }),
    { minLength: 1, maxLength: 8 },
  )
  .map(items =>
    items.map(
      (i): ParsedTicketChange => ({
        source: 'api',
        ticketId: 'INC-1',
        entityRef: `component:default/${i.entity}`,
        at: 1_000 * MINUTE + i.minute * MINUTE,
        state: i.state,
        ...(i.priority ? { priority: i.priority } : {}),
      }),
    ),
  );

const rank = (c: ParsedTicketChange) => TICKET_STATES.indexOf(c.state);

/**
 * What product.md and docs/tickets-and-incidents.md say a ticket is, from
 * its distinct changes: opened at the first, in the state of the latest
 * (by instant, then by the order of states), on that change's entity, with
 * the priority of the latest change that carries one.
 */
function expectedTicket(changes: ParsedTicketChange[]) {
  const byOrder = [...changes].sort((a, b) => a.at - b.at || rank(a) - rank(b));
  const last = byOrder[byOrder.length - 1];
  const withPriority = changes.filter(c => c.priority);
  const latestPriority = Math.max(...withPriority.map(c => c.at));
  const priorities = new Set(
    withPriority.filter(c => c.at === latestPriority).map(c => c.priority),
  );
  return {
    firstAt: byOrder[0].at,
    lastAt: last.at,
    state: last.state,
    entityRef: last.entityRef,
    // Two different priorities at one instant: either may be kept.
    priorities: withPriority.length ? [...priorities] : [undefined],
  };
}

describe.each(databases.eachSupportedId())('TicketStore on %p', databaseId => {
  it('keeps the same ticket summary whatever the batches and their order (generated)', async () => {
    const db = await migrated(await databases.init(databaseId));
    const store = new TicketStore(db);
    await fc.assert(
      fc.asyncProperty(
        changesOfOneTicket,
        fc.array(fc.integer({ min: 0, max: 3 }), {
          minLength: 8,
          maxLength: 8,
        }),
        async (changes, batchOf) => {
          await db('sla_ticket_changes').delete();
          await db('sla_tickets').delete();
          // Split into up to four batches, recorded one after the other in
          // the generated order of the changes.
          for (let b = 0; b < 4; b++) {
            const batch = changes.filter((_, i) => batchOf[i] === b);
            if (batch.length) await store.record(batch);
          }
          const [row] = await db('sla_tickets');
          const want = expectedTicket(changes);
          expect({
            firstAt: Number(row.first_at),
            lastAt: Number(row.last_at),
            state: row.last_state,
            entityRef: row.entity_ref,
          }).toEqual({
            firstAt: want.firstAt,
            lastAt: want.lastAt,
            state: want.state,
            entityRef: want.entityRef,
          });
          expect(want.priorities).toContain(row.priority ?? undefined);
        },
      ),
      { numRuns: 40, seed: 20261202 },
    );
  });
});
