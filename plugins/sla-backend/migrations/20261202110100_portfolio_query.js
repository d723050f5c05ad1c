// @ts-check

/**
 * The portfolio as a server-side query (issue 14 item 3): the mean time to
 * agree over every service is one read of the period's agreeing
 * signatures, by the instant they were given.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('sla_agreement_signatures', table => {
    table.index(['signed_at'], 'sla_agreement_signatures_signed_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('sla_agreement_signatures', table => {
    table.dropIndex(['signed_at'], 'sla_agreement_signatures_signed_idx');
  });
};
