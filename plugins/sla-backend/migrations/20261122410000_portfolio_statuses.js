/*
 * Kept statuses for the portfolio (GET /portfolio answers from them instead
 * of evaluating every target at both period ends):
 * - sla_target_states also records when the breach evaluator last evaluated
 *   each target (`evaluated_at`, every evaluation, not only on a change) and
 *   for which definition (`fingerprint`);
 * - sla_target_snapshots keeps targets' statuses at whole hours in the past
 *   (the previous period's end), dropped when late data arrives.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('sla_target_states', table => {
    table.bigInteger('evaluated_at').nullable().comment('Last evaluation, ms');
    table.string('fingerprint', 40).nullable();
    table.index(['evaluated_at'], 'sla_target_states_evaluated_idx');
  });
  await knex.schema.createTable('sla_target_snapshots', table => {
    table.comment('Statuses of targets at whole hours, kept for the portfolio');
    table.bigInteger('at').notNullable().comment('whole hour, ms');
    table.string('agreement_id', 64).notNullable();
    table.string('target_id', 64).notNullable();
    table.string('entity_ref', 255).notNullable();
    table.string('status', 10).notNullable();
    table.string('fingerprint', 40).notNullable();
    table
      .bigInteger('kept_at')
      .notNullable()
      .comment('when it was computed, ms');
    table.primary(['at', 'agreement_id', 'target_id']);
    table.index(['entity_ref', 'at'], 'sla_target_snapshots_entity_idx');
    table.index(['kept_at'], 'sla_target_snapshots_kept_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('sla_target_snapshots');
  await knex.schema.alterTable('sla_target_states', table => {
    table.dropIndex(['evaluated_at'], 'sla_target_states_evaluated_idx');
    table.dropColumn('evaluated_at');
    table.dropColumn('fingerprint');
  });
};
