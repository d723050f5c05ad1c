import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
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
import { KnownAgreements } from './KnownAgreements';
import { restrictBreachCauses } from '../domain/viability';
import { MAX_PAGE_SIZE, Page, PageRequest, pageOfRows } from './pagination';
import { NO_TIMER, RequestTimer } from './serverTiming';

/** The computed read models: attainment, its timeline, breaches. */
export class ReadService {
  /** Agreements read last per entity, checked on use (attainment reads). */
  private readonly known: KnownAgreements;

  constructor(
    private readonly options: {
      agreements: AgreementStore;
      attainment: AttainmentService;
      breaches: BreachService;
      guard: EntityAccessGuard;
      clock: Clock;
    },
  ) {
    this.known = new KnownAgreements(options.agreements);
  }

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

  async attainment(
    credentials: BackstageCredentials,
    entityRef: string,
    at?: string,
    /** Times the parts of the read when the request asks (Server-Timing). */
    timer: RequestTimer = NO_TIMER,
  ): Promise<TargetAttainment[]> {
    // The permission check and the read are independent: run them at once
    // (nothing is returned unless the check passes).
    const instant = this.instant(at);
    const [, items] = await Promise.all([
      timer.time('permission', () =>
        this.assertReadable(credentials, entityRef),
      ),
      this.attainmentOf(entityRef, instant, timer),
    ]);
    return items;
  }

  /**
   * The figures of the entity's agreements as in force at `instant`: past
   * validUntil (even before the expiry task ran) or before validFrom the
   * targets are not in force, and a past `instant` uses the versions then
   * in force (the history). The agreements this replica read last for the
   * entity are used when the statement that reads the figures finds them
   * unchanged (one statement for a page read again and again); else they
   * are read again.
   */
  private async attainmentOf(
    entityRef: string,
    instant: number,
    timer: RequestTimer,
  ): Promise<TargetAttainment[]> {
    const { attainment, clock } = this.options;
    const kept = this.known.get(entityRef);
    if (kept) {
      const agreements = await timer.time('agreements', () =>
        kept.inForceAt(instant, clock().getTime()),
      );
      const items = await attainment.forAgreementsIfCurrent(
        entityRef,
        kept.versions,
        agreements,
        instant,
        timer,
      );
      if (items) return items;
    }
    const agreements = await timer.time('agreements', async () =>
      (await this.known.read(entityRef)).inForceAt(instant, clock().getTime()),
    );
    return attainment.forAgreements(agreements, instant, timer);
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
