/**
 * A value computed from the database, kept with the database stamp it was
 * computed at (a small aggregate statement that moves whenever what the
 * value was read from is written, by any replica). Every read asks the
 * database for the stamp first, so a value is never used past a write,
 * whichever replica made it; only the reading of the value itself is
 * saved. The stamp is read before the value: a write that lands between
 * the two moves the stamp again, and the next read loads anew.
 * @internal
 */
export class StampedCache<T> {
  private kept?: { stamp: string; value: T };

  constructor(private readonly stampOf: () => Promise<string>) {}

  /**
   * The kept value while the stamp holds and `usable` accepts it (e.g. it
   * covers the range asked for); else `load`'s, given the value kept
   * before (for reads that only add what changed since), which is kept
   * with the stamp read before it.
   */
  async read(
    load: (previous: T | undefined) => Promise<T>,
    usable: (value: T) => boolean = () => true,
  ): Promise<T> {
    const stamp = await this.stampOf();
    const kept = this.kept;
    if (kept && kept.stamp === stamp && usable(kept.value)) return kept.value;
    const value = await load(kept?.value);
    this.kept = { stamp, value };
    return value;
  }
}
