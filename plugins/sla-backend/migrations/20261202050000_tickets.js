/*
 * Ticket SLAs: tickets (incidents and requests) and their state changes,
 * from POST /tickets and ticket feeds (docs/tickets-and-incidents.md).
 *
 * - sla_ticket_changes holds every state change once: the unique key
 *   (source, ticket_id, at, state) makes a re-sent change a duplicate, and
 *   inserts skip what is there (ON CONFLICT DO NOTHING), so two replicas
 *   recording the same changes at once store them once.
 * - sla_tickets holds one row per ticket: its entity, title, link, the
 *   latest change (last_at, last_rank, last_state) and the latest priority
 *   (priority_at). Those are moved forward only by a conditional update
 *   ("where the stored one is older"), so any arrival order and concurrent
 *   writers end with the same row. Clocks are always computed from the
 *   changes; the row only narrows reads (open tickets of an entity).
 * - sla_ticket_notices records each notification level sent (50/75/100 %)
 *   once per ticket and target: a unique key, claimed before sending.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('sla_tickets', table => {
    table.string('source', 50).notNullable();
    table.string('ticket_id', 200).notNullable();
    table.string('entity_ref').notNullable().comment('Lower-cased entity ref');
    table.text('title').nullable();
    table.text('url').nullable();
    table.string('priority', 20).nullable();
    table
      .bigInteger('priority_at')
      .nullable()
      .comment('ms of the change that set priority');
    table
      .bigInteger('first_at')
      .notNullable()
      .comment('ms of the first change');
    table
      .bigInteger('last_at')
      .notNullable()
      .comment('ms of the latest change');
    table
      .integer('last_rank')
      .notNullable()
      .comment('Order of last_state among states at one instant');
    table.string('last_state', 30).notNullable();
    table.primary(['source', 'ticket_id']);
    table.index(['entity_ref', 'last_state'], 'sla_tickets_entity_state_idx');
  });
  await knex.schema.createTable('sla_ticket_changes', table => {
    table.string('source', 50).notNullable();
    table.string('ticket_id', 200).notNullable();
    table.bigInteger('at').notNullable().comment('ms');
    table.string('state', 30).notNullable();
    table.string('priority', 20).nullable();
    table.unique(['source', 'ticket_id', 'at', 'state'], {
      indexName: 'sla_ticket_changes_key',
    });
  });
  await knex.schema.createTable('sla_ticket_notices', table => {
    table.string('source', 50).notNullable();
    table.string('ticket_id', 200).notNullable();
    table.string('agreement_id').notNullable();
    table.string('target_id').notNullable();
    table
      .integer('level')
      .notNullable()
      .comment('Percent of the allowed time: 50, 75 or 100');
    table.string('sent_at').notNullable().comment('ISO');
    table.primary([
      'source',
      'ticket_id',
      'agreement_id',
      'target_id',
      'level',
    ]);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('sla_ticket_notices');
  await knex.schema.dropTable('sla_ticket_changes');
  await knex.schema.dropTable('sla_tickets');
};
