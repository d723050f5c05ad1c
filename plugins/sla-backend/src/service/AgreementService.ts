import { MAX_PAGE_SIZE, Page, PageRequest, pageOfRows } from './pagination';
import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  Agreement,
  AgreementHistoryEntry,
  AgreementParty,
  AgreementInput,
  EntityAccess,
  TransitionRequest,
  allowedTransitions,
  awaitedParties,
  customerPartyRef,
  partyLabel,
  startsNewRound,
  withNewTerms,
  diffAgreements,
  formatFieldErrors,
  isEditableStatus,
  isTransitionAllowed,
  nextReviewDue,
  normalizeAgreementInput,
  slaAgreementCreatePermission,
  slaAgreementReadPermission,
  slaAgreementUpdatePermission,
  validateAgreementInput,
} from '@opensla/backstage-plugin-sla-common';
import type { SeedAgreement } from '@opensla/backstage-plugin-sla-node';
import { v4 as uuid } from 'uuid';
import {
  AgreementFilter,
  AgreementStore,
  AgreementVersionWrite,
} from '../store/AgreementStore';
import { EntityAccessGuard } from './EntityAccessGuard';
import type { ViabilityService } from './ViabilityService';
import type { AgreementParties } from './AgreementParties';
import { isExpiredAt } from '../domain/expiry';

/** Who the history names for the moves the plugin makes itself (expiry). */
export const PLUGIN_PRINCIPAL = 'plugin:sla';

/** Instants come from here, so tests can fix the time. @internal */
export type Clock = () => Date;

/** @internal */
export function principalRef(credentials: BackstageCredentials): string {
  const p = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (p.type === 'user' && p.userEntityRef) return p.userEntityRef;
  return p.subject ?? p.type;
}

function validated(input: unknown, mode: 'create' | 'update'): AgreementInput {
  const errors = validateAgreementInput(input, mode);
  if (errors.length) throw new InputError(formatFieldErrors(errors));
  return input as AgreementInput;
}

/** Agreements kept from files change only when their files change. */
/** @internal */
export function assertNotManaged(agreement: Agreement) {
  if (agreement.managed) {
    throw new ConflictError(
      `This agreement is managed as code from ${agreement.managed.locations.join(
        ', ',
      )} (OpenSLO); edit those files instead, and the plugin applies them on its next read`,
    );
  }
}

/** @internal */
export function withDerived(agreement: Agreement): Agreement {
  const due = nextReviewDue(agreement);
  const { nextReviewDue: _stale, ...rest } = agreement;
  return due ? { ...rest, nextReviewDue: due } : rest;
}

/**
 * The agreements use cases: validation, access, lifecycle and versioning.
 * Route handlers call one method each; the store does the persistence.
 * @internal
 */
export class AgreementService {
  constructor(
    private readonly options: {
      store: AgreementStore;
      guard: EntityAccessGuard;
      logger: LoggerService;
      clock: Clock;
      /** Refuses (409) to agree a target that is not viable, unless overridden. */
      viability?: Pick<ViabilityService, 'checkBeforeAgreeing'>;
      /**
       * The parties of each agreement: with them, an agreement whose
       * customer must sign is agreed only by both parties' signatures.
       */
      parties?: AgreementParties;
    },
  ) {}

  private now(): string {
    return this.options.clock().toISOString();
  }

  private async readable(
    credentials: BackstageCredentials,
    agreements: Agreement[],
  ): Promise<Agreement[]> {
    const allowed = await this.options.guard.readableRefs(credentials, [
      ...new Set(agreements.map(a => a.entityRef)),
    ]);
    return agreements.filter(a => allowed.has(a.entityRef));
  }

  /**
   * One page of the agreements the caller may read. Rows are read in list
   * order a batch at a time and filtered by the read permission (one
   * decision per batch), until the page is full or the rows run out.
   */
  async list(
    credentials: BackstageCredentials,
    filter: AgreementFilter,
    page: PageRequest = { limit: MAX_PAGE_SIZE },
  ): Promise<Page<Agreement>> {
    const found: Agreement[] = [];
    let after = page.after as [string, string] | undefined;
    const batch = Math.max(page.limit + 1, 100);
    for (;;) {
      const rows = await this.options.store.listAfter(filter, after, batch);
      found.push(...(await this.readable(credentials, rows)));
      if (found.length > page.limit || rows.length < batch) break;
      const last = rows[rows.length - 1];
      after = [last.createdAt, last.id];
    }
    return pageOfRows(
      'agreements',
      found.slice(0, page.limit + 1).map(withDerived),
      a => [a.createdAt, a.id],
      page.limit,
    );
  }

  async get(credentials: BackstageCredentials, id: string): Promise<Agreement> {
    return withDerived(await this.load(credentials, id));
  }

  /** The stored agreement, after the read check. */
  async load(
    credentials: BackstageCredentials,
    id: string,
  ): Promise<Agreement> {
    const agreement = await this.options.store.get(id);
    if (!agreement) throw new NotFoundError(`No agreement with id ${id}`);
    await this.options.guard.assertAllowed(
      credentials,
      slaAgreementReadPermission,
      agreement.entityRef,
      undefined,
    );
    return agreement;
  }

  async history(
    credentials: BackstageCredentials,
    id: string,
  ): Promise<AgreementHistoryEntry[]> {
    await this.load(credentials, id);
    return this.options.store.history(id);
  }

  async access(
    credentials: BackstageCredentials,
    entityRef: string,
  ): Promise<EntityAccess> {
    const entity = await this.options.guard.getEntity(entityRef);
    const ref = entity ? stringifyEntityRef(entity) : entityRef;
    const [create, update] = await Promise.all(
      [slaAgreementCreatePermission, slaAgreementUpdatePermission].map(p =>
        entity
          ? this.options.guard.isAllowed(credentials, p, ref, entity)
          : Promise.resolve(false),
      ),
    );
    return { entityRef: ref, create, update };
  }

  private async entityFor(entityRef: string) {
    const entity = await this.options.guard.getEntity(entityRef);
    if (!entity) {
      throw new InputError(
        `entityRef ${entityRef} is not an entity in the catalog`,
      );
    }
    return { entity, ref: stringifyEntityRef(entity) };
  }

  async create(
    credentials: BackstageCredentials,
    body: unknown,
  ): Promise<Agreement> {
    const input = validated(body, 'create');
    const { entity, ref } = await this.entityFor(input.entityRef);
    await this.options.guard.assertAllowed(
      credentials,
      slaAgreementCreatePermission,
      ref,
      entity,
    );
    const now = this.now();
    const by = principalRef(credentials);
    const agreement: Agreement = {
      ...normalizeAgreementInput({ ...input, entityRef: ref }),
      id: uuid(),
      status: input.status ?? 'requirements',
      version: 1,
      termsVersion: 1,
      createdAt: now,
      createdBy: by,
      updatedAt: now,
      updatedBy: by,
    };
    await this.options.store.insert(agreement, {
      type: 'created',
      summary: `Created in ${agreement.status}`,
    });
    return withDerived(agreement);
  }

  private staleError(current: Agreement, sent: number) {
    return new ConflictError(
      `version ${sent} is stale: the agreement was changed by ${current.updatedBy} at ${current.updatedAt} and is now at version ${current.version}; reload it and apply your change again`,
    );
  }

  async update(
    credentials: BackstageCredentials,
    id: string,
    body: unknown,
  ): Promise<Agreement> {
    const input = validated(body, 'update');
    const current = await this.load(credentials, id);
    const { entity, ref } = await this.entityFor(input.entityRef);
    if (ref !== current.entityRef) {
      throw new InputError(
        `entityRef cannot change (the agreement belongs to ${current.entityRef}); withdraw it and create a new one instead`,
      );
    }
    await this.options.guard.assertAllowed(
      credentials,
      slaAgreementUpdatePermission,
      ref,
      entity,
    );
    assertNotManaged(current);
    if (input.version !== current.version) {
      throw this.staleError(current, input.version!);
    }
    if (!isEditableStatus(current.status)) {
      throw new ConflictError(
        `An agreement in status ${current.status} cannot be edited; ${
          current.status === 'agreed'
            ? 'start a review (under-review) to amend it'
            : 'it is closed'
        }`,
      );
    }
    const content = normalizeAgreementInput({ ...input, entityRef: ref });
    const diff = diffAgreements(current, content);
    const now = this.now();
    // New content is new terms: the signatures given on the previous terms
    // are void (recorded in this version's change) and needed again.
    const { agreement: next, voided } = withNewTerms(
      {
        ...current,
        ...content,
        version: current.version + 1,
        updatedAt: now,
        updatedBy: principalRef(credentials),
      },
      current,
    );
    for (const key of [
      'scope',
      'description',
      'customer',
      'provider',
      'validFrom',
      'validUntil',
      'reviewInterval',
    ] as const) {
      if (content[key] === undefined) delete next[key];
    }
    const stored = await this.options.store.update(next, current.version, {
      type: 'updated',
      summary: voided.length
        ? `${diff.summary}; signatures voided (${voided
            .map(v => `${v.party} by ${v.signedBy}`)
            .join(', ')})`
        : diff.summary,
      fields: diff.fields,
      ...(voided.length ? { voidedSignatures: voided } : {}),
    });
    if (!stored) {
      throw this.staleError(
        (await this.options.store.get(id))!,
        input.version!,
      );
    }
    return withDerived(next);
  }

  async transition(
    credentials: BackstageCredentials,
    id: string,
    request: TransitionRequest,
  ): Promise<Agreement> {
    const current = await this.load(credentials, id);
    const entity = await this.options.guard.getEntity(current.entityRef);
    await this.options.guard.assertAllowed(
      credentials,
      slaAgreementUpdatePermission,
      current.entityRef,
      entity,
    );
    if (request.version !== undefined && request.version !== current.version) {
      throw this.staleError(current, request.version);
    }
    const write = await this.planTransition(current, request, credentials);
    if (
      !(await this.options.store.update(
        write.agreement,
        current.version,
        write.change,
      ))
    ) {
      throw this.staleError(
        (await this.options.store.get(id))!,
        current.version,
      );
    }
    return withDerived(write.agreement);
  }

  /**
   * The version a lifecycle move of `current` makes, after every check of
   * the move (allowed, targets, validUntil, viability), without writing
   * it. The caller has checked access; `credentials` name who moves it in
   * the history. Callers that make several moves at once (a review's
   * decision) plan each on the previous one's result and store them in one
   * transaction. A managed agreement (OpenSLO) is refused here, whoever
   * moves it.
   */
  async planTransition(
    current: Agreement,
    request: TransitionRequest,
    credentials: BackstageCredentials,
  ): Promise<AgreementVersionWrite> {
    assertNotManaged(current);
    const by = principalRef(credentials);
    if (!isTransitionAllowed(current.status, request.to)) {
      const allowed = allowedTransitions(current.status);
      throw new ConflictError(
        `Cannot move an agreement from ${current.status} to ${request.to}; ${
          allowed.length
            ? `allowed: ${allowed.join(', ')}`
            : `${current.status} is final`
        }`,
      );
    }
    if (request.to === 'agreed' && current.targets.length === 0) {
      throw new ConflictError(
        'An agreement needs at least one target before it can be agreed',
      );
    }
    if (request.viabilityOverride && request.to !== 'agreed') {
      throw new InputError(
        'viabilityOverride can only be given with to: agreed',
      );
    }
    const now = this.now();
    if (request.to === 'agreed' && this.options.parties) {
      const parties = await this.options.parties.resolve(current);
      const awaited = awaitedParties(current, parties.customerMustSign);
      if (parties.customerMustSign && awaited.length) {
        if (request.validUntil && current.status === 'under-review') {
          return this.proposeProlongation(current, request, by, now);
        }
        throw new ConflictError(
          `The agreement is awaiting the ${awaited
            .map(partyLabel)
            .join(' and the ')} signature: both the provider and the customer (${
            parties.customer
          }) sign it (POST /agreements/${current.id}/signatures)`,
        );
      }
    }
    let next: Agreement = {
      ...current,
      status: request.to,
      version: current.version + 1,
      updatedAt: now,
      updatedBy: by,
    };
    // A request for signatures belongs to the round under review it was
    // made in; a move ends it (ReviewService sets it on its own move).
    delete next.signaturesRequestedAt;
    if (startsNewRound(current.status, request.to)) {
      // A review or renegotiation is a new round: the signatures that
      // agreed the previous one stay in the history, new ones are needed.
      next = withNewTerms(next, current).agreement;
    }
    if (request.to === 'negotiation' || request.to === 'under-review') {
      next.proposedAt = now;
    }
    let summary = `${current.status} → ${request.to}`;
    if (request.to === 'agreed') {
      next.agreedAt = now;
      next.agreedBy = by;
      if (request.validUntil) {
        if (current.status !== 'under-review') {
          throw new InputError(
            'validUntil can only be given when prolonging an agreement under review',
          );
        }
        const end = current.validUntil ?? now;
        if (Date.parse(request.validUntil) <= Date.parse(end)) {
          throw new InputError(
            `validUntil must be later than the current end of validity (${end})`,
          );
        }
        next.validUntil = request.validUntil;
        summary += ` (prolonged to ${request.validUntil})`;
      }
    } else if (request.validUntil) {
      throw new InputError('validUntil can only be given with to: agreed');
    }
    const viabilityOverride =
      request.to === 'agreed'
        ? await this.options.viability?.checkBeforeAgreeing(
            current,
            request.viabilityOverride,
            credentials,
          )
        : undefined;
    if (viabilityOverride) {
      summary += ` (not viable, agreed anyway: ${viabilityOverride.reason})`;
    }
    return {
      agreement: next,
      expectedVersion: current.version,
      change: {
        type: 'transition',
        summary,
        from: current.status,
        to: request.to,
        ...(request.comment ? { comment: request.comment } : {}),
        ...(viabilityOverride ? { viabilityOverride } : {}),
      },
    };
  }

  /**
   * The signatures `agreement` (a version planned or stored) still awaits
   * when its customer signs too; empty when the provider agrees alone (no
   * customer party, or the customer is the provider itself).
   */
  async awaitedSignatures(agreement: Agreement): Promise<AgreementParty[]> {
    if (!this.options.parties) return [];
    const parties = await this.options.parties.resolve(agreement);
    return parties.customerMustSign ? awaitedParties(agreement, true) : [];
  }

  /**
   * A prolongation of an agreement whose customer signs (a review's
   * decision `prolong`): the new validUntil becomes new terms in
   * negotiation, agreed once both parties sign them.
   */
  private proposeProlongation(
    current: Agreement,
    request: TransitionRequest,
    by: string,
    now: string,
  ): AgreementVersionWrite {
    const end = current.validUntil ?? now;
    if (Date.parse(request.validUntil!) <= Date.parse(end)) {
      throw new InputError(
        `validUntil must be later than the current end of validity (${end})`,
      );
    }
    const { agreement } = withNewTerms(
      {
        ...current,
        status: 'negotiation',
        validUntil: request.validUntil,
        version: current.version + 1,
        updatedAt: now,
        updatedBy: by,
        proposedAt: now,
      },
      current,
    );
    delete agreement.signaturesRequestedAt;
    return {
      agreement,
      expectedVersion: current.version,
      change: {
        type: 'transition',
        summary: `${current.status} → negotiation (prolongation to ${request.validUntil} proposed; awaiting both parties' signatures)`,
        from: current.status,
        to: 'negotiation',
        fields: ['validUntil'],
        ...(request.comment ? { comment: request.comment } : {}),
      },
    };
  }

  /**
   * Moves the agreement to expired when its validity has ended at `at`,
   * through the same versioned write as every transition, so the history
   * says who (the plugin) and why. Optimistic concurrency: when someone
   * changed the agreement meanwhile, it is read again and expired only if
   * it still has to be (a prolongation that won the race stays prolonged).
   * Returns the expired agreement, or undefined when there was nothing to do.
   */
  async expire(id: string, at: number): Promise<Agreement | undefined> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = await this.options.store.get(id);
      if (!current || !isExpiredAt(current, at)) return undefined;
      const next: Agreement = {
        ...current,
        status: 'expired',
        version: current.version + 1,
        updatedAt: new Date(at).toISOString(),
        updatedBy: PLUGIN_PRINCIPAL,
      };
      delete next.signaturesRequestedAt;
      const stored = await this.options.store.update(next, current.version, {
        type: 'transition',
        summary: `${current.status} → expired`,
        from: current.status,
        to: 'expired',
        comment: `validUntil ${current.validUntil} passed`,
      });
      if (stored) return withDerived(next);
    }
    return undefined;
  }

  /** Creates each seed whose id does not exist yet. Returns how many. */
  async seed(source: string, seeds: SeedAgreement[]): Promise<number> {
    let created = 0;
    for (const seed of seeds) {
      const errors = validateAgreementInput(seed.agreement, 'create');
      if (errors.length) {
        this.options.logger.warn(
          `Skipping seed agreement ${
            seed.id
          } from ${source}: ${formatFieldErrors(errors)}`,
        );
        continue;
      }
      const now = this.now();
      const status = seed.status ?? 'requirements';
      const by = `seed:${source}`;
      const agreement: Agreement = {
        ...normalizeAgreementInput(seed.agreement),
        id: seed.id,
        status,
        version: 1,
        createdAt: now,
        createdBy: by,
        updatedAt: now,
        updatedBy: by,
        termsVersion: 1,
        ...(status === 'agreed' || status === 'under-review'
          ? { agreedAt: seed.agreement.validFrom ?? now, agreedBy: by }
          : {}),
      };
      if (status === 'agreed') {
        // Seeded in force: signed by both parties when agreed, as the
        // migration marks agreements agreed before signatures existed.
        const customer = customerPartyRef(agreement.customer);
        agreement.signatures = (
          customer ? (['provider', 'customer'] as const) : (['provider'] as const)
        ).map(party => ({
          party,
          version: 1,
          signedBy: party === 'customer' ? customer! : by,
          signedAt: agreement.agreedAt!,
          migrated: true,
        }));
      }
      if (
        await this.options.store.insert(agreement, {
          type: 'created',
          summary: `Seeded by ${source} in ${status}`,
        })
      ) {
        created++;
      }
    }
    return created;
  }
}
