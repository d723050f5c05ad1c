import type { Entity } from '@backstage/catalog-model';
import type { Knex } from 'knex';
import { AgreementStore } from '../store/AgreementStore';
import { MeasurementStore } from '../store/MeasurementStore';
import { NegotiationStore } from '../store/NegotiationStore';
import { PortfolioStore } from '../store/PortfolioStore';
import { ReportStore } from '../store/ReportStore';
import { TargetStatusStore } from '../store/TargetStatusStore';
import { AttainmentService } from '../service/AttainmentService';
import type { EntityAccessGuard } from '../service/EntityAccessGuard';
import { NegotiationService } from '../service/NegotiationService';
import { PortfolioService } from '../service/PortfolioService';
import { ReportService } from '../service/ReportService';

/**
 * A PortfolioService on a database as one replica builds it, with the
 * catalog and an allow-everything permission decision in memory (no HTTP):
 * what the portfolio bench and the kept views' property test compare, with
 * the kept views (`fastPath: true`) or visiting every service per request.
 */
export function portfolioOnDatabase(
  db: Knex,
  options: {
    entities: Map<string, Entity>;
    clock: () => Date;
    fastPath: boolean;
  },
): PortfolioService {
  const guard = {
    readDecision: async () => 'all',
    readableRefs: async (_: unknown, refs: string[]) => new Set(refs),
    ownersOf: (e: Entity) =>
      e.relations!.map(r => r.targetRef.toLocaleLowerCase('en-US')),
  } as unknown as EntityAccessGuard;
  const reports = new ReportService({ reports: new ReportStore(db) } as any);
  const negotiation = new NegotiationService({
    store: new NegotiationStore(db),
  } as any);
  return new PortfolioService({
    agreements: new AgreementStore(db),
    store: new PortfolioStore(db),
    attainment: new AttainmentService(new MeasurementStore(db)),
    statuses: new TargetStatusStore(db),
    guard,
    catalog: { entitiesByRef: async () => options.entities },
    clock: options.clock,
    fastPath: options.fastPath,
    reports: () => reports,
    negotiation: () => negotiation,
  });
}
