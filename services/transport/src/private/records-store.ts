/**
 * The transport service's private data on the kit's store (docs/transport.md#privacy):
 *
 * - a company's uploads in collection `transport-records`: a header `<card>/<uploadId>` with the
 *   salt and the content without its activities, and the activities in chunks
 *   `<card>/<uploadId>/<k>` of CHUNK_ACTIVITIES each (the kit bounds an entry at 64 KiB);
 * - RDW's drivers in collection `transport-drivers`: `<card>/<driverId>` with the driver's particulars and
 *   the salt of the chain's driverId.
 *
 * Every entry's subject is the card number: an erasure of a card's data is one `eraseSubject`.
 */
import { PRIVATE_WRITES_MAX, type PrivateStore, type PrivateWrite } from '@civic/service-kit';
import {
  DRIVERS_COLLECTION,
  invariant,
  LIMITS,
  privateKeys,
  RECORDS_COLLECTION,
  type StoredUpload,
  type UploadContent,
  type UploadRef,
} from '../domain/index.js';
import type { ActivityInput } from '../rules/index.js';

/** Activities per chunk: ~130 bytes each at most, so a chunk stays well under the kit's 64 KiB. */
export const CHUNK_ACTIVITIES = 400;

export interface UploadHeader {
  readonly salt: string;
  readonly chunks: number;
  readonly count: number;
  /** The content without `activities`. */
  readonly content: Omit<UploadContent, 'activities'>;
}

export interface DriverParticulars {
  readonly name: string;
  readonly birthDate: string;
  readonly licenceNumber: string | null;
}

export interface DriverEntry {
  readonly salt: string;
  readonly driver: DriverParticulars;
}

/** Chunks of an upload of `count` activities. */
export function chunkCount(count: number): number {
  return Math.ceil(count / CHUNK_ACTIVITIES);
}

// The header plus the chunks of the largest upload must go in one putAll (all or none).
invariant(
  chunkCount(LIMITS.activitiesPerUploadMax) + 1 <= PRIVATE_WRITES_MAX,
  () => 'upload chunks exceed one putAll',
);

export class MissingPrivateDataError extends Error {
  override readonly name = 'MissingPrivateDataError';
}

export class RecordsStore {
  constructor(readonly store: PrivateStore) {}

  /** Stores an upload (header and chunks) in one all-or-none write. */
  async putUpload(uploadId: string, salt: string, content: UploadContent): Promise<void> {
    const { activities, ...rest } = content;
    const card = content.cardNumber;
    const chunks = chunkCount(activities.length);
    const writes: PrivateWrite[] = [
      {
        collection: RECORDS_COLLECTION,
        key: privateKeys.uploadHeader(card, uploadId),
        entry: {
          subject: card,
          data: { salt, chunks, count: activities.length, content: rest } satisfies UploadHeader,
        },
      },
    ];
    for (let k = 0; k < chunks; k++) {
      writes.push({
        collection: RECORDS_COLLECTION,
        key: privateKeys.uploadChunk(card, uploadId, k),
        entry: { subject: card, data: activities.slice(k * CHUNK_ACTIVITIES, (k + 1) * CHUNK_ACTIVITIES) },
      });
    }
    await this.store.putAll(writes);
  }

  /** Removes an upload whose transaction was refused or failed (nothing on the chain refers to it). */
  async deleteUpload(cardNumber: string, uploadId: string, chunks: number): Promise<void> {
    for (let k = 0; k < chunks; k++)
      await this.store.delete(RECORDS_COLLECTION, privateKeys.uploadChunk(cardNumber, uploadId, k));
    await this.store.delete(RECORDS_COLLECTION, privateKeys.uploadHeader(cardNumber, uploadId));
  }

  async header(cardNumber: string, uploadId: string): Promise<UploadHeader> {
    const entry = await this.store.get<UploadHeader>(
      RECORDS_COLLECTION,
      privateKeys.uploadHeader(cardNumber, uploadId),
    );
    if (entry === undefined)
      throw new MissingPrivateDataError(
        `upload ${uploadId} of card ${cardNumber} is not in the private store`,
      );
    return entry.data;
  }

  /** Activities of chunks [from, from + count) of an upload. */
  async chunks(cardNumber: string, uploadId: string, from: number, count: number): Promise<ActivityInput[]> {
    // Read together: the store's connection pool bounds how many run at once.
    const entries = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        this.store.get<ActivityInput[]>(
          RECORDS_COLLECTION,
          privateKeys.uploadChunk(cardNumber, uploadId, from + i),
        ),
      ),
    );
    return entries.flatMap((entry, i) => {
      if (entry === undefined) {
        throw new MissingPrivateDataError(
          `chunk ${from + i} of upload ${uploadId} is not in the private store`,
        );
      }
      return entry.data;
    });
  }

  /** An upload as stored: salt and full content. */
  async load(ref: UploadRef, cardNumber: string): Promise<StoredUpload> {
    const header = await this.header(cardNumber, ref.uploadId);
    const activities = await this.chunks(cardNumber, ref.uploadId, 0, header.chunks);
    return { salt: header.salt, content: { ...header.content, activities } as UploadContent };
  }

  async putDriver(cardNumber: string, driverId: string, entry: DriverEntry): Promise<void> {
    await this.store.put(DRIVERS_COLLECTION, privateKeys.driver(cardNumber, driverId), {
      subject: cardNumber,
      data: entry,
    });
  }

  async deleteDriver(cardNumber: string, driverId: string): Promise<void> {
    await this.store.delete(DRIVERS_COLLECTION, privateKeys.driver(cardNumber, driverId));
  }

  async driver(cardNumber: string, driverId: string): Promise<DriverEntry | undefined> {
    return (await this.store.get<DriverEntry>(DRIVERS_COLLECTION, privateKeys.driver(cardNumber, driverId)))
      ?.data;
  }
}
