import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError } from '@backstage/errors';
import {
  Agreement,
  BlastRadiusItem,
  DependencyBound,
  TargetViability,
  ViabilityOverrideRecord,
  ViabilityReport,
  slaAgreementReadPermission,
} from '@opensla/backstage-plugin-sla-common';
import type { Knex } from 'knex';
import {
  DependencyGraph,
  EntitySupport,
  ViabilityCalculator,
  agreedAvailabilityBounds,
  alignmentFindings,
  blastRadius,
  judgeObjective,
  refsInViabilityReport,
  restrictBlastRadius,
  restrictViabilityReport,
} from '../domain/viability';
import { AgreementStore } from '../store/AgreementStore';
import { CatalogGraphIndex } from './CatalogGraphIndex';
import { EntityAccessGuard } from './EntityAccessGuard';

const CLOSED = new Set(['withdrawn', 'expired']);
// Bind parameters per query: within SQLite's (32,766) and PostgreSQL's limits.
const CHUNK = 5_000;
const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

function parseObjective(objective: unknown): number | undefined {
  if (objective === undefined) return undefined;
  const value = typeof objective === 'number' ? objective : Number(objective);
  if (!Number.isFinite(value) || value <= 0 || value > 100) {
    throw new InputError(
      'objective must be a number greater than 0 and at most 100',
    );
  }
  return value;
}

/** The weakest link in the 409's words: its bound only for its readers. */
function weakestLinkText(
  link: { entityRef: string; bound: number; source: string } | undefined,
  readable: boolean,
): string {
  if (!link) return '';
  if (!readable) return ` (weakest link: ${link.entityRef}, restricted)`;
  return ` (weakest link: ${link.entityRef} at ${link.bound} %, ${link.source})`;
}

/** The dependencies as TargetViability lists them: without the tree. */
function flat(dependencies: DependencyBound[]): DependencyBound[] {
  return dependencies.map(({ children: _c, repeated: _r, ...d }) => d);
}

/**
 * Viability analysis use cases: GET /viability, GET /blast-radius and the
 * check before an agreement is agreed. The graph comes from the in-memory
 * catalog index; the agreements in force of the entities involved are read
 * in one query per 5,000 entities; the figures are the pure domain's.
 * @internal
 */
export class ViabilityService {
  constructor(
    private readonly options: {
      db: Knex;
      agreements: AgreementStore;
      graph: CatalogGraphIndex;
      guard: EntityAccessGuard;
    },
  ) {}

  /**
   * Parsed agreements by id, with the version they were parsed at: a large
   * graph reads thousands of agreements, and parsing their JSON again on
   * every request would dominate. Rows are still read every time (ids and
   * versions only), so a change made by another replica is seen at once.
   */
  private readonly parsed = new Map<
    string,
    { version: number; agreement: Agreement }
  >();

  /** The agreed agreements of the given entities, by lower-case ref. */
  private async agreedOf(refs: Iterable<string>) {
    const all = [...refs];
    const current: Array<{ id: string; version: number }> = [];
    for (let i = 0; i < all.length; i += CHUNK) {
      const rows = await this.options
        .db('sla_agreements')
        .whereIn('entity_ref', all.slice(i, i + CHUNK))
        .where('status', 'agreed')
        .orderBy('created_at', 'desc')
        .select('id', 'version');
      for (const row of rows) {
        current.push({ id: row.id, version: Number(row.version) });
      }
    }
    const stale = current
      .filter(r => this.parsed.get(r.id)?.version !== r.version)
      .map(r => r.id);
    for (let i = 0; i < stale.length; i += CHUNK) {
      const rows = await this.options
        .db('sla_agreements')
        .whereIn('id', stale.slice(i, i + CHUNK))
        .select('id', 'version', 'data');
      for (const row of rows) {
        this.parsed.set(row.id, {
          version: Number(row.version),
          agreement: JSON.parse(row.data),
        });
      }
    }
    const byEntity = new Map<string, Agreement[]>();
    for (const { id } of current) {
      const agreement = this.parsed.get(id)?.agreement;
      if (!agreement || agreement.status !== 'agreed') continue;
      const ref = lower(agreement.entityRef);
      const list = byEntity.get(ref) ?? [];
      list.push(agreement);
      byEntity.set(ref, list);
    }
    return byEntity;
  }

  /** The entities reachable from `starts` along dependencies (soft ones included: they are reported too). */
  private reachable(graph: DependencyGraph, starts: string[]): Set<string> {
    const seen = new Set(starts);
    const queue = [...starts];
    for (let i = 0; i < queue.length; i++) {
      for (const d of graph.directDependencies(queue[i])) {
        if (!seen.has(d.entityRef)) {
          seen.add(d.entityRef);
          queue.push(d.entityRef);
        }
      }
    }
    return seen;
  }

  /** The catalog entity (400 if unknown), after the read check (403). */
  private async readableEntity(
    credentials: BackstageCredentials,
    entityRef: string,
  ) {
    const entity = await this.options.guard.getEntity(entityRef);
    if (!entity) {
      throw new InputError(
        `entityRef ${entityRef} is not an entity in the catalog`,
      );
    }
    const ref = lower(stringifyEntityRef(entity));
    await this.options.guard.assertAllowed(
      credentials,
      slaAgreementReadPermission,
      ref,
      entity,
    );
    return { entity, ref };
  }

  /** The figures of one entity and the agreements in force around it. */
  private async analyse(graph: DependencyGraph, ref: string) {
    const agreed = await this.agreedOf(this.reachable(graph, [ref]));
    const support = new ViabilityCalculator(
      graph,
      agreedAvailabilityBounds([...agreed.values()].flat()),
    ).analyse(ref);
    return { support, agreed };
  }

  private itemsFor(
    graph: DependencyGraph,
    support: EntitySupport,
    agreed: Map<string, Agreement[]>,
    agreements: Agreement[],
    options: { objective?: number; targetId?: string } = {},
  ) {
    const direct = graph.directDependencies(support.entityRef);
    const misaligned = agreements.flatMap(a =>
      alignmentFindings(a, direct, agreed),
    );
    const item = (
      target: { id: string; name?: string; objective: number },
      agreementId?: string,
    ): TargetViability => {
      const objective = options.objective ?? target.objective;
      const judged = judgeObjective(support.supportable, objective);
      return {
        targetId: target.id,
        ...(agreementId ? { agreementId } : {}),
        ...(target.name ? { name: target.name } : {}),
        objective,
        supportable: support.supportable,
        viable: judged.viable,
        headroom: judged.headroom,
        ...(support.weakestLink
          ? {
              weakestLink: support.weakestLink.entityRef,
              weakestLinkBound: support.weakestLink.bound,
            }
          : {}),
        dependencies: flat(support.dependencies),
        misaligned: misaligned.filter(m => m.agreementId === agreementId),
        cycles: support.cycles,
      };
    };
    const items = agreements.flatMap(a =>
      a.targets
        .filter(t => t.aspect === 'availability')
        .filter(t => !options.targetId || t.id === options.targetId)
        .map(t => item(t, a.id)),
    );
    if (!items.length && options.objective !== undefined) {
      items.push(
        item(
          { id: 'what-if', objective: options.objective },
          agreements.length === 1 ? agreements[0].id : undefined,
        ),
      );
    }
    return { items, misaligned };
  }

  async viability(
    credentials: BackstageCredentials,
    query: {
      entityRef: string;
      agreementId?: string;
      targetId?: string;
      objective?: unknown;
    },
  ): Promise<ViabilityReport> {
    const objective = parseObjective(query.objective);
    const { entity, ref } = await this.readableEntity(
      credentials,
      query.entityRef,
    );
    let agreements: Agreement[];
    if (query.agreementId) {
      const agreement = await this.options.agreements.get(query.agreementId);
      if (!agreement || lower(agreement.entityRef) !== ref) {
        throw new InputError(
          `agreementId ${query.agreementId} is not an agreement of ${ref}`,
        );
      }
      agreements = [agreement];
    } else {
      agreements = (
        await this.options.agreements.list({ entityRef: ref })
      ).filter(a => !CLOSED.has(a.status));
    }
    if (
      query.targetId &&
      !agreements.some(a => a.targets.some(t => t.id === query.targetId))
    ) {
      throw new InputError(
        `targetId ${query.targetId} is not a target of ${
          query.agreementId ? `agreement ${query.agreementId}` : ref
        }`,
      );
    }
    const graph = await this.options.graph.get(entity);
    const { support, agreed } = await this.analyse(graph, ref);
    const { items, misaligned } = this.itemsFor(
      graph,
      support,
      agreed,
      agreements,
      { objective, targetId: query.targetId },
    );
    const report: ViabilityReport = {
      items,
      entityRef: ref,
      supportable: support.supportable,
      dependencies: support.dependencies,
      softDependencies: support.softDependencies,
      misaligned,
      cycles: support.cycles,
    };
    if (support.weakestLink) report.weakestLink = support.weakestLink;
    // What the answer says about other entities: only what the reader may
    // read (one batched decision); the figures still use every agreement.
    const readable = await this.options.guard.readableRefs(
      credentials,
      refsInViabilityReport(report).filter(r => r !== ref),
    );
    const names = new Map(
      agreements.flatMap(a =>
        a.targets.map(t => [`${a.id}\u0000${t.id}`, t.name] as const),
      ),
    );
    return restrictViabilityReport(
      report,
      r => r === ref || readable.has(r),
      (agreementId, targetId) => names.get(`${agreementId}\u0000${targetId}`),
    );
  }

  async blastRadius(
    credentials: BackstageCredentials,
    query: { entityRef: string; at?: string; objective?: unknown },
  ): Promise<BlastRadiusItem[]> {
    const objective = parseObjective(query.objective);
    const { entity, ref } = await this.readableEntity(
      credentials,
      query.entityRef,
    );
    const graph = await this.options.graph.get(entity);
    const dependents: string[] = [];
    const seen = new Set([ref]);
    for (let i = -1; i < dependents.length; i++) {
      for (const d of graph.dependents(i < 0 ? ref : dependents[i])) {
        if (!d.soft && !seen.has(d.entityRef)) {
          seen.add(d.entityRef);
          dependents.push(d.entityRef);
        }
      }
    }
    const involved =
      objective === undefined
        ? new Set([ref, ...dependents])
        : this.reachable(graph, [ref, ...dependents]);
    const agreed = await this.agreedOf(involved);
    const items = blastRadius(
      graph,
      agreed,
      agreedAvailabilityBounds([...agreed.values()].flat()),
      ref,
      objective,
    );
    // A dependent the reader may not read is shown restricted (ref and
    // path only), so the reader still learns that a breach reaches it.
    const readable = await this.options.guard.readableRefs(credentials, [
      ...new Set(items.map(i => lower(i.entityRef))),
    ]);
    return restrictBlastRadius(items, r => readable.has(r));
  }

  /**
   * Before `agreement` becomes agreed: its availability targets must be
   * viable, or the owner overrides with a reason (kept in the history).
   * Returns what to record, if an override was used.
   */
  async checkBeforeAgreeing(
    agreement: Agreement,
    override?: { reason?: unknown },
    /** Who agrees: the 409's details about the weakest link are for readers of it only. */
    credentials?: BackstageCredentials,
  ): Promise<ViabilityOverrideRecord | undefined> {
    const reason =
      override && typeof override.reason === 'string'
        ? override.reason.trim()
        : undefined;
    if (override && !reason) {
      throw new InputError(
        'viabilityOverride.reason must say why the agreement is agreed although it is not viable',
      );
    }
    const ref = lower(agreement.entityRef);
    if (!agreement.targets.some(t => t.aspect === 'availability')) {
      return undefined;
    }
    const entity = await this.options.guard.getEntity(ref);
    const graph = await this.options.graph.get(entity);
    const { support, agreed } = await this.analyse(graph, ref);
    const { items } = this.itemsFor(graph, support, agreed, [agreement]);
    const shortfalls = items
      .filter(i => !i.viable)
      .map(i => ({
        targetId: i.targetId,
        objective: i.objective,
        supportable: support.supportable,
        ...(i.weakestLink ? { weakestLink: i.weakestLink } : {}),
      }));
    if (!shortfalls.length) return undefined;
    if (!reason) {
      const link = support.weakestLink;
      const linkReadable =
        !link ||
        !credentials ||
        (
          await this.options.guard.readableRefs(credentials, [link.entityRef])
        ).has(link.entityRef);
      const details = items
        .filter(i => !i.viable)
        .map(
          i =>
            `target ${i.name ?? i.targetId} (${i.targetId}) promises ${
              i.objective
            } % but its dependencies support at most ${
              support.supportable
            } %${weakestLinkText(link, linkReadable)}`,
        );
      throw new ConflictError(
        `The agreement is not viable: ${details.join(
          '; ',
        )}. Lower the objective, strengthen the dependencies' agreements, or agree anyway with viabilityOverride: { reason }`,
      );
    }
    return { reason, shortfalls };
  }
}
