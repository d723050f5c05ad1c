/**
 * Group commit: writes that arrive while `lanes` writes are in flight wait,
 * and are then committed together, as one write (up to `maxWeight`), each
 * caller still getting its own answer. Concurrent ingest batches of the
 * same series wait for each other's row locks anyway (the rollups, write
 * stamps and evaluation queue rows they share); grouped, what they share is
 * written once per group instead of once per batch.
 *
 * Should a group fail, its writes are committed again one by one, so that a
 * write is refused for its own fault only (and with its own error).
 */
export class GroupCommit<T, R> {
  private readonly waiting: Array<{
    item: T;
    resolve: (result: R) => void;
    reject: (error: unknown) => void;
  }> = [];
  private running = 0;

  constructor(
    private readonly options: {
      /** Commits the items together (one transaction); a result per item. */
      commit: (items: T[]) => Promise<R[]>;
      /** How many groups may be in flight at once. */
      lanes: number;
      /** A group stops growing at this weight (one item always goes). */
      maxWeight: number;
      weight: (item: T) => number;
    },
  ) {}

  run(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.next();
    });
  }

  private next() {
    if (this.running >= this.options.lanes || !this.waiting.length) return;
    const { weight, maxWeight } = this.options;
    let total = weight(this.waiting[0].item);
    let n = 1;
    while (n < this.waiting.length) {
      const w = weight(this.waiting[n].item);
      if (total + w > maxWeight) break;
      total += w;
      n++;
    }
    const group = this.waiting.splice(0, n);
    this.running++;
    this.commitGroup(group).finally(() => {
      this.running--;
      this.next();
    });
  }

  private async commitGroup(group: GroupCommit<T, R>['waiting']) {
    try {
      const results = await this.options.commit(group.map(g => g.item));
      group.forEach((g, i) => g.resolve(results[i]));
      return;
    } catch (error) {
      if (group.length === 1) {
        group[0].reject(error);
        return;
      }
    }
    for (const g of group) {
      try {
        const [result] = await this.options.commit([g.item]);
        g.resolve(result);
      } catch (error) {
        g.reject(error);
      }
    }
  }
}
