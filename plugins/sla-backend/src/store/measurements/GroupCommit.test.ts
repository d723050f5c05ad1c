import { GroupCommit } from './GroupCommit';

/** A commit that waits until released, recording the groups it got. */
function gate() {
  const groups: string[][] = [];
  const pending: Array<() => void> = [];
  const commit = async (items: string[]) => {
    groups.push(items);
    await new Promise<void>(resolve => pending.push(resolve));
    if (items.includes('bad')) throw new Error('bad item');
    return items.map(i => `${i}!`);
  };
  const releaseAll = async () => {
    // settle every commit, including those started by earlier releases
    for (let i = 0; i < 20; i++) {
      pending.splice(0).forEach(r => r());
      await new Promise(r => setImmediate(r));
    }
  };
  return { groups, commit, releaseAll };
}

/** A GroupCommit over the gate, one weight per item unless told. */
const grouped = (
  g: ReturnType<typeof gate>,
  options: {
    lanes?: number;
    maxWeight?: number;
    weight?: (i: string) => number;
  } = {},
) =>
  new GroupCommit<string, string>({
    commit: g.commit,
    lanes: options.lanes ?? 1,
    maxWeight: options.maxWeight ?? 100,
    weight: options.weight ?? (() => 1),
  });

describe('GroupCommit', () => {
  it('commits what arrives during a commit as one group, answering each', async () => {
    const g = gate();
    const group = grouped(g);
    const answers = ['a', 'b', 'c', 'd'].map(i => group.run(i));
    await g.releaseAll();
    expect(await Promise.all(answers)).toEqual(['a!', 'b!', 'c!', 'd!']);
    expect(g.groups).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('stops a group at its weight, and runs as many groups as lanes', async () => {
    const g = gate();
    const group = grouped(g, { lanes: 2, maxWeight: 4, weight: i => i.length });
    const answers = ['a', 'bb', 'ccc', 'd', 'eeeee', 'f'].map(i =>
      group.run(i),
    );
    await g.releaseAll();
    await Promise.all(answers);
    // a and bb go at once (two lanes); ccc+d fill a group of 4; eeeee is
    // over the weight alone and goes alone; f follows
    expect(g.groups).toEqual([['a'], ['bb'], ['ccc', 'd'], ['eeeee'], ['f']]);
  });

  it('commits a failed group again one by one: only the faulty write fails', async () => {
    const g = gate();
    const group = grouped(g);
    const answers = ['a', 'b', 'bad', 'c'].map(i =>
      group.run(i).then(
        ok => ok,
        (e: Error) => e.message,
      ),
    );
    await g.releaseAll();
    expect(await Promise.all(answers)).toEqual(['a!', 'b!', 'bad item', 'c!']);
    expect(g.groups).toEqual([['a'], ['b', 'bad', 'c'], ['b'], ['bad'], ['c']]);
  });
});
