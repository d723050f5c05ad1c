import { StampedCache } from './StampedCache';

describe('StampedCache', () => {
  it('reads the value again only when the stamp moves', async () => {
    let stamp = 'a';
    let loads = 0;
    const cache = new StampedCache<number>(async () => stamp);
    const load = async () => ++loads;
    expect(await cache.read(load)).toBe(1);
    expect(await cache.read(load)).toBe(1);
    stamp = 'b';
    expect(await cache.read(load)).toBe(2);
    expect(await cache.read(load)).toBe(2);
  });

  it('loads when the kept value does not cover what is asked for', async () => {
    const cache = new StampedCache<{ from: number }>(async () => 's');
    const first = await cache.read(async () => ({ from: 10 }));
    expect(await cache.read(async () => ({ from: 0 }), v => v.from <= 20)).toBe(
      first,
    );
    expect(await cache.read(async () => ({ from: 0 }), v => v.from <= 5)).toEqual(
      { from: 0 },
    );
  });

  it('hands the previous value to the load, for reads of what changed since', async () => {
    let stamp = 1;
    const cache = new StampedCache<number[]>(async () => String(stamp));
    await cache.read(async () => [1]);
    stamp = 2;
    expect(await cache.read(async previous => [...(previous ?? []), 2])).toEqual(
      [1, 2],
    );
  });

  it('keeps the stamp read before the load, so a write during the load is seen next time', async () => {
    let stamp = 'before';
    let loads = 0;
    const cache = new StampedCache<number>(async () => stamp);
    await cache.read(async () => {
      stamp = 'written meanwhile';
      return ++loads;
    });
    expect(await cache.read(async () => ++loads)).toBe(2);
  });
});
