import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { databases } from '../__testUtils__/testBackend';
import { AgreementStore } from '../store/AgreementStore';
import { OpenSloSourceStore } from '../store/OpenSloSourceStore';
import { OpenSloSyncService, managedAgreementId } from './OpenSloSyncService';

jest.setTimeout(180_000);

const fixture = readFileSync(
  join(
    __dirname,
    '..',
    'domain',
    'openslo',
    '__fixtures__',
    'ratio-good-total.yaml',
  ),
  'utf8',
);

describe.each(databases.eachSupportedId())(
  'OpenSloSyncService on %p',
  databaseId => {
    it('two replicas reading the same files at once keep one agreement and one version per change', async () => {
      const db = await databases.init(databaseId);
      await db.migrate.latest({
        directory: resolvePackagePath(
          '@opensla/backstage-plugin-sla-backend',
          'migrations',
        ),
      });
      const folder = mkdtempSync(join(tmpdir(), 'sla-openslo-sync-'));
      writeFileSync(join(folder, 'slos.yaml'), fixture);
      const entity: Entity = {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: 'checkout',
          namespace: 'default',
          annotations: {
            'backstage.io/managed-by-location': `file:${join(
              folder,
              'catalog-info.yaml',
            )}`,
            'sla/openslo': 'slos.yaml',
          },
        },
        spec: { type: 'service', owner: 'team-checkout' },
      };
      const replica = () =>
        new OpenSloSyncService({
          catalog: catalogServiceMock({ entities: [entity] }),
          auth: mockServices.auth(),
          reader: mockServices.urlReader.mock(),
          agreements: new AgreementStore(db),
          sources: new OpenSloSourceStore(db),
          logger: mockServices.logger.mock(),
        });
      const [a, b] = [replica(), replica()];
      const at = Date.parse('2026-03-01T10:00:00Z');

      const first = await Promise.all([a.syncAll(at), b.syncAll(at)]);
      expect(first.map(c => c.created ?? 0).reduce((x, y) => x + y)).toBe(1);
      const store = new AgreementStore(db);
      const id = managedAgreementId('component:default/checkout');
      expect(await store.list()).toHaveLength(1);
      expect((await store.history(id)).map(h => h.version)).toEqual([1]);

      writeFileSync(
        join(folder, 'slos.yaml'),
        fixture.replace('target: 0.999', 'target: 0.99'),
      );
      const later = at + 60_000;
      const second = await Promise.all([
        a.syncEntity(entity, later),
        b.syncEntity(entity, later),
      ]);
      expect(second.map(o => o.result).sort()).toEqual([
        'unchanged',
        'updated',
      ]);
      const history = await store.history(id);
      expect(history.map(h => h.version)).toEqual([2, 1]);
      expect(history[0].agreement!.targets[0].objective).toBe(99);
      expect(
        await new OpenSloSourceStore(db).get('component:default/checkout'),
      ).toMatchObject({
        agreementId: id,
        appliedAt: new Date(later).toISOString(),
      });
    });
  },
);
