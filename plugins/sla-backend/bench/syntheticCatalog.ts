/*
 * The benches' synthetic catalog (viabilityBench, catalogGraphBench): five
 * layers of services, each depending on three services of the next layer
 * and consuming one of its APIs, with soft dependencies and redundancy
 * groups; an API per ten services of layers 1–4; optionally a System of the
 * first 500 services of layer 0; groups to fill up to `total` entities.
 * Seeded: the same catalog every run.
 */
import type { Entity } from '@backstage/catalog-model';
import { random } from './benchSupport';

const LAYERS = 5;

export function syntheticCatalog(options: {
  perLayer: number;
  total: number;
  /** A System whose parts are the first 500 services of layer 0. */
  system?: boolean;
  /** metadata.etag on every entity (as the catalog serves them). */
  etags?: boolean;
}): Entity[] {
  const { perLayer, total } = options;
  const next = random(42);
  const pick = (n: number) => Math.floor(next() * n);
  const name = (layer: number, i: number) => `svc-${layer}-${i}`;
  let etag = 0;
  const metadata = (entityName: string, extra: object = {}) => ({
    name: entityName,
    namespace: 'default',
    ...extra,
    ...(options.etags ? { etag: `e${++etag}` } : {}),
  });
  const entities: Entity[] = [];
  for (let layer = 0; layer < LAYERS; layer++) {
    for (let i = 0; i < perLayer; i++) {
      const relations: Array<{ type: string; targetRef: string }> = [];
      const annotations: Record<string, string> = {};
      if (layer < LAYERS - 1) {
        const deps = [0, 1, 2].map(
          () => `component:default/${name(layer + 1, pick(perLayer))}`,
        );
        for (const d of deps)
          relations.push({ type: 'dependsOn', targetRef: d });
        relations.push({
          type: 'consumesApi',
          targetRef: `api:default/api-${layer + 1}-${pick(perLayer / 10)}`,
        });
        if (i % 10 === 0) annotations['sla/soft-dependencies'] = deps[0];
        if (i % 20 === 5) {
          annotations['sla/redundancy-group.pair'] = `${deps[1]},${deps[2]}`;
        }
      }
      if (i % 10 === 0 && layer > 0) {
        relations.push({
          type: 'providesApi',
          targetRef: `api:default/api-${layer}-${i / 10}`,
        });
      }
      entities.push({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: metadata(name(layer, i), { annotations }),
        spec: { type: 'service', owner: 'team-bench', lifecycle: 'production' },
        relations,
      });
    }
  }
  for (let layer = 1; layer < LAYERS; layer++) {
    for (let i = 0; i < perLayer / 10; i++) {
      entities.push({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'API',
        metadata: metadata(`api-${layer}-${i}`),
        spec: { type: 'openapi', owner: 'team-bench', lifecycle: 'production' },
        relations: [
          {
            type: 'apiProvidedBy',
            targetRef: `component:default/${name(layer, i * 10)}`,
          },
        ],
      });
    }
  }
  if (options.system) {
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: metadata('bench-platform'),
      spec: { owner: 'team-bench' },
      relations: Array.from({ length: 500 }, (_, i) => ({
        type: 'hasPart',
        targetRef: `component:default/${name(0, i)}`,
      })),
    });
  }
  // fill up with unrelated entities (groups of a big org)
  for (let i = entities.length; i < total; i++) {
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: metadata(`group-${i}`),
      spec: { type: 'team', children: [] },
    });
  }
  return entities;
}
