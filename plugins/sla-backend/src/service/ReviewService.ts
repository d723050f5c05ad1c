import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  Agreement,
  AgreementParty,
  AgreementStatus,
  formatFieldErrors,
  partyLabel,
  slaAgreementReadPermission,
  slaAgreementUpdatePermission,
} from '@opensla/backstage-plugin-sla-common';
import { v4 as uuid } from 'uuid';
import {
  ReviewSchedule,
  ReviewSnapshot,
  decisionTransitions,
  freezeSnapshot,
  reviewSchedule,
  validateReviewInput,
} from '../domain/reviews';
import { AgreementStore, AgreementVersionWrite } from '../store/AgreementStore';
import { ReviewStore } from '../store/ReviewStore';
import { AgreementService, Clock } from './AgreementService';
import { agreementForPeriod } from './agreementsInForce';
import { AttainmentService } from './AttainmentService';
import { EntityAccessGuard } from './EntityAccessGuard';
import type { NegotiationService } from './NegotiationService';
import { principalRef, SatisfactionService } from './SatisfactionService';
import type { Review } from '@opensla/backstage-plugin-sla-common';
import type { SeedReview } from '@opensla/backstage-plugin-sla-node';

const iso = (t: number) => new Date(t).toISOString();

type ReviewBody = Partial<
  Pick<
    Review,
    | 'agreementId'
    | 'kind'
    | 'status'
    | 'reason'
    | 'period'
    | 'heldAt'
    | 'participants'
    | 'minutes'
    | 'actions'
    | 'serviceReviewInterval'
  >
> & {
  decision?: {
    type: 'prolong' | 'amend' | 'withdraw';
    validUntil?: string;
    comment?: string;
    viabilityOverride?: { reason: string };
  };
  version?: number;
};

/** The review schedule of one agreement. @internal */
export type AgreementReviewSchedule = ReviewSchedule & {
  agreementId: string;
  openReviews: number;
};

/**
 * Service reviews (issue 6): review records with a frozen snapshot of the
 * period, decisions that drive the agreement's lifecycle through
 * AgreementService (so its history records them), the review schedule and
 * event-based reviews opened on a breach. Owners write; readers read.
 * @internal
 */
export class ReviewService {
  constructor(
    private readonly options: {
      reviews: ReviewStore;
      agreementStore: AgreementStore;
      agreements: AgreementService;
      attainment: AttainmentService;
      satisfaction: SatisfactionService;
      guard: EntityAccessGuard;
      clock: Clock;
      /**
       * Tells the other party when a decision leaves the agreement awaiting
       * signatures (NegotiationService).
       */
      signing?: Pick<NegotiationService, 'tellReviewRound'>;
    },
  ) {}

  private now() {
    return this.options.clock().getTime();
  }

  async list(
    credentials: BackstageCredentials,
    query: { entityRef?: string; agreementId?: string; status?: string },
  ): Promise<{ items: Review[]; schedules: AgreementReviewSchedule[] }> {
    let agreements: Agreement[];
    let entityRef = query.entityRef;
    if (query.agreementId) {
      const agreement = await this.options.agreementStore.get(
        query.agreementId,
      );
      if (!agreement) {
        throw new NotFoundError(`No agreement with id ${query.agreementId}`);
      }
      entityRef = agreement.entityRef;
      agreements = [agreement];
    } else if (entityRef) {
      agreements = await this.options.agreementStore.list({ entityRef });
    } else {
      throw new InputError('entityRef or agreementId is required');
    }
    await this.options.guard.assertAllowed(
      credentials,
      slaAgreementReadPermission,
      entityRef,
      undefined,
    );
    const all = await this.options.reviews.list({
      entityRef,
      agreementId: query.agreementId,
    });
    const items = query.status
      ? all.filter(r => r.status === query.status)
      : all;
    const now = this.now();
    const schedules = agreements.map(agreement => {
      const own = all.filter(r => r.agreementId === agreement.id);
      return {
        agreementId: agreement.id,
        ...this.scheduleOf(agreement, own, now),
        openReviews: own.filter(r => r.status === 'open').length,
      };
    });
    return { items, schedules };
  }

  private scheduleOf(agreement: Agreement, reviews: Review[], at: number) {
    return reviewSchedule(
      agreement,
      reviews
        .filter(r => r.status === 'held' && r.heldAt)
        .map(r => ({
          kind: r.kind,
          heldAt: r.heldAt!,
          serviceReviewInterval: r.serviceReviewInterval,
        })),
      at,
    );
  }

  /** The agreement of a review body and the owner check on its entity. */
  private async ownedAgreement(
    credentials: BackstageCredentials,
    agreementId: string,
  ) {
    const agreement = await this.options.agreementStore.get(agreementId);
    if (!agreement) {
      throw new InputError(`agreementId ${agreementId} is not an agreement`);
    }
    const entity = await this.options.guard.getEntity(agreement.entityRef);
    const ref = entity ? stringifyEntityRef(entity) : agreement.entityRef;
    await this.options.guard.assertAllowed(
      credentials,
      slaAgreementUpdatePermission,
      ref,
      entity,
    );
    return agreement;
  }

  async create(
    credentials: BackstageCredentials,
    body: unknown,
  ): Promise<Review> {
    const errors = validateReviewInput(body, 'create');
    if (errors.length) throw new InputError(formatFieldErrors(errors));
    const input = body as ReviewBody;
    const agreement = await this.ownedAgreement(
      credentials,
      input.agreementId!,
    );
    const now = iso(this.now());
    const by = principalRef(credentials);
    const review: Review = {
      id: uuid(),
      agreementId: agreement.id,
      entityRef: agreement.entityRef,
      kind: input.kind ?? 'service',
      status: 'open',
      ...(input.reason ? { reason: input.reason } : {}),
      ...(input.kind === 'event' ? { trigger: { type: 'on-demand' } } : {}),
      participants: input.participants ?? [],
      ...(input.minutes !== undefined ? { minutes: input.minutes } : {}),
      actions: input.actions ?? [],
      version: 1,
      createdAt: now,
      createdBy: by,
      updatedAt: now,
      updatedBy: by,
    };
    if ((input.status ?? 'held') !== 'held') {
      await this.options.reviews.insert(review);
      return review;
    }
    const held = await this.hold(credentials, agreement, review, input);
    await this.save(held, undefined);
    return held.review;
  }

  /**
   * Stores a held review and its decision's moves, all or nothing; then,
   * when the decision awaits signatures, the other party hears of it.
   */
  private async save(
    held: {
      review: Review;
      moves: AgreementVersionWrite[];
      awaitingSignatures: AgreementParty[];
    },
    expectedVersion: number | undefined,
  ) {
    const conflict = await this.options.reviews.saveHeld(
      held.review,
      expectedVersion,
      held.moves,
    );
    if (conflict === 'agreement') {
      throw new ConflictError(
        'The agreement changed while the review was being held; nothing was stored: reload it and hold the review again',
      );
    }
    if (conflict === 'review') {
      throw new ConflictError(
        'The review changed meanwhile; nothing was stored: reload it and apply your change again',
      );
    }
    const moved = held.moves[held.moves.length - 1]?.agreement;
    if (held.awaitingSignatures.length && this.options.signing) {
      await this.options.signing.tellReviewRound(
        moved ??
          (await this.options.agreementStore.get(held.review.agreementId))!,
        held.review,
      );
    }
  }

  async update(
    credentials: BackstageCredentials,
    id: string,
    body: unknown,
  ): Promise<Review> {
    const errors = validateReviewInput(body, 'update');
    if (errors.length) throw new InputError(formatFieldErrors(errors));
    const input = body as ReviewBody;
    const current = await this.options.reviews.get(id);
    if (!current) throw new NotFoundError(`No review with id ${id}`);
    const agreement = await this.ownedAgreement(
      credentials,
      current.agreementId,
    );
    if (input.version !== current.version) {
      throw new ConflictError(
        `version ${input.version} is stale: the review was changed by ${current.updatedBy} at ${current.updatedAt} and is now at version ${current.version}; reload it and apply your change again`,
      );
    }
    if (current.status === 'held') {
      const frozen = (
        ['period', 'heldAt', 'decision', 'serviceReviewInterval'] as const
      ).filter(k => input[k] !== undefined);
      if (frozen.length || input.status === 'open') {
        throw new ConflictError(
          `The review is held: its ${
            frozen.length ? frozen.join(', ') : 'status'
          } can no longer change (participants, minutes and actions can)`,
        );
      }
    }
    if (current.status === 'open' && input.status !== 'held') {
      if (input.decision || input.period) {
        throw new InputError(
          `${
            input.decision ? 'decision' : 'period'
          } can only be given when holding the review (status: held)`,
        );
      }
    }
    const next: Review = {
      ...current,
      ...(input.participants ? { participants: input.participants } : {}),
      ...(input.minutes !== undefined ? { minutes: input.minutes } : {}),
      ...(input.actions ? { actions: input.actions } : {}),
      version: current.version + 1,
      updatedAt: iso(this.now()),
      updatedBy: principalRef(credentials),
    };
    if (current.status === 'open' && input.status === 'held') {
      if (!input.period) {
        throw new InputError('period is required to hold the review');
      }
      if (!next.participants.length) {
        throw new InputError(
          'participants must list who took part (at least one)',
        );
      }
      const held = await this.hold(credentials, agreement, next, input);
      await this.save(held, current.version);
      return held.review;
    }
    if (!(await this.options.reviews.update(next, current.version))) {
      throw new ConflictError(
        `version ${input.version} is stale: the review changed meanwhile; reload it and apply your change again`,
      );
    }
    return next;
  }

  /**
   * Holds a review: checks the decision against the lifecycle, freezes the
   * snapshot of the period, and plans the decision's lifecycle moves (each
   * checked like a transition, viability included) without writing them:
   * the caller stores the review and the moves in one transaction.
   */
  private async hold(
    credentials: BackstageCredentials,
    agreement: Agreement,
    review: Review,
    input: ReviewBody,
  ): Promise<{
    review: Review;
    moves: AgreementVersionWrite[];
    awaitingSignatures: AgreementParty[];
  }> {
    const now = this.now();
    const decision = input.decision;
    let moves: string[] = [];
    if (decision) {
      const result = decisionTransitions(agreement.status, decision.type);
      if (typeof result === 'string') throw new ConflictError(result);
      moves = result;
      if (decision.validUntil) {
        const end = agreement.validUntil ?? iso(now);
        if (Date.parse(decision.validUntil) <= Date.parse(end)) {
          throw new InputError(
            `decision.validUntil must be later than the current end of validity (${end})`,
          );
        }
      }
    }
    const period = {
      start: Date.parse(input.period!.start),
      end: Date.parse(input.period!.end),
    };
    const snapshot = await this.snapshot(credentials, agreement, period, now);
    const writes: AgreementVersionWrite[] = [];
    let planned = agreement;
    for (const to of moves) {
      if (
        to === 'agreed' &&
        !decision!.validUntil &&
        (await this.options.agreements.awaitedSignatures(planned)).length
      ) {
        // Prolonging the same terms of an agreement whose customer signs
        // too: the review opens the round of signatures (under review, the
        // agreed validUntil still governing expiry) and the second
        // signature agrees it, as a proposal's would.
        break;
      }
      const write = await this.options.agreements.planTransition(
        planned,
        {
          to: to as AgreementStatus,
          comment: `Review ${review.id}: ${decision!.type}${
            decision!.comment ? ` (${decision!.comment})` : ''
          }`,
          ...(to === 'agreed' && decision!.validUntil
            ? { validUntil: decision!.validUntil }
            : {}),
          ...(to === 'agreed' && decision!.viabilityOverride
            ? { viabilityOverride: decision!.viabilityOverride }
            : {}),
        },
        credentials,
      );
      writes.push(write);
      planned = write.agreement;
    }
    const agreementVersion = planned.version;
    const awaitingSignatures = decision
      ? await this.options.agreements.awaitedSignatures(planned)
      : [];
    const last = writes[writes.length - 1];
    if (
      last &&
      awaitingSignatures.length &&
      last.agreement.status === 'under-review'
    ) {
      // The round under review awaits signatures now (the portfolio's
      // "awaiting signature"), not a later decision.
      last.agreement = {
        ...last.agreement,
        signaturesRequestedAt: last.agreement.updatedAt,
      };
    }
    if (awaitingSignatures.length && last) {
      // Said once, by the review: a transition's own summary never names
      // the signatures (a reason or comment containing "awaiting" must not
      // suppress it).
      last.change = {
        ...last.change,
        summary: `${last.change.summary} (${
          decision!.type === 'prolong' ? 'prolongation' : 'amendment'
        } decided by review ${review.id}; awaiting the ${awaitingSignatures
          .map(partyLabel)
          .join(' and the ')} signature${
          awaitingSignatures.length > 1 ? 's' : ''
        })`,
      };
    }
    return {
      awaitingSignatures,
      moves: writes,
      review: {
        ...review,
        status: 'held',
        period: { start: iso(period.start), end: iso(period.end) },
        heldAt: input.heldAt ? iso(Date.parse(input.heldAt)) : iso(now),
        ...(decision
          ? {
              decision: {
                type: decision.type,
                ...(decision.validUntil
                  ? { validUntil: decision.validUntil }
                  : {}),
                ...(decision.comment ? { comment: decision.comment } : {}),
                ...(decision.viabilityOverride
                  ? {
                      viabilityOverride: {
                        reason: decision.viabilityOverride.reason.trim(),
                      },
                    }
                  : {}),
                transitions: writes.map(w => w.agreement.status),
                agreementVersion,
                ...(awaitingSignatures.length ? { awaitingSignatures } : {}),
              },
            }
          : {}),
        ...(input.serviceReviewInterval
          ? { serviceReviewInterval: input.serviceReviewInterval }
          : {}),
        snapshot,
      },
    };
  }

  /**
   * Attainment at the end of the period and satisfaction over it, frozen.
   * The targets are those of the agreement's last version in force during
   * the period (agreementForPeriod), not an amendment made since.
   */
  private async snapshot(
    credentials: BackstageCredentials,
    agreement: Agreement,
    period: { start: number; end: number },
    now: number,
  ): Promise<ReviewSnapshot> {
    const attainment = await this.options.attainment.forAgreements(
      [
        await agreementForPeriod(
          this.options.agreementStore,
          agreement,
          period,
        ),
      ],
      period.end,
    );
    const seconds = Math.max(1, Math.round((period.end - period.start) / 1000));
    const satisfaction = await this.options.satisfaction.satisfaction(
      credentials,
      {
        entityRef: agreement.entityRef,
        at: iso(period.end),
        window: `PT${seconds}S`,
      },
    );
    return freezeSnapshot({
      takenAt: now,
      period,
      attainment,
      satisfaction: satisfaction as any,
    });
  }

  /**
   * Stores seeded held reviews (slaPracticeSeedExtensionPoint) once by id,
   * checked like POST /reviews, with the snapshot frozen from the data held
   * for the period. A seed whose period has no measured target yet waits
   * (the metric sources have not backfilled it): it is tried again on the
   * next run, so the frozen figures are the real ones. `credentials` are the
   * plugin's own (they read the satisfaction of the period).
   */
  async seed(
    source: string,
    seeds: SeedReview[],
    credentials: BackstageCredentials,
    warn: (message: string) => void,
  ): Promise<{ stored: number; waiting: number }> {
    let stored = 0;
    let waiting = 0;
    for (const seed of seeds) {
      if (await this.options.reviews.get(seed.id)) continue;
      const body = {
        agreementId: seed.agreementId,
        kind: seed.kind,
        period: seed.period,
        heldAt: seed.heldAt,
        participants: seed.participants,
        minutes: seed.minutes,
        actions: seed.actions,
        serviceReviewInterval: seed.serviceReviewInterval,
      };
      const errors = validateReviewInput(body, 'create');
      if (!seed.heldAt)
        errors.push({ field: 'heldAt', message: 'is required' });
      const agreement = errors.length
        ? undefined
        : await this.options.agreementStore.get(seed.agreementId);
      if (!agreement) {
        warn(
          `Skipping seed review ${seed.id} from ${source}: ${
            errors.length
              ? formatFieldErrors(errors)
              : `agreementId ${seed.agreementId} is not an agreement`
          }`,
        );
        continue;
      }
      const now = this.now();
      const period = {
        start: Date.parse(seed.period.start),
        end: Date.parse(seed.period.end),
      };
      const snapshot = await this.snapshot(credentials, agreement, period, now);
      if (snapshot.targetsMeasured === 0) {
        waiting++;
        continue;
      }
      const by = seed.createdBy ?? `seed:${source}`;
      const heldAt = iso(Date.parse(seed.heldAt));
      const review: Review = {
        id: seed.id,
        agreementId: agreement.id,
        entityRef: agreement.entityRef,
        kind: seed.kind ?? 'service',
        status: 'held',
        period: { start: iso(period.start), end: iso(period.end) },
        heldAt,
        participants: seed.participants,
        ...(seed.minutes !== undefined ? { minutes: seed.minutes } : {}),
        actions: seed.actions ?? [],
        ...(seed.serviceReviewInterval
          ? { serviceReviewInterval: seed.serviceReviewInterval }
          : {}),
        snapshot,
        version: 1,
        createdAt: heldAt,
        createdBy: by,
        updatedAt: heldAt,
        updatedBy: by,
      };
      if (await this.options.reviews.insertIfAbsent(review)) stored++;
    }
    return { stored, waiting };
  }

  /**
   * Opens an event-based review of an agreement when one of its targets is
   * breached (called by BreachService when a breach opens). Once per breach:
   * a second call returns the review already opened. No credentials: this is
   * the plugin acting on its own.
   */
  async openForBreach(breach: {
    breachId: string;
    agreementId: string;
    targetId: string;
    severity?: string;
    at: number;
  }): Promise<Review | undefined> {
    const existing = await this.options.reviews.forBreach(breach.breachId);
    if (existing) return existing;
    const agreement = await this.options.agreementStore.get(breach.agreementId);
    if (!agreement) return undefined;
    const target = agreement.targets.find(t => t.id === breach.targetId);
    const at = iso(breach.at);
    const review: Review = {
      id: uuid(),
      agreementId: agreement.id,
      entityRef: agreement.entityRef,
      kind: 'event',
      status: 'open',
      reason: `${breach.severity ? `${breach.severity} ` : ''}breach of ${
        target?.name ?? breach.targetId
      }`,
      trigger: {
        type: 'breach',
        breachId: breach.breachId,
        targetId: breach.targetId,
      },
      participants: [],
      actions: [],
      version: 1,
      createdAt: at,
      createdBy: 'sla:breach',
      updatedAt: at,
      updatedBy: 'sla:breach',
    };
    if (await this.options.reviews.insert(review)) return review;
    return this.options.reviews.forBreach(breach.breachId);
  }
}
