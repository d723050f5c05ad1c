/*
 * Satisfaction: survey campaigns and feedback (survey answers, impromptu
 * feedback, complaints and compliments). A user answers a campaign once:
 * (campaign_id, given_by) is unique, so a second answer replaces the first
 * (feedback outside campaigns has campaign_id NULL, which never collides).
 * given_by is kept for anonymous feedback too, so it still counts once per
 * user; the API hides it from readers.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('sla_survey_campaigns', table => {
    table.comment('Survey campaigns: a question set asked for a period');
    table.string('id', 64).primary();
    table.string('entity_ref', 255).notNullable().index();
    table.string('status', 10).notNullable();
    table.integer('version').notNullable();
    table.string('created_at', 32).notNullable();
    table.text('data').notNullable();
  });
  await knex.schema.createTable('sla_feedback', table => {
    table.comment(
      'Feedback on entities: survey answers, impromptu feedback, complaints, compliments',
    );
    table.string('id', 64).primary();
    table.string('entity_ref', 255).notNullable();
    table.string('kind', 16).notNullable();
    table.string('campaign_id', 64).nullable();
    table.string('given_by', 255).notNullable();
    table.string('given_at', 32).notNullable();
    table.string('scale', 8).nullable();
    table.integer('score').nullable();
    table.string('state', 16).nullable();
    table.integer('version').notNullable();
    table.text('data').notNullable();
    table.unique(['campaign_id', 'given_by']);
    table.index(['entity_ref', 'given_at']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('sla_feedback');
  await knex.schema.dropTable('sla_survey_campaigns');
};
