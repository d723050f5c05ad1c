import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { Agreement } from '@opensla/backstage-plugin-sla-common';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { databases } from '../__testUtils__/testBackend';
import { AgreementStore } from '../store/AgreementStore';
import { OpenSloSourceStore } from '../store/OpenSloSourceStore';
import { CatalogGraphIndex } from './CatalogGraphIndex';
import { EntityAccessGuard } from './EntityAccessGuard';
import { OpenSloSyncService, managedAgreementId } from './OpenSloSyncService';
import { ViabilityService } from './ViabilityService';

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

/** A UC of the payment provider: 99.5 % availability, agreed. */
const pspContract: Agreement = {
  id: 'psp-uc',
  kind: 'UC',
  entityRef: 'resource:default/psp',
  title: 'PSP contract',
  status: 'agreed',
  agreedAt: '2026-01-01T00:00:00.000Z',
  version: 1,
  targets: [
    {
      id: 'availability',
      name: 'Availability',
      aspect: 'availability',
      metric: 'psp_requests',
      sli: { kind: 'ratio' },
      objective: 99.5,
      window: { type: 'rolling', duration: 'P28D' },
    },
  ],
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'user:default/bob',
  updatedAt: '2026-01-01T00:00:00.000Z',
  updatedBy: 'user:default/bob',
};

describe.each(databases.eachSupportedId())(
  'managed (OpenSLO) agreements in viability on %p',
  databaseId => {
    it('pass the viability check like others (a shortfall is recorded, naming the files) and bound their dependents', async () => {
      const db = await databases.init(databaseId);
      await db.migrate.latest({
        directory: resolvePackagePath(
          '@opensla/backstage-plugin-sla-backend',
          'migrations',
        ),
      });
      const folder = mkdtempSync(join(tmpdir(), 'sla-openslo-viability-'));
      writeFileSync(join(folder, 'slos.yaml'), fixture); // 99.9 %
      const checkout: Entity = {
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
        relations: [{ type: 'dependsOn', targetRef: 'resource:default/psp' }],
      };
      const entities: Entity[] = [
        checkout,
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Resource',
          metadata: { name: 'psp', namespace: 'default' },
          spec: { type: 'external-service', owner: 'team-checkout' },
        },
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'web', namespace: 'default' },
          spec: { type: 'website', owner: 'team-web' },
          relations: [
            { type: 'dependsOn', targetRef: 'component:default/checkout' },
          ],
        },
      ];
      const catalog = catalogServiceMock({ entities });
      const agreements = new AgreementStore(db);
      await agreements.insert(pspContract, { type: 'created', summary: 't' });
      const guard = {
        getEntity: (ref: string) => catalog.getEntityByRef(ref, {} as any),
        assertAllowed: async () => {},
        readableRefs: async (_: unknown, refs: string[]) => new Set(refs),
      } as unknown as EntityAccessGuard;
      const viability = new ViabilityService({
        db,
        agreements,
        guard,
        graph: new CatalogGraphIndex({
          catalog,
          auth: mockServices.auth(),
          logger: mockServices.logger.mock(),
          maxAgeMs: 60_000,
          clock: () => new Date(0),
        }),
      });
      const sync = new OpenSloSyncService({
        catalog,
        auth: mockServices.auth(),
        reader: mockServices.urlReader.mock(),
        agreements,
        sources: new OpenSloSourceStore(db),
        logger: mockServices.logger.mock(),
        viability,
      });
      const id = managedAgreementId('component:default/checkout');
      const at = Date.parse('2026-03-01T10:00:00Z');

      // 99.9 % promised on a 99.5 % provider: agreed by the files, with the
      // shortfall in the history like an owner's override.
      expect((await sync.syncEntity(checkout, at)).result).toBe('created');
      const [created] = await agreements.history(id);
      expect(created.change.summary).toContain('(not viable)');
      expect(created.change.viabilityOverride).toMatchObject({
        reason: expect.stringContaining('slos.yaml'),
        shortfalls: [
          {
            objective: 99.9,
            supportable: 99.5,
            weakestLink: 'resource:default/psp',
          },
        ],
      });

      // It counts for its dependents like any agreed agreement: web is
      // bounded by checkout's 99.9 % (not by psp through an unagreed link).
      const web = await viability.viability({} as any, {
        entityRef: 'component:default/web',
      });
      expect(web.supportable).toBe(99.9);
      expect(web.dependencies[0]).toMatchObject({
        entityRef: 'component:default/checkout',
        bound: 99.9,
        source: 'agreed',
      });
      // ... and its own report judges its target like any other.
      const own = await viability.viability({} as any, {
        entityRef: 'component:default/checkout',
      });
      expect(own.items).toEqual([
        expect.objectContaining({
          agreementId: id,
          objective: 99.9,
          supportable: 99.5,
          viable: false,
        }),
      ]);

      // Lowered in the file to 99 %: viable, no override in that version.
      writeFileSync(
        join(folder, 'slos.yaml'),
        fixture.replace('target: 0.999', 'target: 0.99'),
      );
      expect((await sync.syncEntity(checkout, at + 60_000)).result).toBe(
        'updated',
      );
      const [updated] = await agreements.history(id);
      expect(updated.version).toBe(2);
      expect(updated.change.viabilityOverride).toBeUndefined();
      expect(updated.change.summary).not.toContain('not viable');
    });
  },
);
