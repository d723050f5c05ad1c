/*
 * The last known state of each target in force: its status and how much of
 * its error budget was consumed (0, 50, 75 or 100 %). Owners are notified
 * when either changes, once, however often targets are evaluated.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('sla_target_states', table => {
    table.comment('Last evaluated status and budget warning level per target');
    table.string('agreement_id', 64).notNullable();
    table.string('target_id', 64).notNullable();
    table.string('status', 10).notNullable();
    table.integer('warning_level').notNullable();
    table.string('changed_at', 32).notNullable();
    table.primary(['agreement_id', 'target_id']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('sla_target_states');
};
