/*
 * Advance notices of an agreement's expiry: one row per threshold (days
 * before validUntil) per validity period, so that a notice is sent once
 * across restarts and replicas. The primary key is the claim: the run that
 * inserts the row sends the notice. Prolonging moves validUntil, which
 * starts a new period with no rows (the notices reset without deleting).
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('sla_expiry_notices', table => {
    table.comment('Expiry notices sent (or skipped) per validity period');
    table
      .string('agreement_id', 64)
      .notNullable()
      .references('id')
      .inTable('sla_agreements');
    table
      .string('valid_until', 32)
      .notNullable()
      .comment('The end of the validity period, ISO 8601 UTC');
    table.integer('days').notNullable().comment('Days of notice (threshold)');
    table
      .boolean('sent')
      .notNullable()
      .comment('false: crossed together with a nearer threshold, not sent');
    table.string('recorded_at', 32).notNullable();
    table.primary(['agreement_id', 'valid_until', 'days']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('sla_expiry_notices');
};
