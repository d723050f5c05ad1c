import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import request from 'supertest';
import { catalogModuleSlaOpenSlo } from './module';

jest.setTimeout(60_000);

const HASH = 'sla/openslo-hash';

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 200));
  }
}

describe('catalogModuleSlaOpenSlo with the real catalog backend', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'sla-openslo-catalog-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('sets sla/openslo-hash on an entity registered from a file location, and a refresh that finds new file content changes the entity and its etag', async () => {
    mkdirSync(join(folder, 'slos'));
    writeFileSync(join(folder, 'slos', 'availability.yaml'), 'target: 0.999');
    writeFileSync(
      join(folder, 'catalog-info.yaml'),
      [
        'apiVersion: backstage.io/v1alpha1',
        'kind: Component',
        'metadata:',
        '  name: checkout',
        '  annotations:',
        '    sla/openslo: slos/availability.yaml',
        'spec:',
        '  type: service',
        '  owner: team-checkout',
        '  lifecycle: production',
        '',
      ].join('\n'),
    );
    const { server } = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleSlaOpenSlo,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              // No periodic processing in this test: only the refresh.
              processingInterval: { hours: 1 },
              locations: [
                { type: 'file', target: join(folder, 'catalog-info.yaml') },
              ],
            },
          },
        }),
      ],
    });
    const auth = mockCredentials.user.header();
    const checkout = async (): Promise<Entity | undefined> => {
      const res = await request(server)
        .get('/api/catalog/entities/by-name/component/default/checkout')
        .set('Authorization', auth);
      return res.status === 200 ? res.body : undefined;
    };

    const first = await until('the hash on the entity', async () => {
      const entity = await checkout();
      return entity?.metadata.annotations?.[HASH] ? entity : undefined;
    });
    expect(first.metadata.annotations?.[HASH]).toMatch(/^[0-9a-f]{64}$/);

    // Only the OpenSLO file changes; catalog-info.yaml stays as it was.
    writeFileSync(join(folder, 'slos', 'availability.yaml'), 'target: 0.9995');
    const refresh = await request(server)
      .post('/api/catalog/refresh')
      .set('Authorization', auth)
      .send({ entityRef: 'component:default/checkout' });
    expect(refresh.status).toBe(200);

    const second = await until('a new hash after the refresh', async () => {
      const entity = await checkout();
      const hash = entity?.metadata.annotations?.[HASH];
      return hash && hash !== first.metadata.annotations?.[HASH]
        ? entity
        : undefined;
    });
    expect(second.metadata.annotations?.[HASH]).toMatch(/^[0-9a-f]{64}$/);
    // What the SLA backend's catalog graph sync watches.
    expect(second.metadata.etag).not.toBe(first.metadata.etag);
    expect(second.metadata.annotations?.['sla/openslo']).toBe(
      'slos/availability.yaml',
    );
  });
});
