import type {
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { isError } from '@backstage/errors';
import type {
  CatalogProcessor,
  CatalogProcessorCache,
  CatalogProcessorEmit,
  LocationSpec,
} from '@backstage/plugin-catalog-node';
import {
  OPENSLO_ANNOTATION,
  OPENSLO_HASH_ANNOTATION,
  locationText,
  readOpenSloFile,
  resolveOpenSloLocations,
} from '@opensla/backstage-plugin-sla-node';
import { createHash } from 'crypto';

/** What the processor keeps per entity between two processings. */
type HashCache = {
  /** The hash last set on the entity (none before the first good read). */
  hash?: string;
  /** Per file (as locationText): its content hash and, for URLs, its etag. */
  files: Record<string, { hash: string; etag?: string }>;
  /** The last read failure, logged once until the next good read. */
  failure?: string;
};

const CACHE_KEY = 'openslo';
/** The content hash of a file that does not exist (a state, not a failure). */
const MISSING = 'missing';

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function isHashCache(value: unknown): value is HashCache {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as HashCache).files === 'object' &&
    (value as HashCache).files !== null
  );
}

/**
 * Sets `sla/openslo-hash` on every entity with `sla/openslo`: a hash of the
 * content of the OpenSLO files the annotation names, read on each
 * processing of the entity (the catalog's loop, and at once after a refresh).
 * When a file's content changes, the entity changes, its etag moves, and the
 * SLA backend's catalog graph sync reads the files again within about 30 s.
 *
 * Files are resolved as the SLA backend resolves them (relative to the
 * entity's catalog file; local files only inside its folder) and read the
 * same way: URLs through the UrlReader, with the etag of the last read so an
 * unchanged file costs a conditional request; local files from disk.
 *
 * A file that does not exist is part of the hash (deleting or restoring it
 * changes the entity). Any other read failure (network, permissions, a host
 * not allowed, a rate limit) never fails the entity's processing and never
 * changes the hash: the entity keeps the hash of its last good read (none
 * if there never was one), so a flaky read does not churn the entity. The
 * failure is logged once; the SLA backend's scheduled read reports it.
 *
 * @public
 */
export class OpenSloHashProcessor implements CatalogProcessor {
  constructor(
    private readonly options: {
      reader: Pick<UrlReaderService, 'readUrl'>;
      logger: LoggerService;
    },
  ) {}

  getProcessorName(): string {
    return 'SlaOpenSloHashProcessor';
  }

  async preProcessEntity(
    entity: Entity,
    _location: LocationSpec,
    _emit: CatalogProcessorEmit,
    _originLocation: LocationSpec,
    cache: CatalogProcessorCache,
  ): Promise<Entity> {
    const annotations = entity.metadata.annotations ?? {};
    const annotation = annotations[OPENSLO_ANNOTATION];
    if (!annotation) return entity;
    const hash = await this.hashFiles(entity, annotation, cache);
    if (!hash) return entity;
    return {
      ...entity,
      metadata: {
        ...entity.metadata,
        annotations: { ...annotations, [OPENSLO_HASH_ANNOTATION]: hash },
      },
    };
  }

  /** The hash to set, or undefined for none. Never throws. */
  private async hashFiles(
    entity: Entity,
    annotation: string,
    cache: CatalogProcessorCache,
  ): Promise<string | undefined> {
    const cached = await cache.get(CACHE_KEY);
    const previous = isHashCache(cached) ? cached : undefined;
    const resolved = resolveOpenSloLocations(
      annotation,
      entity.metadata.annotations ?? {},
    );
    // Nothing to read: the annotation itself is wrong. That is a change of
    // the entity, which the SLA backend sees (and reports) anyway.
    if ('error' in resolved) return undefined;

    const files: HashCache['files'] = {};
    for (const location of resolved.locations) {
      const key = locationText(location);
      const before = previous?.files[key];
      try {
        const { text, etag } = await readOpenSloFile(
          this.options.reader,
          location,
          { etag: before?.etag },
        );
        files[key] = { hash: sha256(text), ...(etag ? { etag } : {}) };
      } catch (error) {
        const name = isError(error) ? error.name : '';
        if (name === 'NotModifiedError' && before) {
          files[key] = before;
        } else if (name === 'NotFoundError') {
          files[key] = { hash: MISSING };
        } else {
          const failure = `${key} could not be read: ${
            isError(error) ? error.message : String(error)
          }`;
          if (previous?.failure !== failure) {
            this.options.logger.warn(
              `OpenSLO files of ${stringifyEntityRef(entity)}: ${failure}; ${
                previous?.hash
                  ? 'the entity keeps the hash of the last good read'
                  : 'no hash set'
              }`,
            );
          }
          await cache.set<HashCache>(CACHE_KEY, {
            ...(previous ?? { files: {} }),
            failure,
          });
          return previous?.hash;
        }
      }
    }
    const hash = sha256(
      JSON.stringify(
        resolved.locations.map(location => {
          const key = locationText(location);
          return [key, files[key].hash];
        }),
      ),
    );
    await cache.set<HashCache>(CACHE_KEY, { hash, files });
    return hash;
  }
}
