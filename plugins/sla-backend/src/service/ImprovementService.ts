import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  formatFieldErrors,
  parseInstant,
  slaAgreementReadPermission,
  slaAgreementUpdatePermission,
} from '@opensla/backstage-plugin-sla-common';
import { v4 as uuid } from 'uuid';
import {
  ImprovementPlan,
  improvementPlan,
  isImprovementMoveAllowed,
  validateImprovementInput,
} from '../domain/reviews';
import { AgreementStore } from '../store/AgreementStore';
import { ImprovementStore } from '../store/ImprovementStore';
import { Clock } from './AgreementService';
import { EntityAccessGuard } from './EntityAccessGuard';
import type {
  Improvement,
  ImprovementInput,
} from '@opensla/backstage-plugin-sla-common';
import { principalRef } from './SatisfactionService';

type ImprovementInputWithId = ImprovementInput & { id: string };

type Body = Omit<
  Improvement,
  'id' | 'version' | 'createdAt' | 'createdBy' | 'updatedAt' | 'updatedBy'
> & { version?: number };

/**
 * Improvement initiatives and the service improvement plan: readers (the
 * service's consumers too) see the plan and its progress; owners write.
 * @internal
 */
export class ImprovementService {
  constructor(
    private readonly options: {
      improvements: ImprovementStore;
      agreements: AgreementStore;
      guard: EntityAccessGuard;
      clock: Clock;
    },
  ) {}

  async list(
    credentials: BackstageCredentials,
    query: { entityRef?: string; status?: string },
  ): Promise<{ items: Improvement[]; plan: ImprovementPlan }> {
    if (!query.entityRef) throw new InputError('entityRef is required');
    await this.options.guard.assertAllowed(
      credentials,
      slaAgreementReadPermission,
      query.entityRef,
      undefined,
    );
    const all = await this.options.improvements.list(query.entityRef);
    const items = query.status
      ? all.filter(i => i.status === query.status)
      : all;
    return {
      items,
      plan: improvementPlan(all, this.options.clock().getTime()),
    };
  }

  /** The entity after the owner check, and the targets checked against its agreements. */
  private async checked(
    credentials: BackstageCredentials,
    entityRef: string,
    input: Body,
  ) {
    const entity = await this.options.guard.getEntity(entityRef);
    if (!entity) {
      throw new InputError(
        `entityRef ${entityRef} is not an entity in the catalog`,
      );
    }
    const ref = stringifyEntityRef(entity);
    await this.options.guard.assertAllowed(
      credentials,
      slaAgreementUpdatePermission,
      ref,
      entity,
    );
    await this.checkTargets(ref, input);
    return ref;
  }

  /** Each linked target must be a target of one of the entity's agreements. */
  private async checkTargets(ref: string, input: Body) {
    const targets = input.targets ?? [];
    const agreements = await this.options.agreements.getMany([
      ...new Set(targets.map(t => t.agreementId)),
    ]);
    targets.forEach((t, i) => {
      const agreement = agreements.get(t.agreementId);
      if (!agreement || agreement.entityRef !== ref) {
        throw new InputError(
          `targets[${i}].agreementId ${t.agreementId} is not an agreement of ${ref}`,
        );
      }
      if (!agreement.targets.some(x => x.id === t.targetId)) {
        throw new InputError(
          `targets[${i}].targetId ${t.targetId} is not a target of agreement ${t.agreementId}`,
        );
      }
    });
  }

  private content(input: Body, now: string, previous?: Improvement) {
    const status = input.status ?? previous?.status ?? 'proposed';
    return {
      title: input.title.trim(),
      ...(input.description ? { description: input.description } : {}),
      source: input.source,
      ...(input.sourceId ? { sourceId: input.sourceId } : {}),
      owner: input.owner,
      status,
      ...(input.progress !== undefined ? { progress: input.progress } : {}),
      ...(input.due ? { due: new Date(input.due).toISOString() } : {}),
      targets: (input.targets ?? []).map(t => ({
        agreementId: t.agreementId,
        targetId: t.targetId,
      })),
      ...(status === 'done'
        ? { completedAt: previous?.completedAt ?? now }
        : {}),
    };
  }

  /**
   * Stores seeded initiatives whose id does not exist yet (module-provided,
   * e.g. demo data), checked like POST /improvements without the owner
   * check: an invalid one, or one naming targets that are not the entity's,
   * is reported through `warn` and skipped. Answers how many were stored.
   */
  async seed(
    seeds: Array<
      ImprovementInputWithId & {
        createdBy?: string;
        createdAt?: string;
        completedAt?: string;
      }
    >,
    warn: (message: string) => void,
  ): Promise<number> {
    let stored = 0;
    for (const seed of seeds) {
      const { id, createdBy, createdAt, completedAt, ...body } = seed;
      const errors = validateImprovementInput(body, 'create');
      if (typeof id !== 'string' || !id || id.length > 64) {
        errors.unshift({
          field: 'id',
          message: 'is required (at most 64 characters)',
        });
      }
      for (const field of ['createdAt', 'completedAt'] as const) {
        const value = seed[field];
        if (value !== undefined && parseInstant(value) === undefined) {
          errors.push({ field, message: 'must be an ISO 8601 instant' });
        }
      }
      if (errors.length) {
        warn(`Improvement seed ${id} skipped: ${formatFieldErrors(errors)}`);
        continue;
      }
      if (await this.options.improvements.get(id)) continue;
      const input = body as Body;
      try {
        await this.checkTargets(input.entityRef, input);
      } catch (error) {
        warn(`Improvement seed ${id} skipped: ${(error as Error).message}`);
        continue;
      }
      const at = createdAt
        ? new Date(createdAt).toISOString()
        : this.options.clock().toISOString();
      const by = createdBy ?? 'sla:seed';
      const done = completedAt
        ? new Date(completedAt).toISOString()
        : this.options.clock().toISOString();
      const inserted = await this.options.improvements.insertIfAbsent({
        id,
        entityRef: input.entityRef,
        ...this.content(input, done),
        version: 1,
        createdAt: at,
        createdBy: by,
        updatedAt: at,
        updatedBy: by,
      });
      if (inserted) stored++;
    }
    return stored;
  }

  async create(
    credentials: BackstageCredentials,
    body: unknown,
  ): Promise<Improvement> {
    const errors = validateImprovementInput(body, 'create');
    if (errors.length) throw new InputError(formatFieldErrors(errors));
    const input = body as Body;
    const ref = await this.checked(credentials, input.entityRef, input);
    const now = this.options.clock().toISOString();
    const by = principalRef(credentials);
    const improvement: Improvement = {
      id: uuid(),
      entityRef: ref,
      ...this.content(input, now),
      version: 1,
      createdAt: now,
      createdBy: by,
      updatedAt: now,
      updatedBy: by,
    };
    await this.options.improvements.insert(improvement);
    return improvement;
  }

  async update(
    credentials: BackstageCredentials,
    id: string,
    body: unknown,
  ): Promise<Improvement> {
    const errors = validateImprovementInput(body, 'update');
    if (errors.length) throw new InputError(formatFieldErrors(errors));
    const input = body as Body;
    const current = await this.options.improvements.get(id);
    if (!current) throw new NotFoundError(`No improvement with id ${id}`);
    await this.checked(credentials, current.entityRef, input);
    if (input.version !== current.version) {
      throw new ConflictError(
        `version ${input.version} is stale: the initiative was changed by ${current.updatedBy} at ${current.updatedAt} and is now at version ${current.version}; reload it and apply your change again`,
      );
    }
    const to = input.status ?? current.status;
    if (!isImprovementMoveAllowed(current.status, to)) {
      throw new ConflictError(
        `The initiative is ${current.status}; it cannot move to ${to}`,
      );
    }
    const now = this.options.clock().toISOString();
    const next: Improvement = {
      ...this.content(input, now, current),
      id,
      entityRef: current.entityRef,
      version: current.version + 1,
      createdAt: current.createdAt,
      createdBy: current.createdBy,
      updatedAt: now,
      updatedBy: principalRef(credentials),
    };
    if (!(await this.options.improvements.update(next, current.version))) {
      throw new ConflictError(
        `version ${input.version} is stale: the initiative changed meanwhile; reload it`,
      );
    }
    return next;
  }
}
