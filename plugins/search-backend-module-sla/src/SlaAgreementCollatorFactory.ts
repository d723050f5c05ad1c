import { Readable } from 'stream';
import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  RELATION_OWNED_BY,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { ResponseError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { DocumentCollatorFactory } from '@backstage/plugin-search-common';
import {
  Agreement,
  DefaultApiClient,
  SLA_AGREEMENT_SEARCH_TYPE,
  SlaAgreementSearchDocument,
  TargetAttainment,
  TargetStatus,
  describeTarget,
  slaAgreementReadPermission,
} from '@opensla/backstage-plugin-sla-common';

/** Worst first: an agreement's status is the worst of its targets. */
const SEVERITY: Record<TargetStatus, number> = {
  breached: 3,
  'at-risk': 2,
  'no-data': 1,
  met: 0,
};

const STATUS_WORDS: Record<TargetStatus, string> = {
  met: 'met',
  'at-risk': 'at risk',
  breached: 'breached',
  'no-data': 'no data',
};

/** Options of {@link SlaAgreementCollatorFactory}. @public */
export type SlaAgreementCollatorFactoryOptions = {
  auth: AuthService;
  discovery: DiscoveryService;
  catalog: CatalogService;
  logger: LoggerService;
  /** Entities whose attainment is read at the same time (default 4). */
  concurrency?: number;
  /** Entities read from the catalog per request (default 200). */
  batchSize?: number;
  /** The entity page's tab the results link to (default `service-levels`). */
  entityTabPath?: string;
};

/**
 * Indexes every agreement that is not withdrawn, one document per agreement,
 * with its targets, their plain-words description and their status now.
 *
 * It reads through the SLA backend's HTTP API as the search plugin
 * (`auth.getPluginRequestToken`), so it sees what the API shows and needs no
 * access to the SLA database. Statuses come from `GET /attainment`, one
 * request per entity with agreements in force, a few at a time.
 *
 * Results are filtered per reader by the search backend: the document type's
 * visibility permission is `sla.agreement.read`, and each document's
 * `authorization.resourceRef` is its entity.
 * @public
 */
export class SlaAgreementCollatorFactory implements DocumentCollatorFactory {
  readonly type = SLA_AGREEMENT_SEARCH_TYPE;
  readonly visibilityPermission = slaAgreementReadPermission;

  private readonly client: DefaultApiClient;

  static fromConfig(
    config: Config,
    options: Omit<SlaAgreementCollatorFactoryOptions, 'entityTabPath'>,
  ): SlaAgreementCollatorFactory {
    return new SlaAgreementCollatorFactory({
      ...options,
      entityTabPath: config.getOptionalString(
        'search.collators.sla.entityTabPath',
      ),
    });
  }

  constructor(private readonly options: SlaAgreementCollatorFactoryOptions) {
    this.client = new DefaultApiClient({ discoveryApi: options.discovery });
  }

  async getCollator(): Promise<Readable> {
    return Readable.from(this.execute());
  }

  async *execute(): AsyncGenerator<SlaAgreementSearchDocument> {
    const { auth } = this.options;
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'sla',
    });
    const byEntity = new Map<string, Agreement[]>();
    for (const agreement of await this.readAgreements(token)) {
      if (agreement.status === 'withdrawn') continue;
      const list = byEntity.get(agreement.entityRef) ?? [];
      list.push(agreement);
      byEntity.set(agreement.entityRef, list);
    }
    const refs = [...byEntity.keys()];
    const batchSize = this.options.batchSize ?? 200;
    for (let i = 0; i < refs.length; i += batchSize) {
      const batch = refs.slice(i, i + batchSize);
      const entities = await this.readEntities(batch);
      const statuses = await this.readStatuses(
        token,
        batch.filter(ref => byEntity.get(ref)!.some(isInForce)),
      );
      for (const ref of batch) {
        const entity = entities.get(ref.toLocaleLowerCase('en-US'));
        for (const agreement of byEntity.get(ref)!) {
          yield this.toDocument(agreement, entity, statuses.get(ref));
        }
      }
    }
  }

  /** Every agreement, following `nextCursor` where the API pages its lists. */
  private async readAgreements(token: string): Promise<Agreement[]> {
    const all: Agreement[] = [];
    let cursor: string | undefined;
    do {
      const response = await this.client.listAgreements(
        { query: (cursor ? { cursor } : {}) as any },
        { token },
      );
      if (!response.ok) throw await ResponseError.fromResponse(response);
      const page = (await response.json()) as {
        items: Agreement[];
        nextCursor?: string;
      };
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return all;
  }

  private async readEntities(refs: string[]): Promise<Map<string, Entity>> {
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const { items } = await this.options.catalog.getEntitiesByRefs(
      { entityRefs: refs },
      { credentials },
    );
    const found = new Map<string, Entity>();
    items.forEach((entity, i) => {
      if (entity) found.set(refs[i].toLocaleLowerCase('en-US'), entity);
    });
    return found;
  }

  /** Each entity's target attainments by agreement and target id. */
  private async readStatuses(
    token: string,
    refs: string[],
  ): Promise<Map<string, Map<string, TargetAttainment>>> {
    const result = new Map<string, Map<string, TargetAttainment>>();
    let next = 0;
    const worker = async () => {
      while (next < refs.length) {
        const ref = refs[next++];
        try {
          const response = await this.client.getAttainment(
            { query: { entityRef: ref } },
            { token },
          );
          if (!response.ok) throw await ResponseError.fromResponse(response);
          const { items } = (await response.json()) as {
            items: TargetAttainment[];
          };
          result.set(
            ref,
            new Map(items.map(t => [`${t.agreementId}/${t.targetId}`, t])),
          );
        } catch (error) {
          // One entity's figures failing must not empty the whole index:
          // its agreements are indexed without status.
          this.options.logger.warn(
            `Could not read the attainment of ${ref} for search: ${error}`,
          );
        }
      }
    };
    await Promise.all(
      Array.from({ length: this.options.concurrency ?? 4 }, worker),
    );
    return result;
  }

  private toDocument(
    agreement: Agreement,
    entity: Entity | undefined,
    attainments: Map<string, TargetAttainment> | undefined,
  ): SlaAgreementSearchDocument {
    const targets = agreement.targets.map(target => {
      const figure = attainments?.get(`${agreement.id}/${target.id}`);
      return {
        id: target.id,
        name: target.name,
        aspect: target.aspect,
        description: describeTarget(target),
        objective: target.objective,
        ...(figure
          ? { attainment: figure.attainment, status: figure.status }
          : {}),
      };
    });
    const status = targets.reduce<TargetStatus | undefined>(
      (worst, t) =>
        t.status && (!worst || SEVERITY[t.status] > SEVERITY[worst])
          ? t.status
          : worst,
      undefined,
    );
    const entityName =
      entity?.metadata.title ??
      entity?.metadata.name ??
      parseEntityRef(agreement.entityRef).name;
    const owners = entity ? ownersOf(entity) : [];
    const text = [
      `${agreement.kind} for ${entityName} (${agreement.entityRef}), ${agreement.status}.`,
      status ? `Status: ${STATUS_WORDS[status]}.` : '',
      owners.length ? `Owned by ${owners.join(', ')}.` : '',
      agreement.description ?? '',
      ...targets.map(
        t =>
          `${t.name}: ${t.description}${
            t.status ? ` (${STATUS_WORDS[t.status]})` : ''
          }.`,
      ),
    ]
      .filter(Boolean)
      .join(' ');
    return {
      title: agreement.title,
      text,
      location: this.locationOf(agreement.entityRef),
      agreementId: agreement.id,
      kind: agreement.kind,
      lifecycleStatus: agreement.status,
      entityRef: agreement.entityRef,
      entityName,
      owners,
      ...(status ? { status } : {}),
      targets,
      authorization: { resourceRef: agreement.entityRef },
    };
  }

  private locationOf(entityRef: string): string {
    const { kind, namespace, name } = parseEntityRef(entityRef);
    const tab = this.options.entityTabPath ?? 'service-levels';
    return `/catalog/${encodeURIComponent(namespace)}/${encodeURIComponent(
      kind.toLocaleLowerCase('en-US'),
    )}/${encodeURIComponent(name)}/${tab}`;
  }
}

/** Only agreed agreements are in force (product.md §1), so only they have figures. */
function isInForce(agreement: Agreement): boolean {
  return agreement.status === 'agreed';
}

function ownersOf(entity: Entity): string[] {
  const owners = new Set<string>();
  for (const relation of entity.relations ?? []) {
    if (relation.type === RELATION_OWNED_BY) owners.add(relation.targetRef);
  }
  const owner = entity.spec?.owner;
  if (owners.size === 0 && typeof owner === 'string' && owner) {
    try {
      owners.add(
        stringifyEntityRef(
          parseEntityRef(owner, {
            defaultKind: 'group',
            defaultNamespace: entity.metadata.namespace ?? 'default',
          }),
        ),
      );
    } catch {
      // an unparsable owner is left out
    }
  }
  return [...owners];
}
