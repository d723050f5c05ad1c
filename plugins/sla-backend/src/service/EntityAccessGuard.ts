import {
  AuthService,
  BackstageCredentials,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  RELATION_OWNED_BY,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { slaAgreementReadPermission } from '@opensla/backstage-plugin-sla-common';
import { entityRefInput } from './requestInput';

const ACTIONS: Record<string, string> = {
  'sla.agreement.create': 'create its agreements',
  'sla.agreement.update': 'change its agreements',
  'sla.measurement.create': 'push its measurements',
};

/**
 * Who may do what with an entity's agreements.
 *
 * Two checks, both must pass for a write:
 * 1. the installation's permission policy (our permissions are resource
 *    permissions on `catalog-entity`, so catalog rules such as isEntityOwner
 *    apply to conditional decisions);
 * 2. unless `sla.permissions.requireOwnership` is false, the caller must own
 *    the entity (the owning user, or a member of the owning group, read from
 *    the caller's ownership claims). This keeps the default safe with the
 *    allow-all policy that new Backstage apps ship with.
 * Service principals (other backends, external access tokens) skip check 2.
 * @internal
 */
export class EntityAccessGuard {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      permissions: PermissionsService;
      userInfo: UserInfoService;
      requireOwnership: boolean;
    },
  ) {}

  /** The catalog entity, read with the plugin's own credentials. */
  async getEntity(entityRef: string): Promise<Entity | undefined> {
    entityRefInput(entityRef);
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const entity = await this.options.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    return entity ?? undefined;
  }

  /** The catalog entities among `entityRefs` (by lower-cased ref). */
  async getEntities(entityRefs: string[]): Promise<Map<string, Entity>> {
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const { items } = await this.options.catalog.getEntitiesByRefs(
      { entityRefs },
      { credentials },
    );
    const found = new Map<string, Entity>();
    items.forEach((entity, i) => {
      if (entity) found.set(entityRefs[i].toLocaleLowerCase('en-US'), entity);
    });
    return found;
  }

  /** Entity refs of the entity's owners, from relations and spec.owner. */
  ownersOf(entity: Entity): string[] {
    const owners = new Set<string>();
    for (const relation of entity.relations ?? []) {
      if (relation.type === RELATION_OWNED_BY) {
        owners.add(relation.targetRef.toLocaleLowerCase('en-US'));
      }
    }
    const owner = entity.spec?.owner;
    if (typeof owner === 'string' && owner) {
      try {
        owners.add(
          stringifyEntityRef(
            parseEntityRef(owner, {
              defaultKind: 'group',
              defaultNamespace: entity.metadata.namespace ?? 'default',
            }),
          ).toLocaleLowerCase('en-US'),
        );
      } catch {
        // An unparsable owner grants nobody anything.
      }
    }
    return [...owners];
  }

  /**
   * The caller's decision on reading agreements as a whole: `all` when the
   * policy allows it outright, `none` when it denies it outright,
   * `conditional` when it depends on the entity (readableRefs asks per
   * entity). One decision.
   */
  async readDecision(
    credentials: BackstageCredentials,
  ): Promise<'all' | 'none' | 'conditional'> {
    const [overall] = await this.options.permissions.authorizeConditional(
      [{ permission: slaAgreementReadPermission }],
      { credentials },
    );
    if (overall.result === AuthorizeResult.ALLOW) return 'all';
    if (overall.result === AuthorizeResult.DENY) return 'none';
    return 'conditional';
  }

  /** The entity refs among `entityRefs` whose agreements the caller may read. */
  async readableRefs(
    credentials: BackstageCredentials,
    entityRefs: string[],
  ): Promise<Set<string>> {
    if (entityRefs.length === 0) return new Set();
    // One decision for the caller first: a policy that allows (or denies)
    // the permission outright answers every entity at once; only a
    // conditional decision is asked entity by entity.
    const overall = await this.readDecision(credentials);
    if (overall === 'all') return new Set(entityRefs);
    if (overall === 'none') return new Set();
    const decisions = await this.options.permissions.authorize(
      entityRefs.map(resourceRef => ({
        permission: slaAgreementReadPermission,
        resourceRef,
      })),
      { credentials },
    );
    return new Set(
      entityRefs.filter(
        (_, i) => decisions[i].result === AuthorizeResult.ALLOW,
      ),
    );
  }

  async isAllowed(
    credentials: BackstageCredentials,
    permission: ResourcePermission<'catalog-entity'>,
    entityRef: string,
    entity: Entity | undefined,
  ): Promise<boolean> {
    const [allowed] = await this.allowedEach(
      credentials,
      permission,
      [entityRef],
      () => entity,
    );
    return allowed;
  }

  /**
   * Whether the caller may act on each entity: the policy's decisions in
   * one request, then, for a write under `requireOwnership`, whether a
   * user owns the entity (at most one user-info read, and none when no
   * entity is left to check).
   */
  private async allowedEach(
    credentials: BackstageCredentials,
    permission: ResourcePermission<'catalog-entity'>,
    entityRefs: string[],
    entityOf: (entityRef: string) => Entity | undefined,
  ): Promise<boolean[]> {
    const decisions = await this.options.permissions.authorize(
      entityRefs.map(resourceRef => ({ permission, resourceRef })),
      { credentials },
    );
    const allowed = decisions.map(d => d.result === AuthorizeResult.ALLOW);
    const checkOwners =
      permission.attributes.action !== 'read' &&
      this.options.requireOwnership &&
      (credentials.principal as { type: string }).type !== 'service';
    if (!checkOwners) return allowed;
    const owned = entityRefs.map((ref, i) =>
      allowed[i] ? entityOf(ref) : undefined,
    );
    if (owned.every(e => e === undefined)) return allowed.map(() => false);
    const { ownershipEntityRefs } = await this.options.userInfo.getUserInfo(
      credentials,
    );
    const claims = new Set(
      ownershipEntityRefs.map(r => r.toLocaleLowerCase('en-US')),
    );
    return owned.map(
      entity =>
        entity !== undefined &&
        this.ownersOf(entity).some(owner => claims.has(owner)),
    );
  }

  /**
   * assertAllowed for many entities at once (a pushed batch): one decision
   * request for every entity and at most one user-info read, so a batch
   * over 1,000 entities costs about what one entity does. Throws for the
   * first entity refused, in the order given.
   */
  async assertAllAllowed(
    credentials: BackstageCredentials,
    permission: ResourcePermission<'catalog-entity'>,
    entityRefs: string[],
    entities: ReadonlyMap<string, Entity>,
  ): Promise<void> {
    if (entityRefs.length === 0) return;
    for (const entityRef of entityRefs) entityRefInput(entityRef);
    const entityOf = (ref: string) =>
      entities.get(ref.toLocaleLowerCase('en-US'));
    const allowed = await this.allowedEach(
      credentials,
      permission,
      entityRefs,
      entityOf,
    );
    const refused = allowed.indexOf(false);
    if (refused >= 0) {
      const ref = entityRefs[refused];
      this.refuse(permission, ref, entityOf(ref));
    }
  }

  private refuse(
    permission: ResourcePermission<'catalog-entity'>,
    entityRef: string,
    entity: Entity | undefined,
  ): never {
    const owners = entity ? this.ownersOf(entity) : [];
    throw new NotAllowedError(
      permission.attributes.action === 'read'
        ? `You may not read the agreements of ${entityRef}`
        : `Only the owners of ${entityRef}${
            owners.length ? ` (${owners.join(', ')})` : ''
          } may ${ACTIONS[permission.name] ?? permission.name}`,
    );
  }

  async assertAllowed(
    credentials: BackstageCredentials,
    permission: ResourcePermission<'catalog-entity'>,
    entityRef: string,
    entity: Entity | undefined,
  ): Promise<void> {
    entityRefInput(entityRef);
    if (!(await this.isAllowed(credentials, permission, entityRef, entity))) {
      this.refuse(permission, entityRef, entity);
    }
  }
}
