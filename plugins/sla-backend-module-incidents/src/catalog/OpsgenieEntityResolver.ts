import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { OpsgenieSubject } from '../translate/opsgenie';
import {
  OPSGENIE_COMPONENT_SELECTOR_ANNOTATION,
  OPSGENIE_TEAM_ANNOTATION,
} from './annotations';
import { parseOpsgenieSelector } from './opsgenieSelector';
import type { EntityResolverOptions } from './PagerDutyEntityResolver';
import type { EntityResolution } from './types';

/** An entity with an Opsgenie annotation, ready to be matched. */
export interface OpsgenieCandidate {
  entityRef: string;
  /** Undefined when the entity has no (usable) component selector. */
  matches?: (subject: OpsgenieSubject) => boolean;
  hasSelector: boolean;
  team?: string;
}

/**
 * Picks the entity of an Opsgenie alert. Pure. An entity's
 * `opsgenie.com/component-selector` decides first: exactly one matching
 * entity is the answer, several are ambiguous. Only when no selector
 * matches, an entity WITHOUT a selector whose `opsgenie.com/team` names one
 * of the alert's teams is the answer, again only if it is the only one.
 */
export function pickOpsgenieEntity(
  candidates: OpsgenieCandidate[],
  subject: OpsgenieSubject,
): EntityResolution {
  const decide = (refs: string[]): EntityResolution | undefined => {
    const unique = [...new Set(refs)].sort();
    if (unique.length === 1) return { kind: 'found', entityRef: unique[0] };
    if (unique.length > 1) return { kind: 'ambiguous', entityRefs: unique };
    return undefined;
  };
  const bySelector = decide(
    candidates.filter(c => c.matches?.(subject)).map(c => c.entityRef),
  );
  if (bySelector) return bySelector;
  const teams = subject.teams.map(t => t.toLowerCase());
  const byTeam = decide(
    candidates
      .filter(
        c => !c.hasSelector && c.team && teams.includes(c.team.toLowerCase()),
      )
      .map(c => c.entityRef),
  );
  return byTeam ?? { kind: 'none' };
}

/**
 * Loads every entity with an Opsgenie annotation (paged, at most
 * `maxEntities`), parses the selectors once, and reuses the list for the
 * cache time to live. An alert is matched against the list in memory: a
 * component selector is an Opsgenie search query, which the catalog cannot
 * filter on.
 */
export class OpsgenieEntityResolver {
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #logger: LoggerService;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #maxEntities: number;
  #loaded?: { at: number; candidates: Promise<OpsgenieCandidate[]> };

  constructor(
    options: EntityResolverOptions & {
      logger: LoggerService;
      maxEntities?: number;
    },
  ) {
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#logger = options.logger;
    this.#ttlMs = options.cacheTtlMs;
    this.#now = options.now ?? Date.now;
    this.#maxEntities = options.maxEntities ?? 5000;
  }

  async resolve(subject: OpsgenieSubject): Promise<EntityResolution> {
    return pickOpsgenieEntity(await this.#candidates(), subject);
  }

  #candidates(): Promise<OpsgenieCandidate[]> {
    const now = this.#now();
    if (!this.#loaded || this.#loaded.at + this.#ttlMs <= now) {
      const candidates = this.#load();
      this.#loaded = { at: now, candidates };
      // a failed load is not reused
      candidates.catch(() => {
        if (this.#loaded?.candidates === candidates) this.#loaded = undefined;
      });
    }
    return this.#loaded.candidates;
  }

  async #load(): Promise<OpsgenieCandidate[]> {
    const credentials = await this.#auth.getOwnServiceCredentials();
    const candidates: OpsgenieCandidate[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.#catalog.queryEntities(
        cursor
          ? { cursor, limit: 500 }
          : {
              filter: [
                {
                  [`metadata.annotations.${OPSGENIE_COMPONENT_SELECTOR_ANNOTATION}`]:
                    CATALOG_FILTER_EXISTS,
                },
                {
                  [`metadata.annotations.${OPSGENIE_TEAM_ANNOTATION}`]:
                    CATALOG_FILTER_EXISTS,
                },
              ],
              fields: [
                'kind',
                'metadata.namespace',
                'metadata.name',
                'metadata.annotations',
              ],
              orderFields: { field: 'metadata.name', order: 'asc' },
              limit: 500,
            },
        { credentials },
      );
      for (const entity of page.items) {
        const entityRef = stringifyEntityRef(entity);
        const annotations = entity.metadata.annotations ?? {};
        const query =
          annotations[OPSGENIE_COMPONENT_SELECTOR_ANNOTATION]?.trim();
        const team = annotations[OPSGENIE_TEAM_ANNOTATION]?.trim() || undefined;
        let matches: OpsgenieCandidate['matches'];
        if (query) {
          const selector = parseOpsgenieSelector(query);
          if (selector.ok) matches = selector.matches;
          else {
            this.#logger.warn(
              `Opsgenie alerts are not matched to ${entityRef}: its ${OPSGENIE_COMPONENT_SELECTOR_ANNOTATION} ${JSON.stringify(
                query,
              )} cannot be used: ${selector.reason}`,
            );
          }
        }
        candidates.push({
          entityRef,
          matches,
          hasSelector: Boolean(query),
          team,
        });
      }
      cursor = page.pageInfo.nextCursor;
      if (cursor && candidates.length >= this.#maxEntities) {
        this.#logger.warn(
          `More than ${
            this.#maxEntities
          } entities have Opsgenie annotations; alerts are matched to the first ${
            candidates.length
          } by name only`,
        );
        break;
      }
    } while (cursor);
    return candidates;
  }
}
