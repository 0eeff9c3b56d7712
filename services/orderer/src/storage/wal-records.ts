import { EntryType, type Entry, type HardState, type Snapshot } from '@civic/raft';
import { WalCorruptError } from '../errors.js';

/**
 * What the write-ahead log holds, and its binary form. Every record is one frame (frame.ts):
 *
 * - HARD_STATE: UTF-8 JSON `{term, vote, commit}`.
 * - ENTRIES: `u32 count`, then per entry `f64 term, f64 index, u8 type, u32 length, data`
 *   (f64 holds every safe integer exactly; entry data are raw bytes, no base64).
 * - SNAPSHOT: `u32 length` of a UTF-8 JSON `{index, term, voters, learners}`, that JSON, then
 *   the snapshot data. A snapshot record replaces the log (entries before it are gone); the
 *   hard state survives it.
 */
export const WalRecordType = { HARD_STATE: 1, ENTRIES: 2, SNAPSHOT: 3 } as const;
export type WalRecordType = (typeof WalRecordType)[keyof typeof WalRecordType];

export type WalRecord =
  | { readonly type: typeof WalRecordType.HARD_STATE; readonly hardState: HardState }
  | { readonly type: typeof WalRecordType.ENTRIES; readonly entries: readonly Entry[] }
  | { readonly type: typeof WalRecordType.SNAPSHOT; readonly snapshot: Snapshot };

const ENTRY_TYPES: readonly EntryType[] = [EntryType.Normal, EntryType.ConfChange];
const ENTRY_HEADER_BYTES = 8 + 8 + 1 + 4;
const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

export function encodeWalRecord(record: WalRecord): { type: number; payload: Uint8Array } {
  switch (record.type) {
    case WalRecordType.HARD_STATE: {
      const { term, vote, commit } = record.hardState;
      return { type: record.type, payload: utf8.encode(JSON.stringify({ term, vote, commit })) };
    }
    case WalRecordType.ENTRIES:
      return { type: record.type, payload: encodeEntries(record.entries) };
    case WalRecordType.SNAPSHOT:
      return { type: record.type, payload: encodeSnapshot(record.snapshot) };
  }
}

function encodeEntries(entries: readonly Entry[]): Uint8Array {
  let size = 4;
  for (const entry of entries) size += ENTRY_HEADER_BYTES + entry.data.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, entries.length, true);
  let at = 4;
  for (const entry of entries) {
    view.setFloat64(at, entry.term, true);
    view.setFloat64(at + 8, entry.index, true);
    out[at + 16] = ENTRY_TYPES.indexOf(entry.type);
    view.setUint32(at + 17, entry.data.length, true);
    out.set(entry.data, at + ENTRY_HEADER_BYTES);
    at += ENTRY_HEADER_BYTES + entry.data.length;
  }
  return out;
}

function encodeSnapshot(snapshot: Snapshot): Uint8Array {
  const { index, term, confState } = snapshot.metadata;
  const meta = utf8.encode(
    JSON.stringify({ index, term, voters: confState.voters, learners: confState.learners }),
  );
  const out = new Uint8Array(4 + meta.length + snapshot.data.length);
  new DataView(out.buffer).setUint32(0, meta.length, true);
  out.set(meta, 4);
  out.set(snapshot.data, 4 + meta.length);
  return out;
}

/** Decodes a record whose frame checked out; a malformed payload is corruption. */
export function decodeWalRecord(type: number, payload: Uint8Array, file: string, offset: number): WalRecord {
  const corrupt = (detail: string) => new WalCorruptError(file, offset, detail);
  try {
    switch (type) {
      case WalRecordType.HARD_STATE: {
        const value = JSON.parse(utf8Strict.decode(payload)) as HardState;
        if (
          !isCount(value.term) ||
          !isCount(value.commit) ||
          !(value.vote === null || typeof value.vote === 'string')
        )
          throw corrupt('malformed hard state');
        return { type, hardState: { term: value.term, vote: value.vote, commit: value.commit } };
      }
      case WalRecordType.ENTRIES:
        return { type, entries: decodeEntries(payload, corrupt) };
      case WalRecordType.SNAPSHOT:
        return { type, snapshot: decodeSnapshot(payload, corrupt) };
      default:
        throw corrupt(`unknown record type ${type}`);
    }
  } catch (error) {
    if (error instanceof WalCorruptError) throw error;
    throw new WalCorruptError(file, offset, `record does not decode: ${(error as Error).message}`);
  }
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function decodeEntries(payload: Uint8Array, corrupt: (d: string) => Error): Entry[] {
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const count = view.getUint32(0, true);
  if (count > payload.length) throw corrupt(`entry count ${count} exceeds the record`);
  const entries: Entry[] = [];
  let at = 4;
  for (let i = 0; i < count; i++) {
    if (at + ENTRY_HEADER_BYTES > payload.length) throw corrupt(`entry ${i} header runs past the record`);
    const term = view.getFloat64(at, true);
    const index = view.getFloat64(at + 8, true);
    const type = ENTRY_TYPES[payload[at + 16] as number];
    const length = view.getUint32(at + 17, true);
    const start = at + ENTRY_HEADER_BYTES;
    if (!isCount(term) || !isCount(index) || type === undefined || start + length > payload.length)
      throw corrupt(`entry ${i} is malformed`);
    entries.push({ term, index, type, data: payload.slice(start, start + length) });
    at = start + length;
  }
  if (at !== payload.length) throw corrupt('trailing bytes after the entries');
  return entries;
}

function decodeSnapshot(payload: Uint8Array, corrupt: (d: string) => Error): Snapshot {
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const metaLength = view.getUint32(0, true);
  if (4 + metaLength > payload.length) throw corrupt('snapshot metadata runs past the record');
  const meta = JSON.parse(utf8Strict.decode(payload.subarray(4, 4 + metaLength))) as {
    index: number;
    term: number;
    voters: string[];
    learners: string[];
  };
  if (
    !isCount(meta.index) ||
    !isCount(meta.term) ||
    !Array.isArray(meta.voters) ||
    !Array.isArray(meta.learners)
  )
    throw corrupt('malformed snapshot metadata');
  return {
    metadata: {
      index: meta.index,
      term: meta.term,
      confState: { voters: meta.voters, learners: meta.learners },
    },
    data: payload.slice(4 + metaLength),
  };
}
