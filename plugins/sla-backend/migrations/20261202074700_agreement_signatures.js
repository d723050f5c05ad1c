/*
 * Negotiation between the provider and the customer of an agreement
 * (issue 16): each party's signature on a round of terms, and the comments
 * and change requests made while negotiating.
 *
 * - sla_agreement_signatures: one row per agreement, terms version and
 *   party (the primary key), so two people signing for one party at once
 *   store one signature. `completed` marks the signature that agreed its
 *   round; `proposed_at` is when that round was proposed (time to agree).
 * - sla_agreement_comments: comments and change requests, kept forever.
 * - Agreements agreed before signatures existed are marked as signed by
 *   the provider and (when `customer` names a group or user) the customer
 *   at their agreedAt, flagged `migrated`; every agreement gets its
 *   `termsVersion` (its current version).
 */

const CUSTOMER_REF =
  /^\s*(group|user):(?:([a-z0-9._-]+)\/)?([a-z0-9._-]+)\s*$/i;

function customerPartyRef(customer) {
  const match = CUSTOMER_REF.exec(customer ?? '');
  if (!match) return undefined;
  const [, kind, namespace, name] = match;
  return `${kind}:${namespace ?? 'default'}/${name}`.toLocaleLowerCase(
    'en-US',
  );
}

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('sla_agreement_signatures', table => {
    table.comment('Signatures of the parties on each round of terms');
    table
      .string('agreement_id', 64)
      .notNullable()
      .references('id')
      .inTable('sla_agreements');
    table.integer('terms_version').notNullable();
    table.string('party', 16).notNullable();
    table.string('entity_ref', 255).notNullable();
    table.string('signed_by', 255).notNullable();
    table.string('signed_at', 32).notNullable();
    table.boolean('on_behalf').notNullable().defaultTo(false);
    table.boolean('migrated').notNullable().defaultTo(false);
    table
      .boolean('completed')
      .notNullable()
      .defaultTo(false)
      .comment('This signature agreed its round');
    table
      .string('proposed_at', 32)
      .nullable()
      .comment('When the round was proposed');
    table.primary(['agreement_id', 'terms_version', 'party']);
    table.index(['entity_ref'], 'sla_agreement_signatures_entity_idx');
  });
  await knex.schema.createTable('sla_agreement_comments', table => {
    table.comment('Comments and change requests made while negotiating');
    table.string('id', 64).primary();
    table
      .string('agreement_id', 64)
      .notNullable()
      .references('id')
      .inTable('sla_agreements');
    table.string('kind', 20).notNullable();
    table.string('party', 16).notNullable();
    table.text('text').notNullable();
    table.string('author', 255).notNullable();
    table.string('created_at', 32).notNullable();
    table.integer('terms_version').notNullable();
    table.index(
      ['agreement_id', 'created_at', 'id'],
      'sla_agreement_comments_agreement_idx',
    );
  });

  const rows = await knex('sla_agreements').select(
    'id',
    'entity_ref',
    'status',
    'version',
    'updated_at',
    'data',
  );
  for (const row of rows) {
    const agreement = JSON.parse(row.data);
    const version = Number(row.version);
    agreement.termsVersion = version;
    if (row.status === 'agreed') {
      const at = agreement.agreedAt ?? row.updated_at;
      const signatures = [
        {
          party: 'provider',
          version,
          signedBy: agreement.agreedBy ?? agreement.updatedBy,
          signedAt: at,
          migrated: true,
        },
      ];
      const customer = customerPartyRef(agreement.customer);
      if (customer) {
        signatures.push({
          party: 'customer',
          version,
          signedBy: customer,
          signedAt: at,
          migrated: true,
        });
      }
      agreement.signatures = signatures;
      await knex('sla_agreement_signatures').insert(
        signatures.map(s => ({
          agreement_id: row.id,
          terms_version: version,
          party: s.party,
          entity_ref: row.entity_ref,
          signed_by: s.signedBy,
          signed_at: s.signedAt,
          on_behalf: false,
          migrated: true,
          completed: s === signatures[signatures.length - 1],
          proposed_at: null,
        })),
      );
    }
    await knex('sla_agreements')
      .where({ id: row.id, version })
      .update({ data: JSON.stringify(agreement) });
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('sla_agreement_comments');
  await knex.schema.dropTable('sla_agreement_signatures');
};
