/*
 * SLOs as code: the OpenSLO files an entity's `sla/openslo` annotation
 * names, one row per entity. It keeps when they were read, the agreement
 * they keep (managed), a hash of what was applied last (so an unchanged
 * file writes no new version) and the last error (a broken file never
 * touches the agreement).
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('sla_openslo_sources', table => {
    table
      .string('entity_ref')
      .primary()
      .comment('Lower-cased entity ref that carries the annotation');
    table.string('agreement_id').nullable().comment('The managed agreement');
    table.text('locations').notNullable().comment('JSON list of files read');
    table.string('checked_at').notNullable().comment('Last read (ISO)');
    table.string('applied_at').nullable().comment('Last applied (ISO)');
    table.string('content_hash').nullable().comment('Hash of what was applied');
    table.text('error').nullable().comment('Why the last read did not apply');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('sla_openslo_sources');
};
