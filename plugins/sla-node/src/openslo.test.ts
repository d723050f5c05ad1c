import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { readOpenSloFile, resolveOpenSloLocations } from './openslo';

describe('resolveOpenSloLocations', () => {
  it('resolves paths against the catalog file (url or file) and keeps absolute URLs', () => {
    expect(
      resolveOpenSloLocations('slos/a.yaml, https://x.example.com/b.yaml', {
        'backstage.io/managed-by-location':
          'url:https://github.com/acme/checkout/blob/main/catalog-info.yaml',
      }),
    ).toEqual({
      locations: [
        {
          type: 'url',
          target: 'https://github.com/acme/checkout/blob/main/slos/a.yaml',
        },
        { type: 'url', target: 'https://x.example.com/b.yaml' },
      ],
    });
    expect(
      resolveOpenSloLocations('slos/a.yaml', {
        'backstage.io/managed-by-location':
          'file:/repo/checkout/catalog-info.yaml',
      }),
    ).toEqual({
      locations: [{ type: 'file', target: '/repo/checkout/slos/a.yaml' }],
    });
  });

  it('refuses a local path outside the catalog file folder, and relative paths without a location', () => {
    const outside = resolveOpenSloLocations('../other/slos.yaml', {
      'backstage.io/managed-by-location':
        'file:/repo/checkout/catalog-info.yaml',
    });
    expect(outside).toEqual({
      error: expect.stringContaining('outside the folder'),
    });
    expect(resolveOpenSloLocations('slos/a.yaml', {})).toEqual({
      error: expect.stringContaining('relative'),
    });
    expect(resolveOpenSloLocations(' , ', {})).toEqual({
      error: 'sla/openslo names no file',
    });
  });
});

describe('readOpenSloFile', () => {
  it('reads local files from disk and answers NotFoundError for a missing one', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'sla-node-openslo-'));
    try {
      writeFileSync(join(folder, 'a.yaml'), 'a: 1');
      const reader = { readUrl: jest.fn() };
      await expect(
        readOpenSloFile(reader, {
          type: 'file',
          target: join(folder, 'a.yaml'),
        }),
      ).resolves.toEqual({ text: 'a: 1' });
      await expect(
        readOpenSloFile(reader, {
          type: 'file',
          target: join(folder, 'b.yaml'),
        }),
      ).rejects.toMatchObject({ name: 'NotFoundError' });
      expect(reader.readUrl).not.toHaveBeenCalled();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('reads URLs through the UrlReader, passing the etag', async () => {
    const reader = {
      readUrl: jest.fn(async () => ({
        buffer: async () => Buffer.from('b: 1'),
        stream: () => {
          throw new Error('not used');
        },
        etag: 'e2',
      })),
    };
    await expect(
      readOpenSloFile(
        reader,
        { type: 'url', target: 'https://x.example.com/b.yaml' },
        { etag: 'e1' },
      ),
    ).resolves.toEqual({ text: 'b: 1', etag: 'e2' });
    expect(reader.readUrl).toHaveBeenCalledWith(
      'https://x.example.com/b.yaml',
      {
        etag: 'e1',
      },
    );
  });
});
