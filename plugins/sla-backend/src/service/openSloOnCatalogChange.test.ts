import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { databases } from '../__testUtils__/testBackend';
import { AgreementStore } from '../store/AgreementStore';
import { CatalogGraphStore } from '../store/CatalogGraphStore';
import { OpenSloSourceStore } from '../store/OpenSloSourceStore';
import { CatalogGraphSync } from './CatalogGraphSync';
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
  'OpenSLO files re-read when the entity changes in the catalog, on %p',
  databaseId => {
    it('reads the files of an entity whose annotation appears or changes, found by the catalog graph sync, not only on the schedule', async () => {
      const db = await databases.init(databaseId);
      await db.migrate.latest({
        directory: resolvePackagePath(
          '@opensla/backstage-plugin-sla-backend',
          'migrations',
        ),
      });
      const folder = mkdtempSync(join(tmpdir(), 'sla-openslo-change-'));
      writeFileSync(join(folder, 'slos.yaml'), fixture);
      writeFileSync(
        join(folder, 'stricter.yaml'),
        fixture.replace('target: 0.999', 'target: 0.9995'),
      );
      const checkout = (
        etag: string,
        file?: string,
        description?: string,
      ): Entity => ({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: 'checkout',
          namespace: 'default',
          etag,
          ...(description ? { description } : {}),
          annotations: {
            'backstage.io/managed-by-location': `file:${join(
              folder,
              'catalog-info.yaml',
            )}`,
            ...(file ? { 'sla/openslo': file } : {}),
          },
        },
        spec: { type: 'service', owner: 'team-checkout' },
      });
      const agreements = new AgreementStore(db);
      // What the catalog holds now; the scheduled read lists it.
      let inCatalog: Entity[] = [];
      const catalog = {
        queryEntities: (...args: any[]) =>
          (catalogServiceMock({ entities: inCatalog }).queryEntities as any)(
            ...args,
          ),
      } as unknown as CatalogService;
      const openslo = new OpenSloSyncService({
        catalog,
        auth: mockServices.auth(),
        reader: mockServices.urlReader.mock(),
        agreements,
        sources: new OpenSloSourceStore(db),
        logger: mockServices.logger.mock(),
      });
      const syncAll = jest.spyOn(openslo, 'syncAll');
      let now = Date.parse('2026-03-01T10:00:00Z');
      /** One run of the sla-catalog-graph-sync task against `entities`. */
      const graphSync = (entities: Entity[]) => {
        inCatalog = entities;
        return new CatalogGraphSync({
          catalog: catalogServiceMock({ entities }),
          auth: mockServices.auth(),
          store: new CatalogGraphStore(db),
          logger: mockServices.logger.mock(),
          onEntityChanged: async changed => {
            await openslo.syncChanged(changed, now);
          },
        }).sync();
      };
      const id = managedAgreementId('component:default/checkout');
      const objective = async () =>
        (await agreements.get(id))?.targets[0].objective;
      const checkedAt = async () =>
        (await new OpenSloSourceStore(db).get('component:default/checkout'))
          ?.checkedAt;

      // No annotation yet: nothing to read.
      await graphSync([checkout('v1')]);
      expect(await agreements.get(id)).toBeUndefined();

      // The annotation is added (the entity's etag changes with it): the
      // files are read at the next sync, without the scheduled task.
      now += 30_000;
      await graphSync([checkout('v2', 'slos.yaml')]);
      expect((await agreements.get(id))?.targets[0].objective).toBe(99.9);

      // Unchanged entity: no read (the source record keeps its time).
      const checked = (await new OpenSloSourceStore(db).get(
        'component:default/checkout',
      ))!.checkedAt;
      now += 30_000;
      await graphSync([checkout('v2', 'slos.yaml')]);
      expect(
        (await new OpenSloSourceStore(db).get('component:default/checkout'))!
          .checkedAt,
      ).toBe(checked);

      // The annotation points to another file: read at once.
      now += 30_000;
      await graphSync([checkout('v3', 'stricter.yaml')]);
      const agreement = (await agreements.get(id))!;
      expect(agreement.targets[0].objective).toBe(99.95);
      expect(agreement.managed?.locations[0]).toContain('stricter.yaml');
      expect(syncAll).not.toHaveBeenCalled();

      // Only the file's content changes (a commit to the OpenSLO file; the
      // entity stays as it is, same etag): the catalog sync has nothing to
      // report, the scheduled read (sla-openslo-sync runs syncAll) picks it up.
      writeFileSync(
        join(folder, 'stricter.yaml'),
        fixture.replace('target: 0.999', 'target: 0.998'),
      );
      now += 30_000;
      await graphSync([checkout('v3', 'stricter.yaml')]);
      expect(await objective()).toBe(99.95);
      now += 30_000;
      expect(await openslo.syncAll(now)).toEqual({ updated: 1 });
      expect(await objective()).toBe(99.8);
      expect((await agreements.get(id))?.version).toBe(3);

      // The entity is refreshed and its catalog file changed something
      // outside the annotation (a new etag, same graph part): its OpenSLO
      // files are read again at the next catalog sync, not at the next
      // scheduled read.
      writeFileSync(
        join(folder, 'stricter.yaml'),
        fixture.replace('target: 0.999', 'target: 0.997'),
      );
      now += 30_000;
      await graphSync([
        checkout('v4', 'stricter.yaml', 'Takes orders and payments'),
      ]);
      expect(await objective()).toBe(99.7);
      expect(await checkedAt()).toBe(new Date(now).toISOString());
      expect(syncAll).toHaveBeenCalledTimes(1);

      // A refresh that leaves the entity as it was keeps its etag: nothing
      // to read until the schedule.
      const before = await checkedAt();
      now += 30_000;
      await graphSync([
        checkout('v4', 'stricter.yaml', 'Takes orders and payments'),
      ]);
      expect(await checkedAt()).toBe(before);
    });
  },
);
