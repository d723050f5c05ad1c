import type { UrlReaderService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { NotFoundError, NotModifiedError } from '@backstage/errors';
import type { CatalogProcessorCache } from '@backstage/plugin-catalog-node';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { OpenSloHashProcessor } from './OpenSloHashProcessor';

const HASH = 'sla/openslo-hash';

/** The catalog's per-entity processor cache, kept across processings. */
function processorCache() {
  let state: Record<string, unknown> = {};
  return {
    /** What the catalog hands the next processing (as ProcessorCacheManager). */
    next(): CatalogProcessorCache {
      const existing = state;
      let written: Record<string, unknown> | undefined;
      return {
        async get(key: string) {
          return existing[key] as any;
        },
        async set(key: string, value: unknown) {
          written = { ...(written ?? {}), [key]: value };
          state = written;
        },
      };
    },
  };
}

/** A UrlReader serving `files` (url → content), honouring etags. */
function fakeReader(files: Map<string, string>) {
  const calls: Array<{ url: string; etag?: string }> = [];
  let failing: Error | undefined;
  const reader: Pick<UrlReaderService, 'readUrl'> = {
    async readUrl(url, options) {
      calls.push({ url, etag: options?.etag });
      if (failing) throw failing;
      const text = files.get(url);
      if (text === undefined) throw new NotFoundError(`${url} not found`);
      const etag = `"${text.length}-${Buffer.from(text).toString('base64')}"`;
      if (options?.etag === etag) throw new NotModifiedError();
      return {
        buffer: async () => Buffer.from(text),
        stream: () => {
          throw new Error('not used');
        },
        etag,
      };
    },
  };
  return {
    reader,
    calls,
    fail(error: Error | undefined) {
      failing = error;
    },
  };
}

function component(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'checkout', namespace: 'default', annotations },
    spec: { type: 'service', owner: 'team-checkout', lifecycle: 'production' },
  };
}

const location = { type: 'file', target: '/unused' };

describe('OpenSloHashProcessor', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'sla-openslo-hash-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  function setup(reader = fakeReader(new Map())) {
    const logger = mockServices.logger.mock();
    const processor = new OpenSloHashProcessor({
      reader: reader.reader,
      logger,
    });
    const cache = processorCache();
    const process = async (entity: Entity) =>
      processor.preProcessEntity(
        entity,
        location,
        () => {},
        location,
        cache.next(),
      );
    return { processor, process, logger };
  }

  const local = (annotation = 'slos/availability.yaml, slos/latency.yaml') =>
    component({
      'backstage.io/managed-by-location': `file:${join(
        folder,
        'catalog-info.yaml',
      )}`,
      'sla/openslo': annotation,
    });

  function writeSlos(availability: string, latency = 'latency: 1') {
    rmSync(join(folder, 'slos'), { recursive: true, force: true });
    mkdirSync(join(folder, 'slos'));
    writeFileSync(join(folder, 'slos', 'availability.yaml'), availability);
    writeFileSync(join(folder, 'slos', 'latency.yaml'), latency);
  }

  it('sets a hash of the local files the annotation names, the same while they are the same, another when one changes', async () => {
    writeSlos('target: 0.999');
    const { process } = setup();
    const first = await process(local());
    const hash = first.metadata.annotations?.[HASH];
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    // The rest of the entity is as it was.
    expect(first.metadata.annotations?.['sla/openslo']).toBe(
      'slos/availability.yaml, slos/latency.yaml',
    );
    expect(first.spec).toEqual(local().spec);

    const again = await process(local());
    expect(again.metadata.annotations?.[HASH]).toBe(hash);

    writeSlos('target: 0.9995');
    const changed = await process(local());
    expect(changed.metadata.annotations?.[HASH]).not.toBe(hash);

    // Back to the first content: the first hash (content, not history).
    writeSlos('target: 0.999');
    expect((await process(local())).metadata.annotations?.[HASH]).toBe(hash);
  });

  it('another processor instance (another replica) computes the same hash for the same files', async () => {
    writeSlos('target: 0.999');
    const one = await setup().process(local());
    const other = await setup().process(local());
    expect(other.metadata.annotations?.[HASH]).toBe(
      one.metadata.annotations?.[HASH],
    );
  });

  it('leaves entities without sla/openslo untouched', async () => {
    const { process } = setup();
    const entity = component({ 'backstage.io/managed-by-location': 'url:x' });
    expect(await process(entity)).toBe(entity);
  });

  it('does not read outside the folder of the catalog file, and sets no hash', async () => {
    const { process } = setup();
    const out = await process(local('../../etc/passwd'));
    expect(out.metadata.annotations?.[HASH]).toBeUndefined();
  });

  it('counts a deleted file as a change: the hash moves, and moves back when the file returns', async () => {
    writeSlos('target: 0.999');
    const { process, logger } = setup();
    const hash = (await process(local())).metadata.annotations?.[HASH];
    unlinkSync(join(folder, 'slos', 'latency.yaml'));
    const missing = (await process(local())).metadata.annotations?.[HASH];
    expect(missing).toMatch(/^[0-9a-f]{64}$/);
    expect(missing).not.toBe(hash);
    writeFileSync(join(folder, 'slos', 'latency.yaml'), 'latency: 1');
    expect((await process(local())).metadata.annotations?.[HASH]).toBe(hash);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('reads URLs through the UrlReader (relative to a url catalog file), with the etag of the last read', async () => {
    const base = 'https://github.com/acme/checkout/blob/main/catalog-info.yaml';
    const files = new Map([
      ['https://github.com/acme/checkout/blob/main/slos/a.yaml', 'a: 1'],
      ['https://slos.example.com/b.yaml', 'b: 1'],
    ]);
    const reader = fakeReader(files);
    const { process } = setup(reader);
    const entity = component({
      'backstage.io/managed-by-location': `url:${base}`,
      'sla/openslo': 'slos/a.yaml, https://slos.example.com/b.yaml',
    });
    const hash = (await process(entity)).metadata.annotations?.[HASH];
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(reader.calls.map(c => c.url)).toEqual([...files.keys()]);
    expect(reader.calls.every(c => c.etag === undefined)).toBe(true);

    // Unchanged: conditional reads (NotModified), same hash.
    reader.calls.length = 0;
    expect((await process(entity)).metadata.annotations?.[HASH]).toBe(hash);
    expect(reader.calls.every(c => c.etag !== undefined)).toBe(true);

    files.set('https://slos.example.com/b.yaml', 'b: 2');
    const changed = (await process(entity)).metadata.annotations?.[HASH];
    expect(changed).not.toBe(hash);
    expect((await process(entity)).metadata.annotations?.[HASH]).toBe(changed);
  });

  it('a read failure does not fail processing and keeps the hash of the last good read; logged once', async () => {
    const files = new Map([['https://slos.example.com/a.yaml', 'a: 1']]);
    const reader = fakeReader(files);
    const { process, logger } = setup(reader);
    const entity = component({
      'sla/openslo': 'https://slos.example.com/a.yaml',
    });
    const hash = (await process(entity)).metadata.annotations?.[HASH];
    expect(hash).toBeDefined();

    reader.fail(new Error('socket hang up'));
    files.set('https://slos.example.com/a.yaml', 'a: 2');
    const failed = await process(entity);
    expect(failed.metadata.annotations?.[HASH]).toBe(hash);
    expect(failed.metadata.annotations?.['sla/openslo']).toBe(
      'https://slos.example.com/a.yaml',
    );
    expect((await process(entity)).metadata.annotations?.[HASH]).toBe(hash);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0][0]).toContain('socket hang up');

    // Readable again: the new content's hash.
    reader.fail(undefined);
    const recovered = (await process(entity)).metadata.annotations?.[HASH];
    expect(recovered).toBeDefined();
    expect(recovered).not.toBe(hash);
  });

  it('a read failure before any good read sets no hash and does not throw', async () => {
    const reader = fakeReader(new Map());
    reader.fail(new Error('Reading from https://x.example.com is not allowed'));
    const { process } = setup(reader);
    const entity = component({ 'sla/openslo': 'https://x.example.com/a.yaml' });
    const out = await process(entity);
    expect(out.metadata.annotations?.[HASH]).toBeUndefined();
    expect(out.metadata.annotations?.['sla/openslo']).toBe(
      'https://x.example.com/a.yaml',
    );
  });
});
