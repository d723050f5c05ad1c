import type { Agreement, Target } from '@opensla/backstage-plugin-sla-common';
import { GraphEntity } from './dependencyGraph';

/** Test (and bench) helpers: entities, targets and agreements written tersely. */
export function entity(
  ref: string,
  relations: Array<[string, string]> = [],
  annotations: Record<string, string> = {},
): GraphEntity {
  const [kind, rest] = ref.split(':');
  const [namespace, name] = rest.split('/');
  return {
    kind,
    metadata: { name, namespace, annotations },
    relations: relations.map(([type, targetRef]) => ({ type, targetRef })),
  };
}

export function availability(objective: number, id = 'availability'): Target {
  return {
    id,
    name: 'Availability',
    aspect: 'availability',
    metric: 'requests',
    sli: { kind: 'ratio' },
    objective,
    window: { type: 'rolling', duration: 'P28D' },
  };
}

export function duration(
  id: string,
  maxDuration: string,
  priority?: string,
): Target {
  return {
    id,
    name: id,
    aspect: 'support',
    metric: 'incidents',
    sli: { kind: 'duration', maxDuration, ...(priority ? { priority } : {}) },
    objective: 95,
    window: { type: 'calendar', unit: 'month', timeZone: 'UTC' },
  };
}

export function latency(id: string, threshold: number, unit = 'ms'): Target {
  return {
    id,
    name: id,
    aspect: 'performance',
    metric: 'latency',
    sli: { kind: 'threshold', operator: 'lte', threshold, unit },
    objective: 99,
    window: { type: 'rolling', duration: 'P28D' },
  };
}

export function agreement(
  id: string,
  entityRef: string,
  targets: Target[],
  kind: Agreement['kind'] = 'SLA',
): Agreement {
  return {
    id,
    kind,
    entityRef,
    title: id,
    status: 'agreed',
    targets,
    version: 1,
    createdAt: '2026-01-01T00:00:00Z',
    createdBy: 'test',
    updatedAt: '2026-01-01T00:00:00Z',
    updatedBy: 'test',
  };
}

export function byEntity(agreements: Agreement[]): Map<string, Agreement[]> {
  const map = new Map<string, Agreement[]>();
  for (const a of agreements) {
    const ref = a.entityRef.toLocaleLowerCase('en-US');
    map.set(ref, [...(map.get(ref) ?? []), a]);
  }
  return map;
}
