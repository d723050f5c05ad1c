/*
 * Evaluation off the request path, shared by the replicas.
 *
 * - sla_evaluation_queue: the entities whose data changed and must be
 *   evaluated again, one row per entity. Ingest and feedback upsert it in
 *   the transaction that stores the data (keeping the earliest instant the
 *   new data holds, `from_ms`, and bumping `version`); every replica claims
 *   rows (`claimed_by`, `claimed_until`: a lease, so the claim of a killed
 *   replica expires), evaluates them and deletes the row unless it was
 *   enqueued again meanwhile.
 * - sla_evaluation_rounds: which replica evaluated which entity in which
 *   round of the time-driven evaluation (windows rolling on without new
 *   data). The primary key lets one replica per round claim an entity;
 *   rows of old rounds are pruned.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('sla_evaluation_queue', table => {
    table.comment('Entities whose data changed, to be evaluated again');
    table.string('entity_ref').primary().comment('Lower-cased entity ref');
    table
      .bigInteger('from_ms')
      .notNullable()
      .comment('Earliest instant the new data holds (ms)');
    table
      .integer('version')
      .notNullable()
      .defaultTo(1)
      .comment('Bumped by every enqueue: a claim deletes only what it saw');
    table
      .integer('attempts')
      .notNullable()
      .defaultTo(0)
      .comment('Failed evaluations so far');
    table.string('claimed_by').nullable().comment('The replica evaluating it');
    table
      .bigInteger('claimed_until')
      .nullable()
      .comment('Claim lease end (ms); claimable again afterwards');
    table.index(['claimed_until'], 'sla_evaluation_queue_claim_idx');
  });
  await knex.schema.createTable('sla_evaluation_rounds', table => {
    table.comment('Entities claimed per round of the time-driven evaluation');
    table.bigInteger('round_at').notNullable().comment('Round start (ms)');
    table.string('entity_ref').notNullable();
    table.string('claimed_by').notNullable();
    table.primary(['round_at', 'entity_ref']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('sla_evaluation_rounds');
  await knex.schema.dropTable('sla_evaluation_queue');
};
