/*
 * Write stamps per series, so that sums over stored data can be reused
 * (MeasurementStore's range-sum cache, shared by nothing but a process):
 * `high_ts` is the latest sample time stored, `late_writes` counts the
 * ingests that stored a sample before it. A sum over [a, b) with b at or
 * before `high_ts` can change only through a late write, which moves
 * `late_writes`. Existing series start at their stored maximum.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('sla_series', table => {
    table
      .bigInteger('high_ts')
      .nullable()
      .comment('Latest sample time stored (ms)');
    table
      .integer('late_writes')
      .notNullable()
      .defaultTo(0)
      .comment('Ingests that stored a sample before high_ts');
  });
  for (const samples of ['sla_ratio_samples', 'sla_threshold_samples']) {
    await knex('sla_series').update({
      high_ts: knex.raw(
        `COALESCE((SELECT MAX(ts) FROM ${samples} WHERE series_id = sla_series.id), high_ts)`,
      ),
    });
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('sla_series', table => {
    table.dropColumn('high_ts');
    table.dropColumn('late_writes');
  });
};
