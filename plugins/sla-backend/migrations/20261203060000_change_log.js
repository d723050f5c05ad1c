/*
 * sla_change_log: constant-cost stamps for what the portfolio and the
 * reports keep between requests (issue 14). Until now each stamp was an
 * aggregate over a whole table (count and sum of versions of 120,000
 * agreements: seconds per request at 100,000 services). Now a trigger on
 * each stamped table notes every write in the same transaction, so no
 * writer (store, migration, another replica, a hand-made UPDATE) can be
 * missed, and a stamp is an index lookup:
 *
 * - SQLite (one writer at a time): one row per table, whose count `n` the
 *   trigger adds one to for every row written (an UPDATE, so an outer
 *   INSERT OR IGNORE cannot turn the note into nothing).
 * - PostgreSQL: one row appended per statement (no row is updated, so
 *   writers never wait on each other and cannot deadlock on the log); the
 *   stamp is the table's latest id and the count of its rows among the
 *   last 100,000 ids, so a transaction that took an id earlier but commits
 *   later still moves the stamp. Old rows are pruned by the snapshot task.
 */

const TABLES = [
  'sla_agreements',
  'sla_reviews',
  'sla_breaches',
  'sla_feedback',
  'sla_target_states',
  'sla_target_snapshots',
  'sla_published_reports',
];

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  const sqlite = knex.client.config.client !== 'pg';
  await knex.schema.createTable('sla_change_log', table => {
    table.comment('Writes to the stamped tables, for constant-cost stamps');
    table.bigIncrements('id').comment('Grows with every write noted');
    table.string('source', 64).notNullable().comment('The table written');
    table
      .bigInteger('n')
      .notNullable()
      .defaultTo(0)
      .comment('SQLite: rows written to the table so far');
    if (sqlite) table.unique(['source'], 'sla_change_log_source_uq');
    else table.index(['source', 'id'], 'sla_change_log_source_id_idx');
  });
  if (sqlite) {
    await knex('sla_change_log').insert(TABLES.map(source => ({ source })));
    for (const t of TABLES) {
      for (const op of ['insert', 'update', 'delete']) {
        await knex.raw(
          `CREATE TRIGGER ${t}_${op}_noted AFTER ${op.toUpperCase()} ON ${t} ` +
            `BEGIN UPDATE sla_change_log SET n = n + 1 WHERE source = '${t}'; END`,
        );
      }
    }
    return;
  }
  await knex.raw(`
    CREATE OR REPLACE FUNCTION sla_note_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      -- the log beside the table written, whatever the writer's search_path
      EXECUTE format('INSERT INTO %I.sla_change_log (source) VALUES ($1)',
        TG_TABLE_SCHEMA) USING TG_TABLE_NAME;
      RETURN NULL;
    END $$`);
  for (const t of TABLES) {
    await knex.raw(
      `CREATE TRIGGER ${t}_noted AFTER INSERT OR UPDATE OR DELETE ON ${t} ` +
        'FOR EACH STATEMENT EXECUTE FUNCTION sla_note_change()',
    );
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  const sqlite = knex.client.config.client !== 'pg';
  for (const t of TABLES) {
    if (sqlite) {
      for (const op of ['insert', 'update', 'delete']) {
        await knex.raw(`DROP TRIGGER IF EXISTS ${t}_${op}_noted`);
      }
    } else {
      await knex.raw(`DROP TRIGGER IF EXISTS ${t}_noted ON ${t}`);
    }
  }
  if (!sqlite) await knex.raw('DROP FUNCTION IF EXISTS sla_note_change()');
  await knex.schema.dropTable('sla_change_log');
};
