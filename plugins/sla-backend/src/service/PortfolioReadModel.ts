import { AgreementKind } from '@opensla/backstage-plugin-sla-common';
import { inForceSpan, targetFingerprint } from '../domain/portfolio';
import type { ScoredAnswer } from '../domain/satisfaction';
import { AgreementStore } from '../store/AgreementStore';
import { PortfolioBreachRow, PortfolioStore } from '../store/PortfolioStore';
import { TargetStatusStore } from '../store/TargetStatusStore';
import { StampedCache } from './StampedCache';
import type {
  PortfolioAgreementRecord,
  PortfolioServiceRecord,
} from './portfolioServices';

const DAY_MS = 86_400_000;
const KINDS: AgreementKind[] = ['SLA', 'OLA', 'UC'];
/** localeCompare's order, without a collator per comparison. */
const collator = new Intl.Collator();
const lower = (ref: string) => ref.toLocaleLowerCase('en-US');
const iso = (t: number) => new Date(t).toISOString();

type FromDay<T> = { from: number; byRef: Map<string, T[]> };

/**
 * What the portfolio reads from its tables, kept in memory under each
 * table's database stamp (StampedCache: never stale, whichever replica
 * wrote): the services with their agreements and held reviews, the
 * breaches and the scored feedback from a day on.
 * @internal
 */
export class PortfolioReadModel {
  private readonly servicesCache: StampedCache<PortfolioServiceRecord[]>;
  private readonly breachesCache: StampedCache<FromDay<PortfolioBreachRow>>;
  private readonly answersCache: StampedCache<FromDay<ScoredAnswer>>;

  constructor(
    private readonly options: {
      agreements: AgreementStore;
      store: PortfolioStore;
    },
  ) {
    const { store } = options;
    this.servicesCache = new StampedCache(() =>
      store.agreementsAndReviewsStamp(),
    );
    this.breachesCache = new StampedCache(() => store.breachesStamp());
    this.answersCache = new StampedCache(() => store.scoredAnswersStamp());
  }

  /**
   * Every entity with an agreement that is not withdrawn, with each
   * agreement's held reviews (for the review schedules), in entity-ref
   * order. Read again when agreements or reviews change; not to be mutated.
   */
  services(): Promise<PortfolioServiceRecord[]> {
    return this.servicesCache.read(() => this.readServices());
  }

  /**
   * Breaches open at some instant from `from` on (breaches outside a period
   * are left out where they are counted), by lower-case entity ref; read
   * again when a breach is recorded or changes, or when an earlier `from`
   * is asked for.
   */
  async breaches(from: number): Promise<Map<string, PortfolioBreachRow[]>> {
    // from the start of its UTC day, so that later requests reuse it
    const dayStart = Math.floor(from / DAY_MS) * DAY_MS;
    const kept = await this.breachesCache.read(
      async () => {
        const byRef = new Map<string, PortfolioBreachRow[]>();
        for (const b of await this.options.store.breaches(iso(dayStart))) {
          const list = byRef.get(b.entityRef);
          if (list) list.push(b);
          else byRef.set(b.entityRef, [b]);
        }
        return { from: dayStart, byRef };
      },
      k => k.from <= from,
    );
    return kept.byRef;
  }

  /**
   * Scored answers given from `from` on (answers outside a period are left
   * out where they are counted), read again when feedback is given or
   * replaced, or when an earlier `from` is asked for.
   */
  async scoredAnswers(from: number): Promise<Map<string, ScoredAnswer[]>> {
    const dayStart = Math.floor(from / DAY_MS) * DAY_MS;
    const kept = await this.answersCache.read(
      async () => ({
        from: dayStart,
        byRef: await this.options.store.scoredAnswers(iso(dayStart)),
      }),
      k => k.from <= from,
    );
    return kept.byRef;
  }

  private async readServices(): Promise<PortfolioServiceRecord[]> {
    const [all, held] = await Promise.all([
      this.options.agreements.list(),
      this.options.store.heldReviews(),
    ]);
    const byRef = new Map<string, PortfolioServiceRecord>();
    for (const a of all) {
      if (a.status === 'withdrawn') continue;
      const ref = lower(a.entityRef);
      let service = byRef.get(ref);
      if (!service) {
        service = {
          ref,
          entityRef: a.entityRef,
          agreements: [],
          kinds: [],
          targets: [],
        };
        byRef.set(ref, service);
      }
      const agreement: PortfolioAgreementRecord = {
        ...a,
        reviews: held.get(a.id) ?? [],
      };
      const span = inForceSpan(agreement);
      agreement.span = span ?? null;
      service.agreements.push(agreement);
      for (const target of agreement.targets) {
        service.targets.push({
          agreement,
          target,
          key: TargetStatusStore.key(agreement.id, target.id),
          fingerprint: targetFingerprint(agreement, target),
          aspect: target.aspect ?? 'unknown',
          ...(span ? { span } : {}),
        });
      }
    }
    const services = [...byRef.values()];
    for (const s of services) {
      s.kinds = KINDS.filter(k => s.agreements.some(a => a.kind === k));
    }
    return services.sort((a, b) => collator.compare(a.entityRef, b.entityRef));
  }
}
