/*
 * sla_evaluation_recency: when each entity was last evaluated from the
 * evaluation queue (ms). Claims take the queued entities evaluated least
 * recently first (never evaluated before all others), so an entity whose
 * data changes for the first time (a new breach) overtakes a backlog of
 * entities that are re-queued by every batch and were evaluated moments
 * ago. One row per entity ever evaluated from the queue; written when a
 * claim finishes.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('sla_evaluation_recency', table => {
    table.comment('When each entity was last evaluated from the queue');
    table.string('entity_ref').primary().comment('Lower-cased entity ref');
    table
      .bigInteger('evaluated_ms')
      .notNullable()
      .comment('When its last queued evaluation finished (ms)');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('sla_evaluation_recency');
};
