/*
 * Published service reports: the figures of an entity's period frozen at
 * publication (`data`), one per entity and period. Times are ISO strings so
 * SQLite and PostgreSQL order them alike.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('sla_published_reports', table => {
    table.comment('Published (frozen) service reports');
    table.string('id', 64).primary();
    table.string('entity_ref', 255).notNullable();
    table.string('period_start', 32).notNullable();
    table.string('period_end', 32).notNullable().index();
    table.string('published_at', 32).notNullable();
    table.string('published_by', 255).notNullable();
    table.text('data').notNullable();
    table.unique(['entity_ref', 'period_start', 'period_end']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('sla_published_reports');
};
