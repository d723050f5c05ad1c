import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  Agreement,
  AttainmentPoint,
  Breach,
  TargetAttainment,
  slaAgreementReadPermission,
} from '@opensla/backstage-plugin-sla-common';
import { AgreementStore } from '../store/AgreementStore';
import { AttainmentService } from './AttainmentService';
import { BreachService } from './BreachService';
import { Clock } from './AgreementService';
import { EntityAccessGuard } from './EntityAccessGuard';
import { agreementsInForceAt } from './agreementsInForce';
import { restrictBreachCauses } from '../domain/viability';
import { MAX_PAGE_SIZE, Page, PageRequest, pageOfRows } from './pagination';
import { NO_TIMER, RequestTimer } from './serverTiming';

/** Entities whose agreements in force ReadService.attainment remembers. */
const LAST_IN_FORCE_ENTITIES = 10_000;

/**
 * The same agreements in the same versions, in the same order: a version
 * of an agreement is never rewritten (every write stores the next one).
 */
function sameVersions(a: Agreement[], b: Agreement[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (x, i) =>
        x.id === b[i].id &&
        x.version === b[i].version &&
        x.updatedAt === b[i].updatedAt,
    )
  );
}

/** The computed read models: attainment, its timeline, breaches. */
export class ReadService {
  constructor(
    private readonly options: {
      agreements: AgreementStore;
      attainment: AttainmentService;
      breaches: BreachService;
      guard: EntityAccessGuard;
      clock: Clock;
    },
  ) {}

  private instant(at?: string): number {
    return at ? Date.parse(at) : this.options.clock().getTime();
  }

  private async assertReadable(
    credentials: BackstageCredentials,
    entityRef: string,
  ) {
    await this.options.guard.assertAllowed(
      credentials,
      slaAgreementReadPermission,
      entityRef,
      undefined,
    );
  }

  /**
   * The agreements in force last read for each entity (lower-cased ref),
   * least recently read first out: a guess to start the read of the sums
   * with, never an answer (see attainment).
   */
  private readonly lastInForce = new Map<string, Agreement[]>();

  async attainment(
    credentials: BackstageCredentials,
    entityRef: string,
    at?: string,
    /** Times the parts of the read when the request asks (Server-Timing). */
    timer: RequestTimer = NO_TIMER,
  ): Promise<TargetAttainment[]> {
    // The permission check, the agreements in force and the sums are read
    // at once (nothing is returned unless the check passes). The sums can
    // only be planned from agreements, so they start from the agreements
    // this replica read last for the entity; the answer is used only when
    // the agreements read by this very request are the same versions
    // (versions are immutable), so a write through any replica is seen at
    // once. Otherwise, and on an entity's first read, the sums are read
    // again from what was just read. One round trip's wait instead of two.
    const instant = this.instant(at);
    const key = entityRef.toLocaleLowerCase('en-US');
    const guess = this.lastInForce.get(key);
    const early = guess
      ? this.options.attainment
          .forAgreements(guess, instant, timer)
          // A guess that cannot be read is no answer: read again below.
          .catch(() => undefined)
      : undefined;
    const [, agreements, guessed] = await Promise.all([
      timer.time('permission', () =>
        this.assertReadable(credentials, entityRef),
      ),
      // As in force at `instant`: past validUntil (even before the expiry
      // task ran) or before validFrom the targets are not in force, and a
      // past `at` uses the versions then in force (the history).
      timer.time('agreements', () =>
        agreementsInForceAt(
          this.options.agreements,
          entityRef,
          instant,
          this.options.clock().getTime(),
        ),
      ),
      early,
    ]);
    this.lastInForce.delete(key);
    this.lastInForce.set(key, agreements);
    if (this.lastInForce.size > LAST_IN_FORCE_ENTITIES) {
      this.lastInForce.delete(this.lastInForce.keys().next().value!);
    }
    if (guessed && sameVersions(guess!, agreements)) return guessed;
    return this.options.attainment.forAgreements(agreements, instant, timer);
  }

  async timeline(
    credentials: BackstageCredentials,
    query: {
      agreementId: string;
      targetId: string;
      at?: string;
      points?: number;
    },
  ): Promise<AttainmentPoint[]> {
    const agreement = await this.options.agreements.get(query.agreementId);
    if (!agreement)
      throw new NotFoundError(`No agreement with id ${query.agreementId}`);
    await this.assertReadable(credentials, agreement.entityRef);
    const target = agreement.targets.find(t => t.id === query.targetId);
    if (!target) {
      throw new NotFoundError(
        `Agreement ${agreement.id} has no target ${query.targetId}`,
      );
    }
    return this.options.attainment.timeline(
      agreement,
      target,
      this.instant(query.at),
      query.points ?? 30,
    );
  }

  async breaches(
    credentials: BackstageCredentials,
    query: { entityRef: string; from?: string; to?: string },
    page: PageRequest = { limit: MAX_PAGE_SIZE },
  ): Promise<Page<Breach>> {
    await this.assertReadable(credentials, query.entityRef);
    const rows = await this.options.breaches.list(
      query.entityRef,
      query.from,
      query.to,
      {
        after: page.after as [string, string] | undefined,
        limit: page.limit + 1,
      },
    );
    const { items: breaches, nextCursor } = pageOfRows(
      'breaches',
      rows,
      b => [b.openedAt, b.id],
      page.limit,
    );
    // Causes name other entities: one batched decision for all of them.
    const causes = new Set(
      breaches.flatMap(b =>
        (b.causedBy ?? []).map(c => c.entityRef.toLocaleLowerCase('en-US')),
      ),
    );
    const readable = await this.options.guard.readableRefs(credentials, [
      ...causes,
    ]);
    return {
      items: breaches.map(b => restrictBreachCauses(b, r => readable.has(r))),
      ...(nextCursor ? { nextCursor } : {}),
    };
  }
}
