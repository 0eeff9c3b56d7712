/**
 * A map that keeps at most `capacity` entries, forgetting the oldest insertions first: trace
 * bookkeeping must never grow with the traffic. Trace data is best effort, so an entry forgotten
 * under load only costs a link in a trace, never correctness.
 */
export class BoundedMap<K, V> {
  readonly #entries = new Map<K, V>();

  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1)
      throw new RangeError(`BoundedMap capacity must be a positive integer, got ${capacity}`);
  }

  get size(): number {
    return this.#entries.size;
  }

  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    while (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
  }

  get(key: K): V | undefined {
    return this.#entries.get(key);
  }

  /** Returns the entry and removes it. */
  take(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) this.#entries.delete(key);
    return value;
  }
}
