import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
} from '@backstage/errors';
import {
  AGREEMENT_PARTIES,
  Agreement,
  AgreementComment,
  AgreementNegotiation,
  AgreementParty,
  AgreementSignature,
  NegotiationFacts,
  Review,
  TransitionRequest,
  awaitedParties,
  isSigningOpen,
  partyLabel,
  signaturesOnTerms,
  termsVersionOf,
} from '@opensla/backstage-plugin-sla-common';
import { v4 as uuid } from 'uuid';
import { AgreementStore, AgreementVersionWrite } from '../store/AgreementStore';
import { NegotiationStore } from '../store/NegotiationStore';
import { AgreementParties, ResolvedParties } from './AgreementParties';
import {
  AgreementService,
  Clock,
  assertNotManaged,
  principalRef,
  withDerived,
} from './AgreementService';
import { Page, PageRequest, pageOfRows } from './pagination';
import { SlaNotifier } from './SlaNotifier';

/** The longest comment or change request, in characters. */
const MAX_TEXT = 4000;
/** Versioned writes lost to concurrent changes are tried again this often. */
const ATTEMPTS = 5;

function partyOf(body: any, field = 'party'): AgreementParty | undefined {
  const party = body?.[field];
  if (party === undefined) return undefined;
  if (!AGREEMENT_PARTIES.includes(party)) {
    throw new InputError(`${field} must be one of provider, customer`);
  }
  return party;
}

function textOf(body: any): string {
  const text = typeof body?.text === 'string' ? body.text.trim() : '';
  if (!text) throw new InputError('text must be a non-empty string');
  if (text.length > MAX_TEXT) {
    throw new InputError(`text must be at most ${MAX_TEXT} characters`);
  }
  return text;
}

/**
 * Negotiation between the provider and the customer of an agreement:
 * signatures, comments and change requests (docs/api.md "Negotiation").
 *
 * An agreement whose customer names a catalog Group or User other than
 * the provider's owners is agreed when both parties have signed the same
 * terms version; the second signature moves it to agreed in the same
 * transaction. Writes are versioned like every agreement write; one lost
 * to a concurrent change is read again and tried again, so two people
 * signing for one party at once store one signature and both get the
 * agreement back.
 * @internal
 */
export class NegotiationService {
  constructor(
    private readonly options: {
      agreements: AgreementService;
      agreementStore: AgreementStore;
      store: NegotiationStore;
      parties: AgreementParties;
      notifier: SlaNotifier;
      clock: Clock;
    },
  ) {}

  private now(): string {
    return this.options.clock().toISOString();
  }

  async sign(
    credentials: BackstageCredentials,
    id: string,
    body: unknown,
  ): Promise<Agreement> {
    const request = body as {
      party?: unknown;
      version?: unknown;
      viabilityOverride?: { reason: string };
      comment?: string;
    };
    const party = partyOf(request);
    if (!party) throw new InputError('party must be one of provider, customer');
    if (
      typeof request.version !== 'number' ||
      !Number.isInteger(request.version) ||
      request.version < 1
    ) {
      throw new InputError('version must be a whole number of at least 1');
    }
    if (
      request.viabilityOverride !== undefined &&
      !request.viabilityOverride?.reason?.trim?.()
    ) {
      throw new InputError('viabilityOverride.reason must be a non-empty string');
    }
    return this.signAs(credentials, id, {
      party,
      version: request.version,
      viabilityOverride: request.viabilityOverride,
      comment: request.comment,
    });
  }

  private async signAs(
    credentials: BackstageCredentials,
    id: string,
    request: {
      party: AgreementParty;
      version: number;
      viabilityOverride?: { reason: string };
      comment?: string;
    },
  ): Promise<Agreement> {
    const { party, version } = request;
    await this.options.agreements.load(credentials, id);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const current = (await this.options.agreementStore.get(id))!;
      assertNotManaged(current);
      if (!isSigningOpen(current.status)) {
        throw new ConflictError(
          `Signatures are given while an agreement is in negotiation or under review; this one is ${current.status}`,
        );
      }
      const terms = termsVersionOf(current);
      if (version > current.version || version < terms) {
        throw new ConflictError(
          `version ${version} is stale: the terms were set at version ${terms} (by ${current.updatedBy} at ${current.updatedAt}); reload the agreement, read the terms and sign again`,
        );
      }
      const parties = await this.options.parties.resolve(current);
      if (party === 'customer' && !parties.customerMustSign) {
        throw new ConflictError(
          'This agreement has no customer that signs (its customer names no catalog group or user, or names the provider itself); the provider signs alone',
        );
      }
      const right = await this.options.parties.maySign(
        credentials,
        parties,
        party,
      );
      if (!right.allowed) {
        throw new NotAllowedError(
          `Only members of ${this.options.parties
            .refsOf(parties, party)
            .join(', ')} may sign for the ${party}`,
        );
      }
      const signed = signaturesOnTerms(current);
      // Someone signed for this party meanwhile: one signature, no error.
      if (signed.some(s => s.party === party)) return withDerived(current);
      const by = principalRef(credentials);
      const signature: AgreementSignature = {
        party,
        version: terms,
        signedBy: by,
        signedAt: this.now(),
        ...(right.onBehalf ? { onBehalf: true } : {}),
      };
      const withSignature: Agreement = {
        ...current,
        termsVersion: terms,
        signatures: [...signed, signature],
      };
      const awaited = awaitedParties(withSignature, parties.customerMustSign);
      const said = `Signed for the ${party} by ${by}${
        right.onBehalf ? ' (on behalf)' : ''
      } (terms of version ${terms})`;
      let write: AgreementVersionWrite;
      if (awaited.length === 0) {
        const planned = await this.options.agreements.planTransition(
          withSignature,
          {
            to: 'agreed',
            ...(request.viabilityOverride
              ? { viabilityOverride: request.viabilityOverride }
              : {}),
            ...(request.comment ? { comment: request.comment } : {}),
          },
          credentials,
        );
        write = {
          ...planned,
          change: {
            ...planned.change,
            summary: `${said}; ${planned.change.summary}`,
            signature,
          },
        };
      } else {
        write = {
          agreement: {
            ...withSignature,
            version: current.version + 1,
            updatedAt: signature.signedAt,
            updatedBy: by,
          },
          expectedVersion: current.version,
          change: {
            type: 'signed',
            summary: `${said}; awaiting the ${awaited
              .map(partyLabel)
              .join(' and the ')} signature`,
            signature,
            ...(request.comment ? { comment: request.comment } : {}),
          },
        };
      }
      const stored = await this.options.store.storeSignature(write, {
        agreementId: current.id,
        entityRef: current.entityRef,
        signature,
        completed: awaited.length === 0,
        proposedAt: current.proposedAt,
      });
      if (stored) {
        await this.tellAfterSigning(write.agreement, parties, party, awaited, by);
        return withDerived(write.agreement);
      }
    }
    throw new ConflictError(
      'The agreement kept changing while signing; reload it and sign again',
    );
  }

  private async tellAfterSigning(
    agreement: Agreement,
    parties: ResolvedParties,
    signedFor: AgreementParty,
    awaited: AgreementParty[],
    by: string,
  ) {
    const { notifier, parties: resolver } = this.options;
    if (awaited.length) {
      for (const party of awaited) {
        await notifier.notifyNegotiation(
          agreement,
          resolver.refsOf(parties, party),
          { type: 'signature-awaited', awaited: party, by, signedFor },
        );
      }
      return;
    }
    const others = AGREEMENT_PARTIES.filter(
      p => p !== signedFor && (p === 'provider' || parties.customerMustSign),
    ).flatMap(p => resolver.refsOf(parties, p));
    await notifier.notifyNegotiation(agreement, others, { type: 'agreed', by });
  }

  /**
   * POST /transitions with the meaning it keeps once customers sign. To
   * `agreed`, when the customer must sign: the caller's signature for the
   * one party still awaited, when the caller may give it; otherwise a 409
   * that names the awaited signature, and nothing changes. Every other move
   * (and every move of an agreement whose customer does not sign) is the
   * plain transition; a proposal (to `negotiation`) tells the customer its
   * signature is awaited.
   */
  async transition(
    credentials: BackstageCredentials,
    id: string,
    request: TransitionRequest,
  ): Promise<Agreement> {
    const { agreements, parties: resolver } = this.options;
    if (request.to === 'agreed') {
      const current = await agreements.load(credentials, id);
      const parties = await resolver.resolve(current);
      if (parties.customerMustSign && isSigningOpen(current.status)) {
        if (request.version !== undefined && request.version !== current.version) {
          throw new ConflictError(
            `version ${request.version} is stale: the agreement is now at version ${current.version}; reload it`,
          );
        }
        if (request.validUntil) {
          throw new ConflictError(
            'The customer signs this agreement: to prolong it, edit validUntil while it is under review (or hold a review with the decision prolong) and both parties sign the new terms',
          );
        }
        const awaited = awaitedParties(current, true);
        const completes =
          awaited.length === 1 &&
          (await resolver.maySign(credentials, parties, awaited[0])).allowed;
        if (!completes) {
          throw new ConflictError(
            `The agreement is awaiting the ${awaited
              .map(partyLabel)
              .join(' and the ')} signature; it is agreed when both the provider and the customer (${
              parties.customer
            }) have signed (POST /agreements/${id}/signatures)`,
          );
        }
        return this.signAs(credentials, id, {
          party: awaited[0],
          version: current.version,
          viabilityOverride: request.viabilityOverride,
          comment: request.comment,
        });
      }
    }
    const moved = await agreements.transition(credentials, id, request);
    if (moved.status === 'negotiation') {
      const parties = await resolver.resolve(moved);
      const awaited = awaitedParties(moved, parties.customerMustSign);
      if (parties.customerMustSign && awaited.includes('customer')) {
        await this.options.notifier.notifyNegotiation(
          moved,
          resolver.refsOf(parties, 'customer'),
          { type: 'signature-awaited', awaited: 'customer' },
        );
      }
    }
    return moved;
  }

  /**
   * A held review's decision left the agreement awaiting signatures (a
   * prolongation or an amendment of an agreement whose customer signs):
   * the review is the provider's act, so the customer hears that its
   * signature is awaited, as after a proposal.
   */
  async tellReviewRound(agreement: Agreement, review: Review): Promise<void> {
    const { parties: resolver, notifier } = this.options;
    const parties = await resolver.resolve(agreement);
    if (!parties.customerMustSign) return;
    if (!awaitedParties(agreement, true).includes('customer')) return;
    await notifier.notifyNegotiation(
      agreement,
      resolver.refsOf(parties, 'customer'),
      {
        type: 'signature-awaited',
        awaited: 'customer',
        by: review.updatedBy,
        review: { id: review.id, decision: review.decision?.type ?? 'prolong' },
      },
    );
  }

  /** The party the caller speaks for: the one asked, else one it may sign for. */
  private async speaker(
    credentials: BackstageCredentials,
    parties: ResolvedParties,
    asked: AgreementParty | undefined,
  ): Promise<AgreementParty> {
    const candidates: AgreementParty[] = asked
      ? [asked]
      : ['provider', 'customer'];
    for (const party of candidates) {
      if (party === 'customer' && !parties.customerMustSign) continue;
      if (
        (await this.options.parties.maySign(credentials, parties, party))
          .allowed
      ) {
        return party;
      }
    }
    throw new NotAllowedError(
      asked
        ? `Only members of ${this.options.parties
            .refsOf(parties, asked)
            .join(', ') || `the ${asked}`} may speak for the ${asked}`
        : 'Only members of the provider or the customer may comment or request changes',
    );
  }

  async comment(
    credentials: BackstageCredentials,
    id: string,
    body: unknown,
  ): Promise<AgreementComment> {
    const text = textOf(body);
    const asked = partyOf(body);
    const current = await this.options.agreements.load(credentials, id);
    if (current.status === 'withdrawn') {
      throw new ConflictError('A withdrawn agreement takes no comments');
    }
    const parties = await this.options.parties.resolve(current);
    const party = await this.speaker(credentials, parties, asked);
    const comment = {
      id: uuid(),
      agreementId: id,
      kind: 'comment' as const,
      text,
      party,
      author: principalRef(credentials),
      createdAt: this.now(),
      termsVersion: termsVersionOf(current),
    };
    await this.options.store.addComment(comment);
    // The other party hears of it (only where the customer is a party of
    // its own: a provider commenting on its own agreement tells no one).
    if (parties.customerMustSign) {
      const other: AgreementParty =
        party === 'customer' ? 'provider' : 'customer';
      await this.options.notifier.notifyNegotiation(
        current,
        this.options.parties.refsOf(parties, other),
        { type: 'commented', by: comment.author, party, text },
      );
    }
    return { ...comment, open: true };
  }

  async listComments(
    credentials: BackstageCredentials,
    id: string,
    page: PageRequest,
    openOnly = false,
  ): Promise<Page<AgreementComment>> {
    const current = await this.options.agreements.load(credentials, id);
    const rows = await this.options.store.listComments(
      current,
      termsVersionOf(current),
      {
        after: page.after as [string, string] | undefined,
        limit: page.limit + 1,
        openOnly,
      },
    );
    return pageOfRows('comments', rows, c => [c.createdAt, c.id], page.limit);
  }

  /**
   * A change request: recorded with the text, and the agreement goes back
   * to draft (negotiation → draft) in the same transaction; the other
   * party is told.
   */
  async requestChanges(
    credentials: BackstageCredentials,
    id: string,
    body: unknown,
  ): Promise<Agreement> {
    const text = textOf(body);
    const asked = partyOf(body);
    await this.options.agreements.load(credentials, id);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const current = (await this.options.agreementStore.get(id))!;
      if (current.status !== 'negotiation') {
        throw new ConflictError(
          `Changes are requested on a proposal (negotiation); this agreement is ${current.status}`,
        );
      }
      const parties = await this.options.parties.resolve(current);
      const party = await this.speaker(credentials, parties, asked);
      const by = principalRef(credentials);
      const planned = await this.options.agreements.planTransition(
        current,
        { to: 'draft', comment: text },
        credentials,
      );
      const write: AgreementVersionWrite = {
        ...planned,
        change: {
          ...planned.change,
          type: 'changes-requested',
          summary: `Changes requested for the ${party} by ${by}; negotiation → draft`,
        },
      };
      const stored = await this.options.store.storeChangeRequest(write, {
        id: uuid(),
        agreementId: id,
        kind: 'change-request',
        text,
        party,
        author: by,
        createdAt: planned.agreement.updatedAt,
        termsVersion: termsVersionOf(current),
      });
      if (stored) {
        const other: AgreementParty =
          party === 'customer' ? 'provider' : 'customer';
        await this.options.notifier.notifyNegotiation(
          write.agreement,
          this.options.parties.refsOf(parties, other),
          { type: 'changes-requested', by, text },
        );
        return withDerived(write.agreement);
      }
    }
    throw new ConflictError(
      'The agreement kept changing; reload it and request the changes again',
    );
  }

  /** The parties, who signs for each, the signatures awaited and the open comments. */
  async negotiation(
    credentials: BackstageCredentials,
    id: string,
  ): Promise<AgreementNegotiation> {
    const current = await this.options.agreements.load(credentials, id);
    const { parties: resolver } = this.options;
    const parties = await resolver.resolve(current);
    const signed = signaturesOnTerms(current);
    const views = await Promise.all(
      AGREEMENT_PARTIES.filter(
        p =>
          p === 'provider' || parties.customer !== undefined,
      ).map(async party => {
        const refs = resolver.refsOf(parties, party);
        const mustSign = party === 'provider' || parties.customerMustSign;
        const signature = signed.find(s => s.party === party);
        return {
          party,
          ...(refs[0] ? { entityRef: refs[0] } : {}),
          mustSign,
          signers: await resolver.signersOf(refs),
          callerMaySign:
            mustSign &&
            (await resolver.maySign(credentials, parties, party)).allowed,
          ...(signature ? { signature } : {}),
        };
      }),
    );
    const termsVersion = termsVersionOf(current);
    const openComments = await this.options.store.listComments(
      current,
      termsVersion,
      { limit: 20, openOnly: true },
    );
    return {
      agreementId: current.id,
      status: current.status,
      termsVersion,
      open: isSigningOpen(current.status),
      parties: views,
      awaiting: awaitedParties(current, parties.customerMustSign),
      openComments,
    };
  }

  /**
   * For the portfolio: agreements awaiting a signature and the mean time
   * from proposal to the second signature, over the entities given (the
   * caller decides which entities the reader may see).
   */
  async facts(
    entityRefs: string[],
    period?: { from?: string; to?: string },
  ): Promise<NegotiationFacts> {
    return this.options.store.facts(entityRefs, period);
  }

  /**
   * For the portfolio: the mean time from proposal to the second signature
   * in a period over the entities given (lower-case refs, those the reader
   * may see), in one statement whatever their number.
   */
  async timeToAgree(
    entityRefs: ReadonlySet<string>,
    period: { from: string; to: string },
  ): Promise<{ averageTimeToAgreeMs: number | null }> {
    return this.options.store.timeToAgree(entityRefs, period);
  }

  /** Every signature of an agreement, every round (for reports). */
  async signaturesOf(agreementId: string): Promise<AgreementSignature[]> {
    return this.options.store.signaturesOf(agreementId);
  }
}
