import type { Agreement, AgreementStatus } from '../types';
import type { AgreementParty, AgreementSignature } from '../negotiationTypes';

/** Provider first: the order parties are listed and awaited in. @public */
export const AGREEMENT_PARTIES: AgreementParty[] = ['provider', 'customer'];

/**
 * The catalog entity that signs for the customer: the agreement's
 * `customer` when it names a Group or User by entity ref (`group:team-a`,
 * `group:default/team-a`, `user:default/jane`), lower-cased in full form.
 * Free text (e.g. "All web shop customers") names no party that signs.
 * @public
 */
export function customerPartyRef(customer?: string): string | undefined {
  const match = /^\s*(group|user):(?:([a-z0-9._-]+)\/)?([a-z0-9._-]+)\s*$/i.exec(
    customer ?? '',
  );
  if (!match) return undefined;
  const [, kind, namespace, name] = match;
  return `${kind}:${namespace ?? 'default'}/${name}`.toLocaleLowerCase('en-US');
}

/**
 * Whether the customer must sign: it names a group or user that is not
 * one of the providing entity's owners (an owner team agreeing with itself
 * signs once, as the provider).
 * @public
 */
export function customerMustSign(
  agreement: Pick<Agreement, 'customer'>,
  ownerRefs: string[],
): boolean {
  const customer = customerPartyRef(agreement.customer);
  if (!customer) return false;
  return !ownerRefs.some(o => o.toLocaleLowerCase('en-US') === customer);
}

/** The version whose terms are being signed. @public */
export function termsVersionOf(
  agreement: Pick<Agreement, 'termsVersion' | 'version'>,
): number {
  return agreement.termsVersion ?? agreement.version;
}

/** The signatures given on the current terms. @public */
export function signaturesOnTerms(
  agreement: Pick<Agreement, 'termsVersion' | 'version' | 'signatures'>,
): AgreementSignature[] {
  const terms = termsVersionOf(agreement);
  return (agreement.signatures ?? []).filter(s => s.version === terms);
}

/** Signatures are given while the terms are negotiated or reviewed. @public */
export function isSigningOpen(status: AgreementStatus): boolean {
  return status === 'negotiation' || status === 'under-review';
}

/** The parties whose signature agrees the agreement. @public */
export function requiredParties(mustCustomerSign: boolean): AgreementParty[] {
  return mustCustomerSign ? ['provider', 'customer'] : ['provider'];
}

/**
 * The parties whose signature is still needed on the current terms
 * (provider first); empty when signing is not open.
 * @public
 */
export function awaitedParties(
  agreement: Pick<
    Agreement,
    'status' | 'termsVersion' | 'version' | 'signatures'
  >,
  mustCustomerSign: boolean,
): AgreementParty[] {
  if (!isSigningOpen(agreement.status)) return [];
  const signed = new Set(signaturesOnTerms(agreement).map(s => s.party));
  return requiredParties(mustCustomerSign).filter(p => !signed.has(p));
}

/**
 * Whether the agreement waits for a signature: proposed (in negotiation),
 * or under review with signatures asked for (a review's prolongation of
 * the same terms) or a signature already given on the new round.
 * @public
 */
export function isAwaitingSignature(
  agreement: Pick<
    Agreement,
    | 'status'
    | 'termsVersion'
    | 'version'
    | 'signatures'
    | 'signaturesRequestedAt'
  >,
): boolean {
  if (agreement.status === 'negotiation') return true;
  return (
    agreement.status === 'under-review' &&
    (agreement.signaturesRequestedAt !== undefined ||
      signaturesOnTerms(agreement).length > 0)
  );
}

/**
 * A move that opens a new round of signatures although the terms did not
 * change: leaving `agreed` (a review) or `expired` (renegotiation). The
 * signatures that agreed the previous round stay in the history.
 * @public
 */
export function startsNewRound(
  from: AgreementStatus,
  to: AgreementStatus,
): boolean {
  return (
    (from === 'agreed' || from === 'expired') &&
    (to === 'under-review' || to === 'negotiation')
  );
}

/**
 * `next` (a new version) with new terms: its own version becomes the terms
 * version and the signatures of the previous terms are gone. Returns the
 * signatures it voided (on the previous terms), for the history.
 * @public
 */
export function withNewTerms(
  next: Agreement,
  previous: Agreement,
): { agreement: Agreement; voided: AgreementSignature[] } {
  const voided = signaturesOnTerms(previous);
  const { signatures: _gone, ...rest } = next;
  return { agreement: { ...rest, termsVersion: next.version }, voided };
}

/** How a party is named in messages and the UI. @public */
export function partyLabel(party: AgreementParty): string {
  return party === 'provider' ? "provider's" : "customer's";
}
