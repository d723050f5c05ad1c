/*
 * sla_evaluation_queue.worse: whether the data waiting to be evaluated may
 * worsen a status (1: anything but all-good ratio samples, and every
 * change that is not a measurement), or can only keep or improve it (0:
 * ratio samples with good = total). Claims take the rows that may worsen
 * first, so a breach in data that arrives among a stream of good data is
 * seen at once even while the evaluation is behind with the stream.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('sla_evaluation_queue', table => {
    table
      .integer('worse')
      .notNullable()
      .defaultTo(1)
      .comment('1 when the waiting data may worsen a status');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('sla_evaluation_queue', table => {
    table.dropColumn('worse');
  });
};
