/*
 * The catalog's dependency graph, kept by one replica (task
 * sla-catalog-graph-sync) and read by every replica: one row per catalog
 * entity with the fields the graph reads, and a change sequence. A write
 * takes the next number from sla_catalog_graph_seq (its row is locked
 * until the transaction commits, so numbers become visible in order) and
 * stamps every row it changes with it; a replica reads the rows whose seq
 * is above the one it holds. Removed entities stay as rows without data
 * (tombstones), so a replica learns about the removal the same way.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('sla_catalog_graph', table => {
    table.string('entity_ref').primary().comment('Lower-cased entity ref');
    table
      .bigInteger('seq')
      .notNullable()
      .index('sla_catalog_graph_seq_idx')
      .comment('Change sequence of the last write of this row');
    table.string('etag').nullable().comment('metadata.etag when last read');
    table
      .string('fingerprint')
      .notNullable()
      .comment('Hash of what the graph reads of the entity (empty: removed)');
    table
      .text('data')
      .nullable()
      .comment(
        'JSON of kind, metadata (name, namespace, annotations), spec.owner and relations; null when removed',
      );
  });
  await knex.schema.createTable('sla_catalog_graph_seq', table => {
    table.integer('id').primary().comment('Always 1');
    table.bigInteger('seq').notNullable().comment('Last sequence number used');
  });
  await knex('sla_catalog_graph_seq').insert({ id: 1, seq: 0 });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('sla_catalog_graph_seq');
  await knex.schema.dropTable('sla_catalog_graph');
};
