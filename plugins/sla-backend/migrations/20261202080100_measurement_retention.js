/*
 * Retention of measurements (sla.retention, RetentionService): per series,
 * the instants from which raw detail (samples, per-minute extremes) and
 * rollups (with closed duration events) are kept, moved forward by the
 * retention task before it deletes anything, so that a read seeing fewer
 * rows also sees the moved stamp and says so (TargetAttainment.coverage);
 * and how far the deletion has got, so that an interrupted run resumes.
 * A slice definition built after raw detail was pruned has its slice
 * rollups from `complete_from` only.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('sla_series', table => {
    table
      .bigInteger('raw_kept_from')
      .nullable()
      .comment(
        'Raw samples and minute extremes before this instant (ms) are pruned',
      );
    table
      .bigInteger('raw_pruned_to')
      .nullable()
      .comment('Raw rows before this instant are deleted (retention progress)');
    table
      .bigInteger('rollups_kept_from')
      .nullable()
      .comment('Rollups and closed events before this instant (ms) are pruned');
    table
      .bigInteger('rollups_pruned_to')
      .nullable()
      .comment(
        'Rollup rows before this instant are deleted (retention progress)',
      );
  });
  await knex.schema.alterTable('sla_slice_definitions', table => {
    table
      .bigInteger('complete_from')
      .nullable()
      .comment('Slice rollups exist from this instant (built after pruning)');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('sla_slice_definitions', table => {
    table.dropColumn('complete_from');
  });
  await knex.schema.alterTable('sla_series', table => {
    table.dropColumn('raw_kept_from');
    table.dropColumn('raw_pruned_to');
    table.dropColumn('rollups_kept_from');
    table.dropColumn('rollups_pruned_to');
  });
};
