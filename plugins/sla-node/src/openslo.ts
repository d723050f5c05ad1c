import type { UrlReaderService } from '@backstage/backend-plugin-api';
import { parseLocationRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { promises as fs } from 'fs';
import path from 'path';

/**
 * The annotation naming an entity's OpenSLO files (comma-separated paths
 * relative to its catalog file, or URLs). See docs/slos-as-code.md.
 * @public
 */
export const OPENSLO_ANNOTATION = 'sla/openslo';

/**
 * The annotation the catalog module
 * `@opensla/backstage-plugin-catalog-backend-module-sla-openslo` sets: a
 * hash of the content of the files `sla/openslo` names, so that a change of
 * their content alone changes the entity (and its etag).
 * @public
 */
export const OPENSLO_HASH_ANNOTATION = 'sla/openslo-hash';

const MANAGED_BY_LOCATION = 'backstage.io/managed-by-location';

/**
 * One OpenSLO file to read: through the UrlReader (url) or from disk (file).
 * @public
 */
export type OpenSloLocation = { type: 'url' | 'file'; target: string };

/**
 * How a location is shown (in errors, the API and the UI).
 * @public
 */
export function locationText(location: OpenSloLocation): string {
  return location.type === 'url' ? location.target : `file:${location.target}`;
}

function isAbsoluteUrl(value: string): boolean {
  return /^https?:\/\//i.test(value);
}

/**
 * The files named by `sla/openslo` (comma-separated paths or URLs), resolved
 * against the location the entity was read from (its catalog-info.yaml,
 * `backstage.io/managed-by-location`): a relative path is a sibling of that
 * file. Local catalog files only give paths inside their own folder, so an
 * annotation cannot read the server's other files.
 * @public
 */
export function resolveOpenSloLocations(
  annotation: string,
  annotations: Record<string, string | undefined>,
): { locations: OpenSloLocation[] } | { error: string } {
  const entries = annotation
    .split(',')
    .map(s => s.trim())
    .filter(Boolean);
  if (entries.length === 0) {
    return { error: `${OPENSLO_ANNOTATION} names no file` };
  }
  const base = annotations[MANAGED_BY_LOCATION];
  const locations: OpenSloLocation[] = [];
  for (const entry of entries) {
    if (isAbsoluteUrl(entry)) {
      locations.push({ type: 'url', target: entry });
      continue;
    }
    if (!base) {
      return {
        error: `${OPENSLO_ANNOTATION}: "${entry}" is relative, but the entity has no ${MANAGED_BY_LOCATION} to resolve it against`,
      };
    }
    let ref: { type: string; target: string };
    try {
      ref = parseLocationRef(base);
    } catch {
      return { error: `${MANAGED_BY_LOCATION} "${base}" is not a location` };
    }
    if (ref.type === 'url') {
      locations.push({
        type: 'url',
        target: new URL(entry, ref.target).toString(),
      });
    } else if (ref.type === 'file') {
      const folder = path.dirname(path.resolve(ref.target));
      const file = path.resolve(folder, entry);
      if (!file.startsWith(`${folder}${path.sep}`)) {
        return {
          error: `${OPENSLO_ANNOTATION}: "${entry}" is outside the folder of ${base}`,
        };
      }
      locations.push({ type: 'file', target: file });
    } else {
      return {
        error: `${OPENSLO_ANNOTATION}: cannot resolve "${entry}" against a ${ref.type} location`,
      };
    }
  }
  return { locations };
}

/**
 * Reads one OpenSLO file: a URL through Backstage's UrlReader (with the
 * integrations configured for the catalog), a local file from disk
 * (Backstage's UrlReader has no reader for local files; the location was
 * confined to its catalog file's folder by {@link resolveOpenSloLocations}).
 *
 * With `etag`, a URL whose content has not changed rejects with the
 * UrlReader's `NotModifiedError`. A file or URL that does not exist rejects
 * with a `NotFoundError` (`@backstage/errors`).
 * @public
 */
export async function readOpenSloFile(
  reader: Pick<UrlReaderService, 'readUrl'>,
  location: OpenSloLocation,
  options?: { etag?: string },
): Promise<{ text: string; etag?: string }> {
  if (location.type === 'file') {
    try {
      return { text: await fs.readFile(location.target, 'utf8') };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new NotFoundError((error as Error).message);
      }
      throw error;
    }
  }
  const response = await reader.readUrl(
    location.target,
    options?.etag ? { etag: options.etag } : undefined,
  );
  return {
    text: (await response.buffer()).toString('utf8'),
    ...(response.etag ? { etag: response.etag } : {}),
  };
}
