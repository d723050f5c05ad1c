import { isDatabaseConflictError } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import type { Agreement } from '@opensla/backstage-plugin-sla-common';

const CHUNK = 500;

/**
 * Persistence for expiry: the agreements that can expire, and the advance
 * notices recorded per validity period (agreement id + validUntil, as an
 * ISO 8601 UTC string). One statement per method, no business rules.
 * @internal
 */
export class ExpiryStore {
  constructor(private readonly db: Knex) {}

  /** Agreements with a validUntil in a status that expires (agreed, under review). */
  async expiring(): Promise<Agreement[]> {
    const rows = await this.db('sla_agreements')
      .whereIn('status', ['agreed', 'under-review'])
      .whereNotNull('valid_until')
      .orderBy('id')
      .select('data');
    return rows.map(r => JSON.parse(r.data));
  }

  /** The thresholds recorded (sent or skipped), by `${agreementId} ${validUntil}`. */
  async recorded(agreementIds: string[]): Promise<Map<string, number[]>> {
    const out = new Map<string, number[]>();
    for (let i = 0; i < agreementIds.length; i += CHUNK) {
      const rows = await this.db('sla_expiry_notices')
        .whereIn('agreement_id', agreementIds.slice(i, i + CHUNK))
        .select('agreement_id', 'valid_until', 'days');
      for (const row of rows) {
        const key = `${row.agreement_id} ${row.valid_until}`;
        out.set(key, [...(out.get(key) ?? []), Number(row.days)]);
      }
    }
    return out;
  }

  /**
   * Claims the notice of `days` for the period: true when this call
   * recorded it (and so must send it), false when another run (a replica,
   * an earlier run) already had.
   */
  async claim(
    agreementId: string,
    validUntil: string,
    days: number,
    at: string,
  ): Promise<boolean> {
    try {
      await this.db('sla_expiry_notices').insert({
        agreement_id: agreementId,
        valid_until: validUntil,
        days,
        sent: true,
        recorded_at: at,
      });
      return true;
    } catch (error) {
      if (isDatabaseConflictError(error)) return false;
      throw error;
    }
  }

  /** Records thresholds that will not be sent (crossed with a nearer one). */
  async skip(
    agreementId: string,
    validUntil: string,
    days: number[],
    at: string,
  ): Promise<void> {
    if (!days.length) return;
    await this.db('sla_expiry_notices')
      .insert(
        days.map(d => ({
          agreement_id: agreementId,
          valid_until: validUntil,
          days: d,
          sent: false,
          recorded_at: at,
        })),
      )
      .onConflict(['agreement_id', 'valid_until', 'days'])
      .ignore();
  }
}
