/** A PrivateStore in a Map, for development without DATABASE_URL and for tests. */
import {
  checkCollection,
  checkKey,
  checkSubject,
  checkWrites,
  entryJson,
  PrivateStoreArgumentError,
  type PrivateEntry,
  type PrivateStore,
  type PrivateWrite,
} from './private-store.js';

/** Bound on entries kept in memory: beyond it a put fails (use PostgreSQL for real volumes). */
export const MEMORY_PRIVATE_ENTRIES_MAX = 1_000_000;

export class MemoryPrivateStore implements PrivateStore {
  readonly kind = 'memory' as const;
  readonly #entries = new Map<string, { subject: string; json: string }>();

  async put(collection: string, key: string, entry: PrivateEntry): Promise<void> {
    await this.putAll([{ collection, key, entry }]);
  }

  async putAll(writes: readonly PrivateWrite[]): Promise<void> {
    checkWrites(writes);
    const fresh = writes.filter((w) => !this.#entries.has(id(w.collection, w.key))).length;
    if (this.#entries.size + fresh > MEMORY_PRIVATE_ENTRIES_MAX) {
      throw new PrivateStoreArgumentError(
        `memory private store full (${MEMORY_PRIVATE_ENTRIES_MAX} entries)`,
      );
    }
    for (const w of writes) {
      this.#entries.set(id(w.collection, w.key), { subject: w.entry.subject, json: entryJson(w.entry) });
    }
  }

  async get<T = unknown>(collection: string, key: string): Promise<PrivateEntry<T> | undefined> {
    checkCollection(collection);
    checkKey(key);
    const stored = this.#entries.get(id(collection, key));
    // A copy through JSON, as a database would give back.
    return stored === undefined ? undefined : { subject: stored.subject, data: JSON.parse(stored.json) as T };
  }

  async delete(collection: string, key: string): Promise<boolean> {
    checkCollection(collection);
    checkKey(key);
    return this.#entries.delete(id(collection, key));
  }

  async eraseSubject(subject: string): Promise<number> {
    checkSubject(subject);
    let erased = 0;
    for (const [key, stored] of this.#entries) {
      if (stored.subject === subject) {
        this.#entries.delete(key);
        erased++;
      }
    }
    return erased;
  }

  async countSubject(subject: string): Promise<number> {
    checkSubject(subject);
    let count = 0;
    for (const stored of this.#entries.values()) if (stored.subject === subject) count++;
    return count;
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}

  get size(): number {
    return this.#entries.size;
  }

  /** Every entry (collection, key, subject, data) as one text: tests scan it for what must be gone. */
  dump(): string {
    return JSON.stringify([...this.#entries].map(([id, stored]) => [id, stored.subject, stored.json]));
  }
}

function id(collection: string, key: string): string {
  return `${collection}\u0000${key}`;
}
