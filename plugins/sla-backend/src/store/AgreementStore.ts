import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import type {
  Agreement,
  AgreementChange,
  AgreementSignature,
  AgreementHistoryEntry,
  AgreementKind,
  AgreementStatus,
} from '@opensla/backstage-plugin-sla-common';

const migrationsDir = resolvePackagePath(
  '@opensla/backstage-plugin-sla-backend',
  'migrations',
);

/** @internal */
export interface AgreementFilter {
  entityRef?: string;
  /** Any of these entities (one read for several). */
  entityRefs?: string[];
  kind?: AgreementKind;
  status?: AgreementStatus;
}

type AgreementRow = {
  id: string;
  entity_ref: string;
  kind: string;
  status: string;
  version: number;
  valid_until: string | null;
  created_at: string;
  updated_at: string;
  data: string;
};

function toRow(agreement: Agreement): AgreementRow {
  return {
    id: agreement.id,
    // Entity refs are case-insensitive: the column is for look-ups.
    entity_ref: agreement.entityRef.toLocaleLowerCase('en-US'),
    kind: agreement.kind,
    status: agreement.status,
    version: agreement.version,
    valid_until: agreement.validUntil ?? null,
    created_at: agreement.createdAt,
    updated_at: agreement.updatedAt,
    data: JSON.stringify(agreement),
  };
}

function versionRow(agreement: Agreement, change: AgreementChange) {
  return {
    agreement_id: agreement.id,
    version: agreement.version,
    status: agreement.status,
    changed_by: agreement.updatedBy,
    changed_at: agreement.updatedAt,
    change: JSON.stringify(change),
    snapshot: JSON.stringify(agreement),
  };
}

/**
 * The rows `insert` writes for a new agreement (without signatures): for
 * bulk loads, e.g. the benchmark's 100,000 other services. @internal
 */
export function newAgreementRows(
  agreement: Agreement,
  change: AgreementChange,
) {
  return {
    agreement: toRow(agreement),
    version: versionRow(agreement, change),
    targets: targetRows(agreement),
  };
}

function targetRows(agreement: Agreement) {
  return agreement.targets.map(t => ({
    agreement_id: agreement.id,
    target_id: t.id,
    entity_ref: agreement.entityRef.toLocaleLowerCase('en-US'),
    metric: t.metric,
    aspect: t.aspect,
  }));
}

/**
 * The rows `insert` writes for agreements without signatures, for loading
 * many at once (benchmarks): agreements, their first versions and targets.
 * @internal
 */
export function agreementRowsForBulkLoad(
  agreements: Agreement[],
  change: AgreementChange,
) {
  return {
    agreements: agreements.map(toRow),
    versions: agreements.map(a => versionRow(a, change)),
    targets: agreements.flatMap(targetRows),
  };
}

/** A signature as stored, with what the portfolio counts. @internal */
export type SignatureRecord = {
  agreementId: string;
  entityRef: string;
  signature: AgreementSignature;
  /** This signature agreed its round. */
  completed: boolean;
  /** When the round was proposed. */
  proposedAt?: string;
};

/** @internal */
export function signatureRow(record: SignatureRecord) {
  const s = record.signature;
  return {
    agreement_id: record.agreementId,
    terms_version: s.version,
    party: s.party,
    entity_ref: record.entityRef.toLocaleLowerCase('en-US'),
    signed_by: s.signedBy,
    signed_at: s.signedAt,
    on_behalf: Boolean(s.onBehalf),
    migrated: Boolean(s.migrated),
    completed: record.completed,
    proposed_at: record.proposedAt ?? null,
  };
}

/** One planned version of an agreement: what to store over which version. @internal */
export type AgreementVersionWrite = {
  agreement: Agreement;
  expectedVersion: number;
  change: AgreementChange;
};

/**
 * Stores one version inside the caller's transaction: the current row,
 * the history row and the target index. False (nothing written by this
 * call) when the stored version is no longer `expectedVersion`. Shared by
 * stores whose one transaction writes an agreement with other records
 * (a held review and its decision's moves).
 * @internal
 */
export async function writeAgreementVersion(
  tx: Knex.Transaction,
  { agreement, expectedVersion, change }: AgreementVersionWrite,
): Promise<boolean> {
  const { id, ...row } = toRow(agreement);
  const updated = await tx('sla_agreements')
    .where({ id, version: expectedVersion })
    .update(row);
  if (updated !== 1) return false;
  await tx('sla_agreement_versions').insert(versionRow(agreement, change));
  await tx('sla_targets').where('agreement_id', id).delete();
  const targets = targetRows(agreement);
  if (targets.length) await tx('sla_targets').insert(targets);
  return true;
}

/**
 * Persistence of agreements: one transaction per method, no business rules.
 * Each write stores the new current version, appends it to the history and
 * refreshes the target index.
 * @internal
 */
export class AgreementStore {
  /** The plugin's database, migrated to the latest schema. */
  static async connect(database: DatabaseService): Promise<Knex> {
    const client = await database.getClient();
    if (!database.migrations?.skip) {
      // Replicas starting together race for knex's migration tables and
      // lock; the loser waits for the winner instead of failing its start.
      for (let attempt = 1; ; attempt++) {
        try {
          await client.migrate.latest({ directory: migrationsDir });
          break;
        } catch (error) {
          const e = error as Error;
          const race =
            e?.name === 'MigrationLocked' ||
            /knex_migrations/.test(e?.message ?? '');
          if (!race || attempt >= 240) throw error;
          await new Promise(resolve => setTimeout(resolve, 500));
        }
      }
    }
    return client;
  }

  constructor(private readonly db: Knex) {}

  async list(filter: AgreementFilter = {}): Promise<Agreement[]> {
    const query = this.db<AgreementRow>('sla_agreements').select('data');
    if (filter.entityRef) {
      query.where('entity_ref', filter.entityRef.toLocaleLowerCase('en-US'));
    }
    if (filter.entityRefs) {
      query.whereIn(
        'entity_ref',
        filter.entityRefs.map(r => r.toLocaleLowerCase('en-US')),
      );
    }
    if (filter.kind) query.where('kind', filter.kind);
    if (filter.status) query.where('status', filter.status);
    const rows = await query.orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'asc' },
    ]);
    return rows.map(r => JSON.parse(r.data));
  }

  /**
   * Up to `limit` agreements in list order (newest first, then id) after
   * the position `after` ([createdAt, id]): keyset paging, so agreements
   * created meanwhile land before the first page, never in a later one.
   */
  async listAfter(
    filter: AgreementFilter,
    after: [string, string] | undefined,
    limit: number,
  ): Promise<Agreement[]> {
    const query = this.db<AgreementRow>('sla_agreements').select('data');
    if (filter.entityRef) {
      query.where('entity_ref', filter.entityRef.toLocaleLowerCase('en-US'));
    }
    if (filter.kind) query.where('kind', filter.kind);
    if (filter.status) query.where('status', filter.status);
    if (after) {
      const [createdAt, id] = after;
      query.where(q =>
        q
          .where('created_at', '<', createdAt)
          .orWhere(q2 =>
            q2.where('created_at', '=', createdAt).andWhere('id', '>', id),
          ),
      );
    }
    const rows = await query
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(limit);
    return rows.map(r => JSON.parse(r.data));
  }

  async get(id: string): Promise<Agreement | undefined> {
    const row = await this.db<AgreementRow>('sla_agreements')
      .where('id', id)
      .first('data');
    return row ? JSON.parse(row.data) : undefined;
  }

  /** Agreements by id, in one query. */
  async getMany(ids: string[]): Promise<Map<string, Agreement>> {
    const found = new Map<string, Agreement>();
    if (!ids.length) return found;
    const rows = await this.db<AgreementRow>('sla_agreements')
      .whereIn('id', ids)
      .select('data');
    for (const row of rows) {
      const agreement: Agreement = JSON.parse(row.data);
      found.set(agreement.id, agreement);
    }
    return found;
  }

  /**
   * The entity's agreements (current versions) that can have been in force
   * at `at`: those agreed now, and those changed after `at` (whatever their
   * status now). An agreement not agreed now and unchanged since `at` was
   * not agreed at `at` either. Timestamps are ISO strings in UTC, ordered
   * like the instants they name (see the migration), so `updated_at > at`
   * compares as text on both databases.
   */
  async listAgreedOrChangedAfter(
    entityRef: string,
    at: number,
  ): Promise<Agreement[]> {
    const rows = await this.db<AgreementRow>('sla_agreements')
      .select('data')
      .where('entity_ref', entityRef.toLocaleLowerCase('en-US'))
      .andWhere(q =>
        q
          .where('status', 'agreed')
          .orWhere('updated_at', '>', new Date(at).toISOString()),
      )
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'asc' },
      ]);
    return rows.map(r => JSON.parse(r.data));
  }

  /**
   * Every version of the agreements (status, when, snapshot as stored), by
   * agreement id, in version order; one query.
   */
  async versionsOf(ids: string[]): Promise<
    Map<
      string,
      Array<{
        version: number;
        status: AgreementStatus;
        changedAt: string;
        snapshot: string;
      }>
    >
  > {
    const found = new Map<
      string,
      Array<{
        version: number;
        status: AgreementStatus;
        changedAt: string;
        snapshot: string;
      }>
    >();
    if (!ids.length) return found;
    const rows = await this.db('sla_agreement_versions')
      .whereIn('agreement_id', ids)
      .select('agreement_id', 'version', 'status', 'changed_at', 'snapshot')
      .orderBy([
        { column: 'agreement_id', order: 'asc' },
        { column: 'version', order: 'asc' },
      ]);
    for (const r of rows) {
      const list = found.get(r.agreement_id) ?? [];
      list.push({
        version: Number(r.version),
        status: r.status,
        changedAt: r.changed_at,
        snapshot: r.snapshot,
      });
      found.set(r.agreement_id, list);
    }
    return found;
  }

  /** Inserts version 1; false when the id is taken (nothing written). */
  async insert(
    agreement: Agreement,
    change: AgreementChange,
  ): Promise<boolean> {
    return this.db.transaction(async tx => {
      // Insert-or-ignore, so that replicas seeding together store each
      // agreement once and neither fails.
      const inserted = await tx('sla_agreements')
        .insert(toRow(agreement))
        .onConflict('id')
        .ignore()
        .returning('id');
      if (!inserted.length) return false;
      await tx('sla_agreement_versions').insert(versionRow(agreement, change));
      const targets = targetRows(agreement);
      if (targets.length) await tx('sla_targets').insert(targets);
      // Seeded agreements in force come signed (flagged migrated).
      if (agreement.signatures?.length) {
        await tx('sla_agreement_signatures').insert(
          agreement.signatures.map((signature, i, all) =>
            signatureRow({
              agreementId: agreement.id,
              entityRef: agreement.entityRef,
              signature,
              completed: i === all.length - 1,
            }),
          ),
        );
      }
      return true;
    });
  }

  /**
   * Stores `agreement` as the version after `expectedVersion`; false (and
   * nothing written) when the stored version is no longer `expectedVersion`.
   */
  async update(
    agreement: Agreement,
    expectedVersion: number,
    change: AgreementChange,
  ): Promise<boolean> {
    return this.db.transaction(tx =>
      writeAgreementVersion(tx, { agreement, expectedVersion, change }),
    );
  }

  async history(id: string): Promise<AgreementHistoryEntry[]> {
    const rows = await this.db('sla_agreement_versions')
      .where('agreement_id', id)
      .orderBy('version', 'desc');
    return rows.map(r => ({
      version: Number(r.version),
      status: r.status,
      changedBy: r.changed_by,
      changedAt: r.changed_at,
      change: JSON.parse(r.change),
      agreement: JSON.parse(r.snapshot),
    }));
  }
}
