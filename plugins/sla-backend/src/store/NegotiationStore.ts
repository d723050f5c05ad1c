import type { Knex } from 'knex';
import type {
  Agreement,
  AgreementComment,
  AgreementParty,
  AgreementSignature,
  NegotiationFacts,
} from '@opensla/backstage-plugin-sla-common';
import { isAwaitingSignature } from '@opensla/backstage-plugin-sla-common';
import {
  AgreementVersionWrite,
  SignatureRecord,
  signatureRow,
  writeAgreementVersion,
} from './AgreementStore';

type CommentRow = {
  id: string;
  agreement_id: string;
  kind: string;
  party: string;
  text: string;
  author: string;
  created_at: string;
  terms_version: number;
};

function toComment(row: CommentRow, termsVersion: number): AgreementComment {
  return {
    id: row.id,
    agreementId: row.agreement_id,
    kind: row.kind as AgreementComment['kind'],
    party: row.party as AgreementParty,
    text: row.text,
    author: row.author,
    createdAt: row.created_at,
    termsVersion: Number(row.terms_version),
    open: Number(row.terms_version) === termsVersion,
  };
}

/**
 * Signatures, comments and change requests (sla_agreement_signatures,
 * sla_agreement_comments). Writes that change the agreement store its new
 * version in the same transaction (`writeAgreementVersion`), so a refused
 * or raced version leaves no signature or request behind.
 * @internal
 */
export class NegotiationStore {
  constructor(private readonly db: Knex) {}

  /**
   * Stores the version that records a signature, and the signature. False
   * (nothing written) when the agreement moved on from `expectedVersion`.
   * The primary key (agreement, terms version, party) keeps one signature
   * per party and round whatever runs at once; the insert ignores a row
   * that is already there.
   */
  async storeSignature(
    write: AgreementVersionWrite,
    record: SignatureRecord,
  ): Promise<boolean> {
    return this.db.transaction(async tx => {
      if (!(await writeAgreementVersion(tx, write))) return false;
      await tx('sla_agreement_signatures')
        .insert(signatureRow(record))
        .onConflict(['agreement_id', 'terms_version', 'party'])
        .ignore();
      return true;
    });
  }

  /** Stores a change request with the version that moves the agreement back to draft. */
  async storeChangeRequest(
    write: AgreementVersionWrite,
    comment: Omit<AgreementComment, 'open'>,
  ): Promise<boolean> {
    return this.db.transaction(async tx => {
      if (!(await writeAgreementVersion(tx, write))) return false;
      await tx('sla_agreement_comments').insert(this.commentRow(comment));
      return true;
    });
  }

  async addComment(comment: Omit<AgreementComment, 'open'>): Promise<void> {
    await this.db('sla_agreement_comments').insert(this.commentRow(comment));
  }

  private commentRow(comment: Omit<AgreementComment, 'open'>): CommentRow {
    return {
      id: comment.id,
      agreement_id: comment.agreementId,
      kind: comment.kind,
      party: comment.party,
      text: comment.text,
      author: comment.author,
      created_at: comment.createdAt,
      terms_version: comment.termsVersion,
    };
  }

  /**
   * Up to `limit` comments of the agreement, newest first then by id,
   * after the position `after` ([createdAt, id]); `open` compares each
   * with the agreement's current terms version.
   */
  async listComments(
    agreement: Pick<Agreement, 'id'>,
    termsVersion: number,
    options: { after?: [string, string]; limit: number; openOnly?: boolean },
  ): Promise<AgreementComment[]> {
    const query = this.db<CommentRow>('sla_agreement_comments').where(
      'agreement_id',
      agreement.id,
    );
    if (options.openOnly) query.where('terms_version', termsVersion);
    if (options.after) {
      const [createdAt, id] = options.after;
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
      .limit(options.limit);
    return rows.map(r => toComment(r, termsVersion));
  }

  /** Every signature of the agreement, every round, oldest first. */
  async signaturesOf(agreementId: string): Promise<AgreementSignature[]> {
    const rows = await this.db('sla_agreement_signatures')
      .where('agreement_id', agreementId)
      .orderBy([
        { column: 'signed_at', order: 'asc' },
        { column: 'party', order: 'desc' },
      ]);
    return rows.map(r => ({
      party: r.party,
      version: Number(r.terms_version),
      signedBy: r.signed_by,
      signedAt: r.signed_at,
      ...(r.on_behalf && Number(r.on_behalf) ? { onBehalf: true } : {}),
      ...(r.migrated && Number(r.migrated) ? { migrated: true } : {}),
    }));
  }

  /**
   * The mean time from proposal to the signature that agreed, of the
   * rounds agreed by signatures with `signedAt` in [from, to) on the
   * entities given (lower-case refs); migrated signatures and rounds
   * without a proposal instant left out. One statement whatever the number
   * of entities (the portfolio asks for 100,000s): the period's agreeing
   * signatures are read (sla_agreement_signatures_signed_idx) and those of
   * other entities skipped here.
   */
  async timeToAgree(
    entityRefs: ReadonlySet<string>,
    period: { from: string; to: string },
  ): Promise<{
    agreedBySignatures: number;
    averageTimeToAgreeMs: number | null;
  }> {
    const rows = await this.db('sla_agreement_signatures')
      .where({ completed: true, migrated: false })
      .whereNotNull('proposed_at')
      .where('signed_at', '>=', period.from)
      .where('signed_at', '<', period.to)
      .select('entity_ref', 'signed_at', 'proposed_at');
    let agreed = 0;
    let totalMs = 0;
    for (const row of rows) {
      if (!entityRefs.has(row.entity_ref)) continue;
      agreed++;
      totalMs += Math.max(
        0,
        Date.parse(row.signed_at) - Date.parse(row.proposed_at),
      );
    }
    return {
      agreedBySignatures: agreed,
      averageTimeToAgreeMs: agreed ? totalMs / agreed : null,
    };
  }

  /**
   * Negotiation figures of the entities' agreements: how many await a
   * signature now, and the mean time from proposal to the signature that
   * agreed (rounds agreed by signatures with `signedAt` in [from, to) when
   * given; migrated signatures and rounds without a proposal instant are
   * left out). Two queries, in batches of 500 refs.
   */
  async facts(
    entityRefs: string[],
    period?: { from?: string; to?: string },
  ): Promise<NegotiationFacts> {
    const refs = [
      ...new Set(entityRefs.map(r => r.toLocaleLowerCase('en-US'))),
    ];
    let awaiting = 0;
    let agreed = 0;
    let totalMs = 0;
    for (let i = 0; i < refs.length; i += 500) {
      const batch = refs.slice(i, i + 500);
      const open = await this.db('sla_agreements')
        .whereIn('entity_ref', batch)
        .whereIn('status', ['negotiation', 'under-review'])
        .select('data');
      for (const row of open) {
        if (isAwaitingSignature(JSON.parse(row.data))) awaiting++;
      }
      const query = this.db('sla_agreement_signatures')
        .whereIn('entity_ref', batch)
        .where({ completed: true, migrated: false })
        .whereNotNull('proposed_at')
        .select('signed_at', 'proposed_at');
      if (period?.from) query.where('signed_at', '>=', period.from);
      if (period?.to) query.where('signed_at', '<', period.to);
      for (const row of await query) {
        agreed++;
        totalMs += Math.max(
          0,
          Date.parse(row.signed_at) - Date.parse(row.proposed_at),
        );
      }
    }
    return {
      awaitingSignature: awaiting,
      agreedBySignatures: agreed,
      averageTimeToAgreeMs: agreed ? totalMs / agreed : null,
    };
  }
}
