/*
 * Agreements, their versions (the history: nothing is ever deleted) and
 * their targets (denormalised for look-ups by entity and metric).
 * Timestamps are ISO 8601 UTC strings: portable between SQLite and
 * PostgreSQL and ordered the same way as the instants they name.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('sla_agreements', table => {
    table.comment('Service level agreements (SLA, OLA, UC), current version');
    table.string('id', 64).primary();
    table.string('entity_ref', 255).notNullable();
    table.string('kind', 8).notNullable();
    table.string('status', 20).notNullable();
    table.integer('version').notNullable();
    table.string('valid_until', 32).nullable();
    table.string('created_at', 32).notNullable();
    table.string('updated_at', 32).notNullable();
    table.text('data').notNullable().comment('The agreement as JSON');
    table.index(['entity_ref', 'status'], 'sla_agreements_entity_status_idx');
  });
  await knex.schema.createTable('sla_agreement_versions', table => {
    table.comment('Every version of every agreement: the history');
    table
      .string('agreement_id', 64)
      .notNullable()
      .references('id')
      .inTable('sla_agreements');
    table.integer('version').notNullable();
    table.string('status', 20).notNullable();
    table.string('changed_by', 255).notNullable();
    table.string('changed_at', 32).notNullable();
    table.text('change').notNullable().comment('What changed, as JSON');
    table
      .text('snapshot')
      .notNullable()
      .comment('The agreement at this version');
    table.primary(['agreement_id', 'version']);
  });
  await knex.schema.createTable('sla_targets', table => {
    table.comment('Targets of the current version of each agreement');
    table
      .string('agreement_id', 64)
      .notNullable()
      .references('id')
      .inTable('sla_agreements');
    table.string('target_id', 64).notNullable();
    table.string('entity_ref', 255).notNullable();
    table.string('metric', 200).notNullable();
    table.string('aspect', 20).notNullable();
    table.primary(['agreement_id', 'target_id']);
    table.index(['entity_ref', 'metric'], 'sla_targets_entity_metric_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('sla_targets');
  await knex.schema.dropTable('sla_agreement_versions');
  await knex.schema.dropTable('sla_agreements');
};
