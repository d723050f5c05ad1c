import { mkdtempSync, mkdirSync, writeFileSync } from 'fs';
import { createServer, Server } from 'http';
import { AddressInfo } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { parseAllDocuments } from 'yaml';
import {
  alice,
  databases,
  mallory,
  startSlaBackend,
  testEntities,
  validAgreement,
} from '../__testUtils__/testBackend';
import { importOpenSlo } from '../domain/openslo';
import { readFileSync } from 'fs';

jest.setTimeout(180_000);

const fixture = (name: string) =>
  readFileSync(
    join(__dirname, '..', 'domain', 'openslo', '__fixtures__', name),
    'utf8',
  );

// Files beside catalog-info.yaml: one local folder, one served over HTTP.
const folder = mkdtempSync(join(tmpdir(), 'sla-openslo-'));
const served = new Map<string, string>();
let server: Server;
let base: string;

function writeLocal(name: string, text: string) {
  writeFileSync(join(folder, name), text);
}

const owned = (name: string, annotations: Record<string, string>) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-checkout' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/team-checkout' }],
});

beforeAll(async () => {
  server = createServer((req, res) => {
    const body = served.get(req.url ?? '');
    if (body === undefined) {
      res.writeHead(404).end('not found');
    } else {
      res.writeHead(200, { 'content-type': 'application/yaml' }).end(body);
    }
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  mkdirSync(join(folder, 'slos'));
  testEntities.push(
    owned('slo-file', {
      'backstage.io/managed-by-location': `file:${join(
        folder,
        'catalog-info.yaml',
      )}`,
      'sla/openslo': 'slos/checkout.yaml',
    }),
    owned('slo-url', {
      'backstage.io/managed-by-location': `url:${base}/repo/catalog-info.yaml`,
      'sla/openslo': 'openslo/sli.yaml, openslo/slo.yaml',
    }),
    owned('slo-escape', {
      'backstage.io/managed-by-location': `file:${join(
        folder,
        'catalog-info.yaml',
      )}`,
      'sla/openslo': '../../etc/passwd',
    }),
  );
});

afterAll(async () => {
  // The UrlReader keeps connections alive: close them, or close() waits.
  server.closeAllConnections();
  await new Promise(resolve => server.close(resolve));
});

/** Reads the files at start (no initial delay, so the test scheduler runs it). */
const syncConfig = () => ({
  backend: { reading: { allow: [{ host: base.replace('http://', '') }] } },
  sla: {
    openslo: {
      schedule: { frequency: { minutes: 5 }, timeout: { minutes: 1 } },
    },
  },
});

describe.each(databases.eachSupportedId())('OpenSLO on %p', databaseId => {
  describe('GET /agreements/{id}/openslo', () => {
    it('401 without credentials, 404 for an unknown id', async () => {
      const { http } = await startSlaBackend(databaseId);
      await http.get('/api/sla/agreements/nope/openslo').expect(401);
      const res = await http
        .get('/api/sla/agreements/nope/openslo')
        .set('Authorization', alice)
        .expect(404);
      expect(res.body.error.name).toBe('NotFoundError');
    });

    it('403 when the policy denies reading the entity', async () => {
      const { http, knex } = await startSlaBackend(databaseId);
      const created = await http
        .post('/api/sla/agreements')
        .set('Authorization', alice)
        .send(validAgreement())
        .expect(201);
      const denied = await startSlaBackend(databaseId, {
        knex,
        deny: ['sla.agreement.read'],
      });
      const res = await denied.http
        .get(`/api/sla/agreements/${created.body.id}/openslo`)
        .set('Authorization', mallory)
        .expect(403);
      expect(res.body.error.name).toBe('NotAllowedError');
    });

    it('downloads valid OpenSLO YAML that imports back to the same targets', async () => {
      const { http } = await startSlaBackend(databaseId);
      const created = await http
        .post('/api/sla/agreements')
        .set('Authorization', alice)
        .send(validAgreement())
        .expect(201);
      const res = await http
        .get(`/api/sla/agreements/${created.body.id}/openslo`)
        .set('Authorization', mallory) // any signed-in reader
        .expect(200);
      expect(res.headers['content-type']).toBe(
        'application/yaml; charset=utf-8',
      );
      expect(res.headers['content-disposition']).toBe(
        'attachment; filename="checkout-sla.openslo.yaml"',
      );
      const text = res.text;
      expect(text).toContain(
        '#   - p1-resolution (P1 resolution): a duration SLI',
      );
      expect(
        (parseAllDocuments(text) as any[]).every(d => d.errors.length === 0),
      ).toBe(true);
      const back = importOpenSlo(text);
      expect(back.ok && back.draft.targets).toEqual([created.body.targets[0]]);
    });
  });

  describe('POST /openslo/preview', () => {
    const body = (yaml: string) => ({
      entityRef: 'component:default/checkout',
      yaml,
    });

    it('401 without credentials, 403 for a non-owner', async () => {
      const { http } = await startSlaBackend(databaseId);
      await http
        .post('/api/sla/openslo/preview')
        .send(body(fixture('ratio-good-total.yaml')))
        .expect(401);
      const res = await http
        .post('/api/sla/openslo/preview')
        .set('Authorization', mallory)
        .send(body(fixture('ratio-good-total.yaml')))
        .expect(403);
      expect(res.body.error.message).toContain('Only the owners of');
    });

    it('400 names the document field, and nothing is stored', async () => {
      const { http } = await startSlaBackend(databaseId);
      const res = await http
        .post('/api/sla/openslo/preview')
        .set('Authorization', alice)
        .send(body(fixture('ratio-raw.yaml')))
        .expect(400);
      expect(res.body.error.message).toContain(
        'documents[0].spec.indicator.spec.ratioMetric.raw is a precomputed ratio',
      );
      const missing = await http
        .post('/api/sla/openslo/preview')
        .set('Authorization', alice)
        .send({ entityRef: 'component:default/checkout' })
        .expect(400);
      expect(missing.body.error.message).toContain('yaml');
      const list = await http
        .get('/api/sla/agreements')
        .set('Authorization', alice)
        .expect(200);
      expect(list.body.items).toEqual([]);
    });

    it('answers the draft, which POST /agreements stores as a draft', async () => {
      const { http } = await startSlaBackend(databaseId);
      const res = await http
        .post('/api/sla/openslo/preview')
        .set('Authorization', alice)
        .send(body(fixture('ratio-bad-total-calendar.yaml')))
        .expect(200);
      expect(res.body).toMatchObject({
        title: 'Payments API service levels',
        kind: 'SLA',
        entityRef: 'component:default/checkout',
        targets: [{ id: 'payments-errors', objective: 99.5 }],
      });
      // No metric source module in this backend: the queries are dropped.
      expect(res.body.warnings[0]).toContain('push measurements');
      const { warnings: _w, ...draft } = res.body;
      const created = await http
        .post('/api/sla/agreements')
        .set('Authorization', alice)
        .send({ ...draft, status: 'draft' })
        .expect(201);
      expect(created.body.status).toBe('draft');
      expect(created.body.targets).toEqual(res.body.targets);
    });
  });

  describe('managed agreements from sla/openslo', () => {
    it('keeps one agreed agreement per entity from local and URL files, read-only, with history and errors', async () => {
      writeLocal('slos/checkout.yaml', fixture('ratio-good-total.yaml'));
      served.set(
        '/repo/openslo/sli.yaml',
        fixture('indicator-ref.yaml').split('---\n').slice(0, 2).join('---\n'),
      );
      served.set(
        '/repo/openslo/slo.yaml',
        fixture('indicator-ref.yaml').split('---\n').slice(2).join('---\n'),
      );

      const first = await startSlaBackend(databaseId, { config: syncConfig() });
      const { http, knex } = first;

      const list = await http
        .get('/api/sla/agreements?entityRef=component:default/slo-file')
        .set('Authorization', alice)
        .expect(200);
      expect(list.body.items).toHaveLength(1);
      const managed = list.body.items[0];
      expect(managed).toMatchObject({
        status: 'agreed',
        title: 'checkout SLOs',
        createdBy: 'plugin:sla/openslo',
        agreedBy: 'plugin:sla/openslo',
        managed: {
          source: 'openslo',
          locations: [`file:${join(folder, 'slos', 'checkout.yaml')}`],
        },
        targets: [{ id: 'checkout-availability', objective: 99.9 }],
      });

      // Both files over HTTP through the UrlReader; the SLI is in the other file.
      const fromUrl = await http
        .get('/api/sla/agreements?entityRef=component:default/slo-url')
        .set('Authorization', alice)
        .expect(200);
      expect(fromUrl.body.items[0]).toMatchObject({
        managed: {
          locations: [
            `${base}/repo/openslo/sli.yaml`,
            `${base}/repo/openslo/slo.yaml`,
          ],
        },
        targets: [{ id: 'login-success-rate', aspect: 'functionality' }],
      });

      // A path outside the catalog file's folder is refused, and said so.
      const escaped = await http
        .get('/api/sla/openslo/sources?entityRef=component:default/slo-escape')
        .set('Authorization', alice)
        .expect(200);
      expect(escaped.body.items[0].error).toContain('is outside the folder');

      // Read-only through the edit routes, for owners too.
      const put = await http
        .put(`/api/sla/agreements/${managed.id}`)
        .set('Authorization', alice)
        .send({
          ...validAgreement({ entityRef: 'component:default/slo-file' }),
          version: managed.version,
        })
        .expect(409);
      expect(put.body.error.message).toContain('managed as code from file:');
      await http
        .post(`/api/sla/agreements/${managed.id}/transitions`)
        .set('Authorization', alice)
        .send({ to: 'under-review' })
        .expect(409);

      // The file changes: a new version with its history.
      writeLocal(
        'slos/checkout.yaml',
        fixture('ratio-good-total.yaml').replace(
          'target: 0.999',
          'target: 0.995',
        ),
      );
      const second = await startSlaBackend(databaseId, {
        knex,
        config: syncConfig(),
      });
      const after = await second.http
        .get(`/api/sla/agreements/${managed.id}`)
        .set('Authorization', alice)
        .expect(200);
      expect(after.body.version).toBe(2);
      expect(after.body.targets[0].objective).toBe(99.5);
      const history = await second.http
        .get(`/api/sla/agreements/${managed.id}/history`)
        .set('Authorization', alice)
        .expect(200);
      expect(
        history.body.items.map((h: any) => [h.version, h.changedBy]),
      ).toEqual([
        [2, 'plugin:sla/openslo'],
        [1, 'plugin:sla/openslo'],
      ]);
      expect(history.body.items[0].change.summary).toContain('from OpenSLO');

      // Unchanged files write no version.
      const third = await startSlaBackend(databaseId, {
        knex,
        config: syncConfig(),
      });
      const same = await third.http
        .get(`/api/sla/agreements/${managed.id}`)
        .set('Authorization', alice)
        .expect(200);
      expect(same.body.version).toBe(2);

      // A broken file keeps the working agreement and reports the error.
      writeLocal(
        'slos/checkout.yaml',
        fixture('ratio-good-total.yaml').replace(
          'target: 0.999',
          'target: 1.5',
        ),
      );
      const fourth = await startSlaBackend(databaseId, {
        knex,
        config: syncConfig(),
      });
      const kept = await fourth.http
        .get(`/api/sla/agreements/${managed.id}`)
        .set('Authorization', alice)
        .expect(200);
      expect(kept.body).toMatchObject({ version: 2, status: 'agreed' });
      const sources = await fourth.http
        .get('/api/sla/openslo/sources?entityRef=component:default/slo-file')
        .set('Authorization', alice)
        .expect(200);
      expect(sources.body.items).toEqual([
        expect.objectContaining({
          entityRef: 'component:default/slo-file',
          agreementId: managed.id,
          error: expect.stringContaining(
            `file:${join(
              folder,
              'slos',
              'checkout.yaml',
            )}: documents[0].spec.objectives[0].target must be a number from 0 up to (not including) 1`,
          ),
        }),
      ]);

      // A missing file over HTTP: the error names it.
      served.delete('/repo/openslo/slo.yaml');
      const fifth = await startSlaBackend(databaseId, {
        knex,
        config: syncConfig(),
      });
      const urlSources = await fifth.http
        .get('/api/sla/openslo/sources?entityRef=component:default/slo-url')
        .set('Authorization', alice)
        .expect(200);
      expect(urlSources.body.items[0].error).toContain(
        `${base}/repo/openslo/slo.yaml could not be read`,
      );
    });

    it('GET /openslo/sources: 401, 403 when reading is denied, 400 without entityRef', async () => {
      const { http } = await startSlaBackend(databaseId, {
        deny: ['sla.agreement.read'],
      });
      await http
        .get('/api/sla/openslo/sources?entityRef=component:default/slo-file')
        .expect(401);
      await http
        .get('/api/sla/openslo/sources?entityRef=component:default/slo-file')
        .set('Authorization', mallory)
        .expect(403);
      const res = await http
        .get('/api/sla/openslo/sources')
        .set('Authorization', alice)
        .expect(400);
      expect(res.body.error.message).toContain('entityRef');
    });
  });
});
