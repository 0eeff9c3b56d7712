/**
 * The organisation's private store: personal data behind the chain's salted hashes, never
 * replicated to other organisations. Entries live in collections under keys, and each names its
 * `subject` (the person or undertaking it is about) so that an erasure request finds every entry
 * of a subject, salts included, in one call. PostgreSQL when DATABASE_URL is set, memory
 * otherwise (development only: lost on restart).
 */

export interface PrivateEntry<T = unknown> {
  /** Whom the entry is about (a holder id, a KvK number…): what `eraseSubject` matches. */
  readonly subject: string;
  readonly data: T;
}

export interface PrivateWrite<T = unknown> {
  readonly collection: string;
  readonly key: string;
  readonly entry: PrivateEntry<T>;
}

export interface PrivateStore {
  readonly kind: 'postgres' | 'memory';
  /** Puts (or replaces) one entry. */
  put(collection: string, key: string, entry: PrivateEntry): Promise<void>;
  /** Puts several entries at once: all or none. */
  putAll(writes: readonly PrivateWrite[]): Promise<void>;
  get<T = unknown>(collection: string, key: string): Promise<PrivateEntry<T> | undefined>;
  /** Deletes one entry; true when it existed. */
  delete(collection: string, key: string): Promise<boolean>;
  /** Deletes every entry about `subject` in every collection; how many were deleted. */
  eraseSubject(subject: string): Promise<number>;
  /** How many entries are about `subject` (0 after its erasure). */
  countSubject(subject: string): Promise<number>;
  /** Throws when the store does not answer (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Collection names: short, lowercase, as in docs. */
export const COLLECTION_PATTERN = /^[a-z][a-z0-9-]{0,63}$/;
/** Longest key or subject (as the chain's keys). */
export const PRIVATE_KEY_CHARS_MAX = 512;
/** Largest entry data as JSON text: a person record or a medical assessment's details. */
export const PRIVATE_DATA_BYTES_MAX = 64 * 1024;
/** Most entries in one putAll. */
export const PRIVATE_WRITES_MAX = 64;

export class PrivateStoreArgumentError extends Error {
  override readonly name = 'PrivateStoreArgumentError';
}

function checkText(value: unknown, what: string): asserts value is string {
  if (typeof value !== 'string' || value.length < 1 || value.length > PRIVATE_KEY_CHARS_MAX) {
    throw new PrivateStoreArgumentError(
      `${what} must be a string of 1 to ${PRIVATE_KEY_CHARS_MAX} characters`,
    );
  }
}

export function checkCollection(collection: unknown): asserts collection is string {
  if (typeof collection !== 'string' || !COLLECTION_PATTERN.test(collection)) {
    throw new PrivateStoreArgumentError(`collection must match ${COLLECTION_PATTERN.source}`);
  }
}

export function checkKey(key: unknown): asserts key is string {
  checkText(key, 'private store key');
}

export function checkSubject(subject: unknown): asserts subject is string {
  checkText(subject, 'private store subject');
}

/** The entry's data as JSON text, checked for size; the entry's shape checked. */
export function entryJson(entry: PrivateEntry): string {
  if (entry === null || typeof entry !== 'object') {
    throw new PrivateStoreArgumentError('private entry must be an object {subject, data}');
  }
  checkSubject(entry.subject);
  const text = JSON.stringify(entry.data ?? null);
  if (Buffer.byteLength(text) > PRIVATE_DATA_BYTES_MAX) {
    throw new PrivateStoreArgumentError(`private entry data over ${PRIVATE_DATA_BYTES_MAX} bytes`);
  }
  return text;
}

export function checkWrites(writes: readonly PrivateWrite[]): void {
  if (!Array.isArray(writes) || writes.length > PRIVATE_WRITES_MAX) {
    throw new PrivateStoreArgumentError(`putAll takes a list of at most ${PRIVATE_WRITES_MAX} writes`);
  }
  for (const write of writes) {
    checkCollection(write.collection);
    checkKey(write.key);
    entryJson(write.entry);
  }
}
