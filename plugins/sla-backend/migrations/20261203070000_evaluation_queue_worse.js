/*
 * The order in which claims take queued entities, kept in the queue row so
 * that a claim reads it from an index (it was a subquery per queued row,
 * linear in the backlog for every claim of ten):
 *
 * - sla_evaluation_queue.worse: whether the data waiting to be evaluated
 *   may worsen a status (1: anything but all-good ratio samples, and every
 *   change that is not a measurement), or can only keep or improve it (0:
 *   ratio samples with good = total). Rows that may worsen go first, so a
 *   breach in data that arrives among a stream of good data is seen at
 *   once even while the evaluation is behind with the stream.
 * - sla_evaluation_queue.last_ms: when the entity was last evaluated from
 *   the queue (sla_evaluation_recency, copied when the row is created;
 *   -1: never), least recent first: a round robin over the changed
 *   entities.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('sla_evaluation_queue', table => {
    table
      .integer('worse')
      .notNullable()
      .defaultTo(1)
      .comment('1 when the waiting data may worsen a status');
    table
      .bigInteger('last_ms')
      .notNullable()
      .defaultTo(-1)
      .comment('Last evaluated from the queue (ms), -1 never');
  });
  await knex.raw(
    'CREATE INDEX sla_evaluation_queue_order_idx ON sla_evaluation_queue (worse DESC, last_ms, from_ms, entity_ref)',
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.raw('DROP INDEX sla_evaluation_queue_order_idx');
  await knex.schema.alterTable('sla_evaluation_queue', table => {
    table.dropColumn('worse');
    table.dropColumn('last_ms');
  });
};
