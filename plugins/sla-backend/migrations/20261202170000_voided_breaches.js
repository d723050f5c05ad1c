/*
 * Breaches that later data shows never happened (issue 15: ticket changes
 * arriving out of order, late measurements). When a target recovers and
 * its statuses, recomputed with everything stored by then, were not
 * breached at the evaluation that opened the breach nor at any whole hour
 * of its run, the breach is voided instead of closed: it moves here
 * (nothing is deleted) with the instant it was voided, and leaves every
 * list, report and KPI that reads sla_breaches.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('sla_voided_breaches', table => {
    table.comment('Breaches that data arriving later showed never happened');
    table.string('id', 64).primary();
    table.string('entity_ref', 255).notNullable();
    table.string('agreement_id', 64).notNullable();
    table.string('target_id', 64).notNullable();
    table.string('opened_at', 32).notNullable();
    table.string('closed_at', 32).nullable();
    table.string('severity', 10).notNullable();
    table.string('cause', 12).notNullable();
    table.text('details').notNullable().comment('JSON, as in sla_breaches');
    table.string('voided_at', 32).notNullable();
    table.index(['agreement_id', 'target_id'], 'sla_voided_breaches_target_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('sla_voided_breaches');
};
