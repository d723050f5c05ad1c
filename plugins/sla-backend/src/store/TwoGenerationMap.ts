/**
 * A bounded map, least recently used first out, approximated cheaply by two
 * generations: a hit in the old one moves to the young one; when the young
 * one is full it becomes the old one, and what was old is dropped. Holds at
 * most `capacity` entries.
 * @internal
 */
export class TwoGenerationMap<K, V> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  get(key: K): V | undefined {
    const young = this.young.get(key);
    if (young !== undefined) return young;
    const old = this.old.get(key);
    if (old !== undefined) this.set(key, old);
    return old;
  }

  set(key: K, value: V) {
    this.young.set(key, value);
    if (this.young.size >= this.capacity / 2) {
      this.old = this.young;
      this.young = new Map();
    }
  }

  delete(key: K) {
    this.young.delete(key);
    this.old.delete(key);
  }
}
