/*
 * Service reviews of agreements: scheduled, event-based (a breach, on
 * demand) and held reviews with their frozen snapshot, minutes, decision and
 * actions (all in `data`; the columns are for look-ups).
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('sla_reviews', table => {
    table.comment('Service and agreement reviews, with their frozen snapshot');
    table.string('id', 64).primary();
    table.string('agreement_id', 64).notNullable().index();
    table.string('entity_ref', 255).notNullable().index();
    table.string('kind', 16).notNullable();
    table.string('status', 8).notNullable();
    table.string('held_at', 32).nullable();
    table.string('breach_id', 64).nullable().unique();
    table.integer('version').notNullable();
    table.string('created_at', 32).notNullable();
    table.text('data').notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('sla_reviews');
};
