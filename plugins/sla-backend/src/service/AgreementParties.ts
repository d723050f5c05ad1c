import {
  BackstageCredentials,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { Entity, RELATION_HAS_MEMBER } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  Agreement,
  AgreementParty,
  customerMustSign,
  customerPartyRef,
  slaAgreementSignPermission,
} from '@opensla/backstage-plugin-sla-common';
import { EntityAccessGuard } from './EntityAccessGuard';

/** The two sides of an agreement, resolved against the catalog. @internal */
export type ResolvedParties = {
  /** The providing entity's owners (groups or users). */
  provider: string[];
  /** The customer's group or user, when `customer` names one. */
  customer?: string;
  /** The customer signs too (it names a party other than the provider's owners). */
  customerMustSign: boolean;
};

/** Whether and how the caller may sign for a party. @internal */
export type SignRight = { allowed: boolean; onBehalf: boolean };

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/**
 * Who the parties of an agreement are and who may sign for them.
 *
 * The provider is the entity's owner (as for every write); the customer is
 * the agreement's `customer` when it names a catalog Group or User. A
 * party's members sign for it: the user itself, or the members of the
 * group (the caller's ownership claims, which Backstage derives from
 * `memberOf`, or the group's `hasMember` relations). The permission policy
 * decides `sla.agreement.sign` on the party's entity: members need it
 * allowed; non-members may sign on behalf of the party only when
 * `sla.permissions.signOnBehalf` is true and the policy allows it (so the
 * allow-all policy of a new app lets nobody sign for another team).
 * @internal
 */
export class AgreementParties {
  constructor(
    private readonly options: {
      guard: EntityAccessGuard;
      permissions: PermissionsService;
      userInfo: UserInfoService;
      signOnBehalf: boolean;
    },
  ) {}

  async resolve(agreement: Agreement): Promise<ResolvedParties> {
    const entity = await this.options.guard.getEntity(agreement.entityRef);
    const provider = entity ? this.options.guard.ownersOf(entity) : [];
    const customer = customerPartyRef(agreement.customer);
    return {
      provider,
      ...(customer ? { customer } : {}),
      customerMustSign: customerMustSign(agreement, provider),
    };
  }

  /** The entity refs that sign for `party`. */
  refsOf(parties: ResolvedParties, party: AgreementParty): string[] {
    if (party === 'provider') return parties.provider;
    return parties.customer ? [parties.customer] : [];
  }

  /** Users who sign as members: the users themselves, the groups' members. */
  async signersOf(refs: string[]): Promise<string[]> {
    if (!refs.length) return [];
    const entities = await this.options.guard.getEntities(refs);
    const signers = new Set<string>();
    for (const ref of refs) {
      if (ref.startsWith('user:')) signers.add(ref);
      for (const m of this.membersOf(entities.get(lower(ref)))) signers.add(m);
    }
    return [...signers].sort();
  }

  private membersOf(entity: Entity | undefined): string[] {
    return (entity?.relations ?? [])
      .filter(r => r.type === RELATION_HAS_MEMBER)
      .map(r => lower(r.targetRef));
  }

  async maySign(
    credentials: BackstageCredentials,
    parties: ResolvedParties,
    party: AgreementParty,
  ): Promise<SignRight> {
    const refs = this.refsOf(parties, party);
    if (!refs.length) return { allowed: false, onBehalf: false };
    const principal = credentials.principal as {
      type: string;
      userEntityRef?: string;
    };
    let memberOf: string | undefined;
    if (principal.type === 'user' && principal.userEntityRef) {
      const { ownershipEntityRefs } =
        await this.options.userInfo.getUserInfo(credentials);
      const claims = new Set(ownershipEntityRefs.map(lower));
      claims.add(lower(principal.userEntityRef));
      memberOf = refs.find(r => claims.has(r));
      if (!memberOf) {
        const entities = await this.options.guard.getEntities(refs);
        const me = lower(principal.userEntityRef);
        memberOf = refs.find(r =>
          this.membersOf(entities.get(r)).includes(me),
        );
      }
    }
    if (!memberOf && !this.options.signOnBehalf) {
      return { allowed: false, onBehalf: false };
    }
    const [decision] = await this.options.permissions.authorize(
      [{ permission: slaAgreementSignPermission, resourceRef: memberOf ?? refs[0] }],
      { credentials },
    );
    const allowed = decision.result === AuthorizeResult.ALLOW;
    return { allowed, onBehalf: allowed && !memberOf };
  }
}
