import { mockServices, TestDatabaseId } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { Agreement } from '@opensla/backstage-plugin-sla-common';
import type { Knex } from 'knex';
import { AgreementStore } from '../store/AgreementStore';
import { BreachStore } from '../store/BreachStore';
import { MeasurementStore } from '../store/MeasurementStore';
import { TargetStateStore } from '../store/TargetStateStore';
import { TicketStore } from '../store/TicketStore';
import { AttainmentService } from '../service/AttainmentService';
import { BreachService } from '../service/BreachService';
import { CatalogGraphIndex } from '../service/CatalogGraphIndex';
import { SlaNotifier } from '../service/SlaNotifier';
import { migrated } from './replica';
import { databases, testEntities } from './testBackend';

/** What a BreachService told: notification titles and breaches opened. */
export type Told = { notified: string[]; opened: string[] };

/**
 * A BreachService on a migrated test database, with real stores (ticket
 * targets read sla_tickets), the test catalog's dependency graph, and what
 * it tells (notifications, openings) collected in `told` when given;
 * `keepSums: false` reads as the bulk evaluator does.
 */
export function breachServiceOn(
  db: Knex,
  told?: Told,
  options?: { keepSums?: boolean },
): BreachService {
  return new BreachService({
    breachStore: new BreachStore(db),
    states: new TargetStateStore(db),
    agreements: new AgreementStore(db),
    attainment: new AttainmentService(new MeasurementStore(db), undefined, {
      tickets: new TicketStore(db),
      keepSums: options?.keepSums,
    }),
    graph: new CatalogGraphIndex({
      catalog: catalogServiceMock({ entities: testEntities }),
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      maxAgeMs: 60_000,
      clock: () => new Date(0),
    }),
    logger: mockServices.logger.mock(),
    notifier:
      told &&
      new SlaNotifier({
        notifications: {
          send: async n => void told.notified.push(n.payload.title),
        },
        logger: mockServices.logger.mock(),
      }),
    onOpened: told && (async breach => void told.opened.push(breach.breachId)),
  });
}

/** A fresh migrated test database holding `agreement`. */
export async function databaseWith(
  databaseId: TestDatabaseId,
  agreement: Agreement,
): Promise<Knex> {
  const db = await migrated(await databases.init(databaseId));
  await new AgreementStore(db).insert(agreement, {
    type: 'created',
    summary: 'test',
  });
  return db;
}
