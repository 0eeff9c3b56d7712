/**
 * The domain's PrivateStore port (docs/parking.md#private-stores) over the kit's private store:
 * a record's `holder` is the kit entry's `subject`, so `erase(hid)` is one `eraseSubject`. Also
 * the organisation's own secret: the salt of officer pseudonyms in the access log.
 */
import { newSalt, type PrivateStore as KitPrivateStore } from '@civic/service-kit';
import type { PrivateCollection, PrivateRecord, PrivateStore, PrivateWrite } from '../domain/index.js';

/** The collection of the organisation's own secrets (never about a holder). */
const ORG_SECRETS = 'org-secrets';
const OFFICER_SALT = 'officer-salt';

export class ParkingPrivateStore implements PrivateStore {
  constructor(readonly store: KitPrivateStore) {}

  put(collection: PrivateCollection, key: string, record: PrivateRecord): Promise<void> {
    return this.store.put(collection, key, { subject: record.holder, data: record.data });
  }

  /** Several records at once, all or none. */
  putAll(writes: readonly PrivateWrite[]): Promise<void> {
    return this.store.putAll(
      writes.map((w) => ({
        collection: w.collection,
        key: w.key,
        entry: { subject: w.record.holder, data: w.record.data },
      })),
    );
  }

  async get(collection: PrivateCollection, key: string): Promise<PrivateRecord | undefined> {
    const entry = await this.store.get(collection, key);
    return entry === undefined ? undefined : { holder: entry.subject, data: entry.data };
  }

  delete(collection: PrivateCollection, key: string): Promise<boolean> {
    return this.store.delete(collection, key);
  }

  erase(hid: string): Promise<number> {
    return this.store.eraseSubject(hid);
  }

  /** Entries still about `hid` (0 after its erasure). */
  countFor(hid: string): Promise<number> {
    return this.store.countSubject(hid);
  }

  /** The organisation's salt for officer pseudonyms, created on first use. */
  async officerSalt(mspId: string): Promise<string> {
    const existing = await this.store.get<{ salt: string }>(ORG_SECRETS, OFFICER_SALT);
    if (existing !== undefined) return existing.data.salt;
    const salt = newSalt();
    await this.store.put(ORG_SECRETS, OFFICER_SALT, { subject: `org:${mspId}`, data: { salt } });
    return salt;
  }
}
