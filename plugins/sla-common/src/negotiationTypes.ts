import type { AgreementStatus } from './types';

/**
 * Negotiation between the two parties of an agreement (issue 16): who
 * signs for whom, which terms they signed, and what they said.
 */

/** The two sides of an agreement. @public */
export type AgreementParty = 'provider' | 'customer';

/**
 * One party's signature on one round of terms. A round is identified by
 * `version`: the agreement version at which the terms being signed were set
 * (the agreement's `termsVersion`). Both parties signing the same round
 * agrees the agreement.
 * @public
 */
export type AgreementSignature = {
  party: AgreementParty;
  /** The terms version signed (the agreement's `termsVersion` then). */
  version: number;
  /** The user (or service) that signed. */
  signedBy: string;
  signedAt: string;
  /** Signed by someone who is not a member of the party (allowed by the permission policy). */
  onBehalf?: boolean;
  /** Recorded by the migration (or a seed) for agreements agreed before signatures existed. */
  migrated?: boolean;
};

/** A comment or change request in an agreement's negotiation. @public */
export type AgreementComment = {
  id: string;
  agreementId: string;
  kind: 'comment' | 'change-request';
  text: string;
  /** The party the author spoke for. */
  party: AgreementParty;
  author: string;
  createdAt: string;
  /** The terms version it was made on. */
  termsVersion: number;
  /** Made on the current terms (not yet answered by a change of the terms). */
  open: boolean;
};

/** One party of an agreement as the negotiation shows it. @public */
export type NegotiationPartyView = {
  party: AgreementParty;
  /** The catalog entity (group or user) that signs for the party. */
  entityRef?: string;
  /** Whether this party's signature is needed for the agreement to be agreed. */
  mustSign: boolean;
  /** Who may sign as a member (users of the group, or the user). */
  signers: string[];
  /** The caller may sign for this party (as a member, or on behalf by policy). */
  callerMaySign: boolean;
  /** The signature on the current terms, when given. */
  signature?: AgreementSignature;
};

/** The negotiation state of an agreement (GET /agreements/{id}/negotiation). @public */
export type AgreementNegotiation = {
  agreementId: string;
  status: AgreementStatus;
  /** The agreement version whose terms are being signed. */
  termsVersion: number;
  /** Whether signatures can be given now (negotiation or under-review). */
  open: boolean;
  parties: NegotiationPartyView[];
  /** The parties whose signature is still needed, in order (provider first). */
  awaiting: AgreementParty[];
  /** Open comments and change requests (on the current terms), newest first, up to 20. */
  openComments: AgreementComment[];
};

/** Body of POST /agreements/{id}/signatures. @public */
export type SignatureRequest = {
  party: AgreementParty;
  /** The agreement version the signer read. */
  version: number;
};

/**
 * Negotiation figures over a set of services, for the portfolio: how many
 * agreements await a signature, and how long agreeing took.
 * @public
 */
export type NegotiationFacts = {
  /** Agreements in negotiation, or under review with a signature given. */
  awaitingSignature: number;
  /** Agreements agreed by both parties' signatures (migrated ones left out). */
  agreedBySignatures: number;
  /** Mean time from the proposal to the second signature, ms; null when none. */
  averageTimeToAgreeMs: number | null;
};
