/*
 * Measurements and what is derived from them at ingest, so that a page
 * request never scans raw rows of a whole window:
 * - series: one per (entity, metric), with the kind of data it holds;
 * - ratio samples and their hourly and daily sums;
 * - threshold samples, their per-minute extremes, and per slice definition
 *   (operator, threshold, timeslice) hourly and daily counts of good and bad
 *   slices;
 * - duration events (incidents, requests);
 * - breaches: the periods in which a target was breached.
 * Instants are epoch milliseconds (bigint).
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('sla_series', table => {
    table.comment('A measured series: one metric of one entity');
    table.increments('id').primary();
    table.string('entity_ref', 255).notNullable();
    table.string('metric', 200).notNullable();
    table.string('kind', 10).notNullable().comment('ratio, threshold or duration');
    table.unique(['entity_ref', 'metric'], { indexName: 'sla_series_entity_metric_uniq' });
  });

  await knex.schema.createTable('sla_ratio_samples', table => {
    table.integer('series_id').notNullable();
    table.bigInteger('ts').notNullable();
    table.double('good').notNullable();
    table.double('total').notNullable();
    table.primary(['series_id', 'ts']);
  });
  await knex.schema.createTable('sla_ratio_rollups', table => {
    table.comment('Sums of ratio samples per hour and per UTC day');
    table.integer('series_id').notNullable();
    table.bigInteger('resolution').notNullable().comment('bucket length, ms');
    table.bigInteger('bucket').notNullable().comment('bucket start, ms');
    table.double('good').notNullable();
    table.double('total').notNullable();
    table.primary(['series_id', 'resolution', 'bucket']);
  });

  await knex.schema.createTable('sla_threshold_samples', table => {
    table.integer('series_id').notNullable();
    table.bigInteger('ts').notNullable();
    table.double('value').notNullable();
    table.primary(['series_id', 'ts']);
  });
  await knex.schema.createTable('sla_threshold_minutes', table => {
    table.comment('Extremes of threshold samples per minute');
    table.integer('series_id').notNullable();
    table.bigInteger('minute').notNullable();
    table.double('min').notNullable();
    table.double('max').notNullable();
    table.primary(['series_id', 'minute']);
  });
  await knex.schema.createTable('sla_slice_definitions', table => {
    table.comment('Slice definitions whose rollups are maintained for a series');
    table.integer('series_id').notNullable();
    table.string('slice_key', 100).notNullable().comment('operator:threshold:sliceMs');
    table.primary(['series_id', 'slice_key']);
  });
  await knex.schema.createTable('sla_slice_rollups', table => {
    table.comment('Good and bad timeslices per hour and per UTC day');
    table.integer('series_id').notNullable();
    table.string('slice_key', 100).notNullable();
    table.bigInteger('resolution').notNullable();
    table.bigInteger('bucket').notNullable();
    table.integer('good').notNullable();
    table.integer('bad').notNullable();
    table.primary(['series_id', 'slice_key', 'resolution', 'bucket']);
  });

  await knex.schema.createTable('sla_events', table => {
    table.comment('Duration events: incidents, requests');
    table.integer('series_id').notNullable();
    table.string('event_id', 200).notNullable();
    table.bigInteger('start_ts').notNullable();
    table.bigInteger('end_ts').nullable();
    table.string('priority', 20).nullable();
    table.primary(['series_id', 'event_id']);
    table.index(['series_id', 'end_ts'], 'sla_events_series_end_idx');
  });

  await knex.schema.createTable('sla_breaches', table => {
    table.comment('Periods in which a target was breached');
    table.string('id', 64).primary();
    table.string('entity_ref', 255).notNullable();
    table.string('agreement_id', 64).notNullable();
    table.string('target_id', 64).notNullable();
    table.string('opened_at', 32).notNullable();
    table.string('closed_at', 32).nullable();
    table.string('severity', 10).notNullable();
    table.string('cause', 12).notNullable();
    table.text('details').notNullable().comment('JSON: causedBy, worstRemaining');
    table.index(['entity_ref', 'opened_at'], 'sla_breaches_entity_idx');
    table.index(['agreement_id', 'target_id', 'closed_at'], 'sla_breaches_target_idx');
  });

  await knex.schema.createTable('sla_source_checkpoints', table => {
    table.comment('Up to when a metric source has collected each target');
    table.string('source_id', 64).notNullable();
    table.string('entity_ref', 255).notNullable();
    table.string('agreement_id', 64).notNullable();
    table.string('target_id', 64).notNullable();
    table.bigInteger('collected_until').notNullable();
    table.primary(['source_id', 'entity_ref', 'agreement_id', 'target_id']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const table of [
    'sla_source_checkpoints',
    'sla_breaches',
    'sla_events',
    'sla_slice_rollups',
    'sla_slice_definitions',
    'sla_threshold_minutes',
    'sla_threshold_samples',
    'sla_ratio_rollups',
    'sla_ratio_samples',
    'sla_series',
  ]) {
    await knex.schema.dropTable(table);
  }
};
