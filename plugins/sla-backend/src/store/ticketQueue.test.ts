import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { databases } from '../__testUtils__/testBackend';
import { TicketStore } from './TicketStore';

jest.setTimeout(180_000);

/**
 * Recording ticket changes queues their entity for evaluation in the same
 * transaction (as ingest does), so ticket targets' breaches follow the
 * changes on whichever replica claims the entity; duplicates queue nothing.
 */
describe.each(databases.eachSupportedId())('ticket changes on %p', id => {
  it('queue their entity for evaluation, from the earliest change', async () => {
    const db = await databases.init(id);
    await db.migrate.latest({
      directory: resolvePackagePath(
        '@opensla/backstage-plugin-sla-backend',
        'migrations',
      ),
    });
    const store = new TicketStore(db);
    const change = (at: number, state: 'new' | 'in-progress') => ({
      source: 'api',
      ticketId: 'INC-1',
      entityRef: 'component:default/checkout',
      at,
      state,
      priority: 'P1',
    });
    const changes = [
      change(2_000_000, 'in-progress'),
      change(1_000_000, 'new'),
    ];
    expect(await store.record(changes)).toEqual({ accepted: 2, duplicates: 0 });
    const queued = await db('sla_evaluation_queue');
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({
      entity_ref: 'component:default/checkout',
    });
    expect(Number(queued[0].from_ms)).toBe(1_000_000);

    await db('sla_evaluation_queue').delete();
    expect(await store.record(changes)).toEqual({ accepted: 0, duplicates: 2 });
    expect(await db('sla_evaluation_queue')).toHaveLength(0);
  });
});
