import { AuthService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type {
  FactRetriever,
  FactRetrieverContext,
  TechInsightFact,
} from '@backstage-community/plugin-tech-insights-node';
import {
  DefaultApiClient,
  Portfolio,
  ServiceSummary,
  TargetViability,
} from '@opensla/backstage-plugin-sla-common';
import { DateTime } from 'luxon';

/** The retriever's id: its cadence is `techInsights.factRetrievers.slaFactRetriever`. @public */
export const SLA_FACT_RETRIEVER_ID = 'slaFactRetriever';

/** Options of {@link createSlaFactRetriever}. @public */
export type SlaFactRetrieverOptions = {
  /** Lists the entities that get facts (those matching the entity filter). */
  catalog: CatalogService;
  /** Which entities get facts. Default: components, systems, APIs and resources. */
  entityFilter?: FactRetriever['entityFilter'];
  /** Entities whose viability is read at the same time (default 4). */
  concurrency?: number;
  /** The instant the facts are for (default now); a parameter for tests. */
  now?: () => DateTime;
};

/**
 * Facts per entity from the SLA plugin, read through its HTTP API as the
 * tech-insights plugin:
 * - `GET /portfolio` once per run (every service with agreements: in force,
 *   target statuses, CSAT, watermelon, review dues), paged when the API pages;
 * - `GET /viability` for each entity with agreements in force, a few at a time.
 * Entities without agreements get facts too (`hasAgreedSla: false`), so a
 * scorecard can fail them.
 * @public
 */
export function createSlaFactRetriever(
  options: SlaFactRetrieverOptions,
): FactRetriever {
  const entityFilter = options.entityFilter ?? [
    { kind: ['component', 'system', 'api', 'resource'] },
  ];
  return {
    id: SLA_FACT_RETRIEVER_ID,
    version: '0.1.0',
    title: 'Service levels',
    description:
      'Agreed SLA, targets met and viable, reviews on time, CSAT and watermelon (from the SLA plugin)',
    entityFilter,
    schema: {
      hasAgreedSla: {
        type: 'boolean',
        description:
          'An agreement of kind SLA is in force (agreed and in date)',
      },
      allTargetsMet: {
        type: 'boolean',
        description:
          'Every target in force has data and is met (at risk counts as met, no data does not); false without targets in force',
      },
      allTargetsViable: {
        type: 'boolean',
        description:
          "No availability target in force asks for more than its dependencies' agreements support; false without agreements in force",
      },
      serviceReviewOverdue: {
        type: 'boolean',
        description:
          'The next service review of an agreement in force is past due (false = fine)',
      },
      agreementReviewOverdue: {
        type: 'boolean',
        description:
          'The yearly review of an agreement in force is past due (false = fine)',
      },
      csat: {
        type: 'float',
        description:
          'Customer satisfaction over the last 30 days: percent of answers scoring 4 or 5; null without answers',
      },
      watermelon: {
        type: 'boolean',
        description:
          'Targets met while users are dissatisfied (green outside, red inside)',
      },
    },
    handler: async (ctx: FactRetrieverContext) => {
      const now = options.now?.() ?? DateTime.utc();
      const client = new DefaultApiClient({ discoveryApi: ctx.discovery });
      const token = await slaToken(ctx.auth);
      const [entities, services] = await Promise.all([
        readEntities(
          options.catalog,
          ctx.auth,
          ctx.entityFilter ?? entityFilter,
        ),
        readPortfolio(client, token, now),
      ]);
      const inForce = entities
        .map(e => normalize(stringifyEntityRef(e)))
        .filter(ref => (services.get(ref)?.agreementsInForce ?? 0) > 0);
      const viable = await readViability(
        client,
        token,
        inForce,
        options.concurrency ?? 4,
        ctx.logger,
      );
      return entities.map((entity): TechInsightFact => {
        const ref = normalize(stringifyEntityRef(entity));
        return {
          entity: {
            namespace: entity.metadata.namespace ?? 'default',
            kind: entity.kind,
            name: entity.metadata.name,
          },
          timestamp: now,
          facts: factsOf(services.get(ref), viable.get(ref), now),
        };
      });
    },
  };
}

/** The facts of one entity (pure, so its rules read in one place). */
export function factsOf(
  service: ServiceSummary | undefined,
  viable: boolean | undefined,
  now: DateTime,
) {
  const inForce = (service?.agreementsInForce ?? 0) > 0;
  const isPast = (due: string | null | undefined) =>
    Boolean(due) && DateTime.fromISO(due!).toMillis() <= now.toMillis();
  return {
    hasAgreedSla: Boolean(service?.slaAgreedInDate),
    allTargetsMet:
      inForce &&
      service!.targets > 0 &&
      service!.targetsMet === service!.targets,
    allTargetsViable: inForce && viable === true,
    serviceReviewOverdue: inForce && isPast(service!.nextServiceReviewDue),
    agreementReviewOverdue: inForce && isPast(service!.nextAgreementReviewDue),
    csat:
      service && service.csat !== null && service.csatResponses > 0
        ? service.csat
        : null,
    watermelon: Boolean(service?.watermelon),
  };
}

async function slaToken(auth: AuthService): Promise<string> {
  const { token } = await auth.getPluginRequestToken({
    onBehalfOf: await auth.getOwnServiceCredentials(),
    targetPluginId: 'sla',
  });
  return token;
}

async function readEntities(
  catalog: CatalogService,
  auth: AuthService,
  filter: NonNullable<FactRetriever['entityFilter']>,
): Promise<Entity[]> {
  const credentials = await auth.getOwnServiceCredentials();
  const entities: Entity[] = [];
  let cursor: string | undefined;
  do {
    const page = await catalog.queryEntities(
      cursor
        ? { cursor, limit: 1000 }
        : {
            filter: filter as any,
            limit: 1000,
            fields: ['kind', 'metadata.name', 'metadata.namespace'],
          },
      { credentials },
    );
    entities.push(...page.items);
    cursor = page.pageInfo.nextCursor;
  } while (cursor);
  return entities;
}

/** Every service with agreements, by lower-cased entity ref. */
async function readPortfolio(
  client: DefaultApiClient,
  token: string,
  now: DateTime,
): Promise<Map<string, ServiceSummary>> {
  const services = new Map<string, ServiceSummary>();
  let cursor: string | undefined;
  do {
    const response = await client.getPortfolio(
      { query: { at: now.toISO()!, ...(cursor ? { cursor } : {}) } as any },
      { token },
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    const page = (await response.json()) as Portfolio & { nextCursor?: string };
    for (const item of page.items)
      services.set(normalize(item.entityRef), item);
    cursor = page.nextCursor;
  } while (cursor);
  return services;
}

/** Whether every availability target in force of each entity is viable. */
async function readViability(
  client: DefaultApiClient,
  token: string,
  refs: string[],
  concurrency: number,
  logger: FactRetrieverContext['logger'],
): Promise<Map<string, boolean>> {
  const result = new Map<string, boolean>();
  let next = 0;
  const worker = async () => {
    while (next < refs.length) {
      const ref = refs[next++];
      try {
        const response = await client.getViability(
          { query: { entityRef: ref } },
          { token },
        );
        if (!response.ok) throw await ResponseError.fromResponse(response);
        const { items } = (await response.json()) as {
          items: TargetViability[];
        };
        result.set(
          ref,
          items.every(t => t.viable),
        );
      } catch (error) {
        // left unknown, so allTargetsViable is false for this entity
        logger.warn(`Could not read the viability of ${ref}: ${error}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return result;
}

function normalize(ref: string): string {
  return stringifyEntityRef(parseEntityRef(ref)).toLocaleLowerCase('en-US');
}
