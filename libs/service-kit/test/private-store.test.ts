/**
 * The private store's contract, run against the memory store and against the real PostgreSQL
 * (a database of its own): put/get/delete, atomic putAll, erasure by subject, organisations
 * kept apart, bounds; and the salted hash of the wire contract.
 */
import { createTestDatabase, type TestDatabase } from '@civic/testkit';
import { canonicalBytes, concatBytes, fromHex, sha256, toHex } from '@civic/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MemoryPrivateStore,
  newSalt,
  openPrivateStore,
  PgPrivateStore,
  PRIVATE_DATA_BYTES_MAX,
  PrivateStoreArgumentError,
  saltedHash,
  type PrivateStore,
} from '../src/index.js';

let db: TestDatabase;
const opened: PrivateStore[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  for (const store of opened) await store.close();
  await db?.drop();
});

async function pg(mspId: string): Promise<PrivateStore> {
  const store = await PgPrivateStore.open({ url: db.url, mspId, table: 'kit_private' });
  opened.push(store);
  return store;
}

const kinds: [string, (mspId: string) => Promise<PrivateStore>][] = [
  ['memory', async () => new MemoryPrivateStore()],
  ['postgres', pg],
];

describe.each(kinds)('%s private store', (kind, open) => {
  it('puts, gets, replaces and deletes entries by collection and key', async () => {
    const store = await open(`Org-${kind}-1`);
    await store.put('persons', 'h1', { subject: 'h1', data: { name: 'Ada', address: { city: 'Utrecht' } } });
    expect(await store.get('persons', 'h1')).toEqual({
      subject: 'h1',
      data: { name: 'Ada', address: { city: 'Utrecht' } },
    });
    expect(await store.get('persons', 'h2')).toBeUndefined();
    expect(await store.get('other', 'h1')).toBeUndefined();
    await store.put('persons', 'h1', { subject: 'h1', data: { name: 'Ada L.' } });
    expect((await store.get('persons', 'h1'))?.data).toEqual({ name: 'Ada L.' });
    expect(await store.delete('persons', 'h1')).toBe(true);
    expect(await store.delete('persons', 'h1')).toBe(false);
    expect(await store.get('persons', 'h1')).toBeUndefined();
  });

  it('erases every entry of a subject in every collection, and only those', async () => {
    const store = await open(`Org-${kind}-2`);
    await store.putAll([
      { collection: 'persons', key: 'a', entry: { subject: 'a', data: { salt: '00' } } },
      { collection: 'person-index', key: '123456782', entry: { subject: 'a', data: { hid: 'a' } } },
      { collection: 'addresses', key: 'a/XX-99-99', entry: { subject: 'a', data: { street: 'x' } } },
      { collection: 'persons', key: 'b', entry: { subject: 'b', data: { salt: '01' } } },
    ]);
    expect(await store.countSubject('a')).toBe(3);
    expect(await store.eraseSubject('a')).toBe(3);
    expect(await store.countSubject('a')).toBe(0);
    expect(await store.get('person-index', '123456782')).toBeUndefined();
    expect(await store.countSubject('b')).toBe(1);
    expect(await store.eraseSubject('a')).toBe(0);
  });

  it('refuses bad arguments and oversize data, writing nothing of a refused batch', async () => {
    const store = await open(`Org-${kind}-3`);
    await expect(store.put('Bad Collection', 'k', { subject: 's', data: 1 })).rejects.toThrow(
      PrivateStoreArgumentError,
    );
    await expect(store.put('c', '', { subject: 's', data: 1 })).rejects.toThrow(
      /key must be a string of 1 to 512/,
    );
    await expect(store.put('c', 'k', { subject: '', data: 1 })).rejects.toThrow(/subject/);
    await expect(
      store.putAll([
        { collection: 'c', key: 'ok', entry: { subject: 's', data: 1 } },
        { collection: 'c', key: 'big', entry: { subject: 's', data: 'x'.repeat(PRIVATE_DATA_BYTES_MAX) } },
      ]),
    ).rejects.toThrow(/over 65536 bytes/);
    expect(await store.countSubject('s')).toBe(0);
  });

  it('answers ping', async () => {
    const store = await open(`Org-${kind}-4`);
    await expect(store.ping()).resolves.toBeUndefined();
  });
});

describe('PostgreSQL private store', () => {
  it('keeps organisations sharing a database apart', async () => {
    const utrecht = await pg('Utrecht');
    const amsterdam = await pg('Amsterdam');
    await utrecht.put('persons', 'same-key', { subject: 'x', data: { org: 'U' } });
    await amsterdam.put('persons', 'same-key', { subject: 'x', data: { org: 'A' } });
    expect((await utrecht.get('persons', 'same-key'))?.data).toEqual({ org: 'U' });
    expect(await amsterdam.eraseSubject('x')).toBe(1);
    expect((await utrecht.get('persons', 'same-key'))?.data).toEqual({ org: 'U' });
  });

  it('is what openPrivateStore gives with a URL; memory without', async () => {
    const store = await openPrivateStore({ url: db.url, mspId: 'Police' });
    opened.push(store);
    expect(store.kind).toBe('postgres');
    expect((await openPrivateStore({ url: undefined, mspId: 'Police' })).kind).toBe('memory');
  });
});

describe('MemoryPrivateStore.dump', () => {
  it('holds every entry as text, and nothing of an erased subject', async () => {
    const store = new MemoryPrivateStore();
    await store.put('persons', 'h1', { subject: 'h1', data: { name: 'Ada Lovelace' } });
    await store.put('persons', 'h2', { subject: 'h2', data: { name: 'Alan Turing' } });
    expect(store.dump()).toContain('Ada Lovelace');
    await store.eraseSubject('h1');
    expect(store.dump()).not.toContain('Ada Lovelace');
    expect(store.dump()).not.toContain('h1');
    expect(store.dump()).toContain('Alan Turing');
  });
});

describe('saltedHash', () => {
  it('is hex(SHA-256(salt ‖ JCS(data))) and depends on the salt', () => {
    const salt = newSalt();
    expect(salt).toMatch(/^[0-9a-f]{64}$/);
    const data = { b: 2, a: 'é' };
    expect(saltedHash(salt, data)).toBe(
      toHex(sha256(concatBytes(fromHex(salt), canonicalBytes({ a: 'é', b: 2 })))),
    );
    expect(saltedHash(newSalt(), data)).not.toBe(saltedHash(salt, data));
    expect(() => saltedHash('abc', data)).toThrow(RangeError);
    expect(() => newSalt(8)).toThrow(RangeError);
  });
});
