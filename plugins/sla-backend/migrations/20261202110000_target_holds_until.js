/*
 * Evaluation cost ∝ change (issue 14): per target, the instant until which
 * its kept status is known to hold without new data (`holds_until`, ms;
 * null: unknown, due now) and the agreement version it was evaluated for
 * (`agreement_version`): the time-driven round visits only targets whose
 * instant has come, that were never evaluated, or whose agreement changed.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('sla_target_states', table => {
    table
      .bigInteger('holds_until')
      .nullable()
      .comment('Kept status holds until then without new data, ms');
    table.integer('agreement_version').nullable();
    table.index(['holds_until'], 'sla_target_states_holds_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('sla_target_states', table => {
    table.dropIndex(['holds_until'], 'sla_target_states_holds_idx');
    table.dropColumn('holds_until');
    table.dropColumn('agreement_version');
  });
};
