/*
 * Improvement initiatives of services (the service improvement plan): the
 * columns are for look-ups, the initiative is in `data`.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('sla_improvements', table => {
    table.comment('Improvement initiatives (service improvement plan)');
    table.string('id', 64).primary();
    table.string('entity_ref', 255).notNullable().index();
    table.string('status', 16).notNullable();
    table.integer('version').notNullable();
    table.string('created_at', 32).notNullable();
    table.text('data').notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('sla_improvements');
};
