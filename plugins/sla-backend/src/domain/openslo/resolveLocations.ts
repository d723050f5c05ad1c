import { parseLocationRef } from '@backstage/catalog-model';
import path from 'path';

/** The annotation naming an entity's OpenSLO files. */
export const OPENSLO_ANNOTATION = 'sla/openslo';
const MANAGED_BY_LOCATION = 'backstage.io/managed-by-location';

/** One file to read: through the UrlReader (url) or from disk (file). */
export type OpenSloLocation = { type: 'url' | 'file'; target: string };

/** How a location is shown (in errors, the API and the UI). */
export function locationText(location: OpenSloLocation): string {
  return location.type === 'url' ? location.target : `file:${location.target}`;
}

function isAbsoluteUrl(value: string): boolean {
  return /^https?:\/\//i.test(value);
}

/**
 * The files named by `sla/openslo` (comma-separated paths or URLs), resolved
 * against the location the entity was read from (its catalog-info.yaml):
 * a relative path is a sibling of that file. Local catalog files only give
 * paths inside their own folder, so an annotation cannot read the server's
 * other files.
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
