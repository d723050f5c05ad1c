import type { Agreement } from '@opensla/backstage-plugin-sla-common';
import { AgreementStore } from '../store/AgreementStore';
import { TwoGenerationMap } from '../store/TwoGenerationMap';
import { HistoriesOf, agreementsInForceAmong } from './agreementsInForce';

type Histories = Awaited<ReturnType<AgreementStore['versionsOf']>>;

/** Every agreement of one entity as read at one moment. */
export type KnownEntityAgreements = {
  /** Current version of every agreement of the entity, by id. */
  versions: ReadonlyMap<string, number>;
  /** The agreements in force at `at` (agreementsInForceAt), from what was read. */
  inForceAt(at: number, now: number): Promise<Agreement[]>;
};

/**
 * The agreements of entities as this replica read them last (every status,
 * current versions, and the histories read for past instants), so that a
 * page read again and again plans its figures without reading them again.
 * Nothing here is trusted on its own: the statement that reads the figures
 * also reads the entity's agreements' ids and versions
 * (AttainmentService.forAgreementsIfCurrent), and a write since, by any
 * replica, sends the reader back to `read`. Versions only grow and nothing
 * is hard-deleted, so equal versions mean equal agreements, and a history
 * read for a version holds while the version does.
 */
export class KnownAgreements {
  private readonly known: TwoGenerationMap<string, KnownEntityAgreements>;

  constructor(
    private readonly store: AgreementStore,
    /** Entities kept (least recently read first out). */
    capacity = 2_000,
  ) {
    this.known = new TwoGenerationMap(capacity);
  }

  /** What was read last for the entity, if kept. */
  get(entityRef: string): KnownEntityAgreements | undefined {
    return this.known.get(entityRef.toLocaleLowerCase('en-US'));
  }

  /** Reads the entity's agreements (one statement) and keeps them. */
  async read(entityRef: string): Promise<KnownEntityAgreements> {
    const all = await this.store.list({ entityRef });
    const histories: Histories = new Map();
    const historiesOf: HistoriesOf = async ids => {
      const missing = ids.filter(id => !histories.has(id));
      const found = await this.store.versionsOf(missing);
      // An agreement without history rows (a bulk load) is kept as such.
      for (const id of missing) histories.set(id, found.get(id) ?? []);
      return new Map(ids.map(id => [id, histories.get(id)!]));
    };
    const entry: KnownEntityAgreements = {
      versions: new Map(all.map(a => [a.id, a.version])),
      inForceAt: (at, now) => agreementsInForceAmong(all, at, now, historiesOf),
    };
    this.known.set(entityRef.toLocaleLowerCase('en-US'), entry);
    return entry;
  }

  /** Drops what was kept for the entity (it was found changed). */
  forget(entityRef: string) {
    this.known.delete(entityRef.toLocaleLowerCase('en-US'));
  }
}
