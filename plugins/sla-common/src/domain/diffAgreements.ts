import type { Agreement, Target } from '../types';

type Content = Pick<
  Agreement,
  | 'kind'
  | 'scope'
  | 'entityRef'
  | 'title'
  | 'description'
  | 'customer'
  | 'provider'
  | 'validFrom'
  | 'validUntil'
  | 'reviewInterval'
  | 'maintenanceWindows'
  | 'targets'
>;

const TOP_LEVEL: Array<keyof Content> = [
  'kind',
  'scope',
  'entityRef',
  'title',
  'description',
  'customer',
  'provider',
  'validFrom',
  'validUntil',
  'reviewInterval',
  'maintenanceWindows',
];

const same = (a: unknown, b: unknown) =>
  JSON.stringify(a) === JSON.stringify(b);

function show(value: unknown): string {
  if (value === undefined) return '(none)';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** The change between two versions of an agreement's content. @public */
export interface AgreementDiff {
  /** Changed field paths, e.g. `title`, `targets.availability.objective`. */
  fields: string[];
  /** One human sentence, e.g. "availability: objective 99.9 → 99.95". */
  summary: string;
}

/**
 * What changed between two versions: the fields, and a summary a person
 * reads in the history.
 * @public
 */
export function diffAgreements(before: Content, after: Content): AgreementDiff {
  const fields: string[] = [];
  const parts: string[] = [];
  for (const key of TOP_LEVEL) {
    if (!same(before[key], after[key])) {
      fields.push(key);
      parts.push(
        typeof after[key] === 'object' || typeof before[key] === 'object'
          ? `${key} changed`
          : `${key} ${show(before[key])} → ${show(after[key])}`,
      );
    }
  }
  const beforeTargets = new Map(before.targets.map(t => [t.id, t]));
  const afterTargets = new Map(after.targets.map(t => [t.id, t]));
  for (const [id, target] of afterTargets) {
    const old = beforeTargets.get(id);
    if (!old) {
      fields.push(`targets.${id}`);
      parts.push(`target ${id} added`);
      continue;
    }
    const changed = (
      Object.keys({ ...old, ...target }) as Array<keyof Target>
    ).filter(k => !same(old[k], target[k]));
    for (const k of changed) {
      fields.push(`targets.${id}.${k}`);
      parts.push(`${id}: ${k} ${show(old[k])} → ${show(target[k])}`);
    }
  }
  for (const id of beforeTargets.keys()) {
    if (!afterTargets.has(id)) {
      fields.push(`targets.${id}`);
      parts.push(`target ${id} removed`);
    }
  }
  return {
    fields,
    summary: parts.length ? parts.join('; ') : 'No changes to the content',
  };
}
