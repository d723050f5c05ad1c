// @ts-check

/**
 * The portfolio as a server-side query at 100,000 services (issue 14
 * item 3):
 * - the mean time to agree over every service is one read of the period's
 *   agreeing signatures, by the instant they were given;
 * - the database stamps the portfolio checks on every request (aggregate
 *   statements over whole tables, StampedCache) read narrow covering
 *   indexes instead of the wide rows (agreements and feedback carry their
 *   JSON): count and sum of versions, the latest answer, the snapshots'
 *   instants.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('sla_agreement_signatures', table => {
    table.index(['signed_at'], 'sla_agreement_signatures_signed_idx');
  });
  await knex.schema.alterTable('sla_agreements', table => {
    table.index(['version'], 'sla_agreements_stamp_idx');
  });
  await knex.schema.alterTable('sla_reviews', table => {
    table.index(['version'], 'sla_reviews_stamp_idx');
  });
  await knex.schema.alterTable('sla_feedback', table => {
    table.index(['score', 'version', 'given_at'], 'sla_feedback_stamp_idx');
  });
  await knex.schema.alterTable('sla_target_snapshots', table => {
    table.index(['at', 'kept_at'], 'sla_target_snapshots_stamp_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('sla_target_snapshots', table => {
    table.dropIndex(['at', 'kept_at'], 'sla_target_snapshots_stamp_idx');
  });
  await knex.schema.alterTable('sla_feedback', table => {
    table.dropIndex(['score', 'version', 'given_at'], 'sla_feedback_stamp_idx');
  });
  await knex.schema.alterTable('sla_reviews', table => {
    table.dropIndex(['version'], 'sla_reviews_stamp_idx');
  });
  await knex.schema.alterTable('sla_agreements', table => {
    table.dropIndex(['version'], 'sla_agreements_stamp_idx');
  });
  await knex.schema.alterTable('sla_agreement_signatures', table => {
    table.dropIndex(['signed_at'], 'sla_agreement_signatures_signed_idx');
  });
};
