import { ByteReader, ByteWriter } from './bytes.js';
import { CodecError } from './errors.js';
import { MESSAGE_TYPES, validateMessage } from './message.js';
import type { ConfChange, ConfState, Entry, Message, Snapshot } from './types.js';
import { ConfChangeType, EntryType } from './types.js';

/**
 * A compact binary encoding of messages and membership changes, for transport over NATS:
 * unsigned LEB128 varints for numbers, length-prefixed UTF-8 for ids and raw bytes for entry
 * data (no base64 inflation of ~1 MiB blocks). An entry adds at most ENTRY_OVERHEAD_BYTES to
 * its data; the fixed part of a message is at most MESSAGE_HEADER_MAX_BYTES.
 *
 * Layout: 'R' 1 type flags from to term logTerm index commit rejectHint
 *         count (term index type data)* [snapshot: index term voters* learners* data]
 */
const MESSAGE_MAGIC = 0x52; // 'R'
const CONF_CHANGE_MAGIC = 0x43; // 'C'
const VERSION = 1;
const FLAG_REJECT = 1;
const FLAG_LEADER_TRANSFER = 2;
const FLAG_SNAPSHOT = 4;
const MAX_ID_BYTES = 64;
/** Decoding refuses payloads above this (a bound on memory for hostile input). */
export const MAX_DECODED_BYTES = 256 * 1024 * 1024;
/** Upper bound of a message's encoded size besides its entries and snapshot. */
export const MESSAGE_HEADER_MAX_BYTES = 4 + 2 * (MAX_ID_BYTES + 1) + 5 * 8 + 8;

const ENTRY_TYPE_CODES: readonly EntryType[] = [EntryType.Normal, EntryType.ConfChange];
const CONF_CHANGE_CODES: readonly ConfChangeType[] = [
  ConfChangeType.AddVoter,
  ConfChangeType.AddLearner,
  ConfChangeType.RemoveNode,
];

function writeIds(writer: ByteWriter, ids: readonly string[]): void {
  writer.varuint(ids.length);
  for (const id of ids) writer.string(id);
}

function readIds(reader: ByteReader, what: string): string[] {
  const count = reader.varuint(`${what} count`);
  if (count > 10_000) throw new CodecError(`${what} count ${count} is implausible`);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push(reader.string(what, MAX_ID_BYTES));
  return ids;
}

export function encodeMessage(message: Message): Uint8Array {
  let payloadBytes = 0;
  for (const entry of message.entries) payloadBytes += entry.data.length;
  if (message.snapshot !== null) payloadBytes += message.snapshot.data.length;
  const writer = new ByteWriter(MESSAGE_HEADER_MAX_BYTES + payloadBytes + 24 * message.entries.length + 64);
  writer.byte(MESSAGE_MAGIC);
  writer.byte(VERSION);
  writer.byte(MESSAGE_TYPES.indexOf(message.type));
  const flags =
    (message.reject ? FLAG_REJECT : 0) |
    (message.leaderTransfer ? FLAG_LEADER_TRANSFER : 0) |
    (message.snapshot !== null ? FLAG_SNAPSHOT : 0);
  writer.byte(flags);
  writer.string(message.from);
  writer.string(message.to);
  writer.varuint(message.term);
  writer.varuint(message.logTerm);
  writer.varuint(message.index);
  writer.varuint(message.commit);
  writer.varuint(message.rejectHint);
  writer.varuint(message.entries.length);
  for (const entry of message.entries) {
    writer.varuint(entry.term);
    writer.varuint(entry.index);
    writer.byte(ENTRY_TYPE_CODES.indexOf(entry.type));
    writer.bytes(entry.data);
  }
  if (message.snapshot !== null) writeSnapshot(writer, message.snapshot);
  return writer.finish();
}

function writeSnapshot(writer: ByteWriter, snapshot: Snapshot): void {
  writer.varuint(snapshot.metadata.index);
  writer.varuint(snapshot.metadata.term);
  writeIds(writer, snapshot.metadata.confState.voters);
  writeIds(writer, snapshot.metadata.confState.learners);
  writer.bytes(snapshot.data);
}

function readSnapshot(reader: ByteReader): Snapshot {
  const index = reader.varuint('snapshot index');
  const term = reader.varuint('snapshot term');
  const confState: ConfState = { voters: readIds(reader, 'voter'), learners: readIds(reader, 'learner') };
  return { metadata: { index, term, confState }, data: reader.bytes('snapshot data', MAX_DECODED_BYTES) };
}

/** Decodes and validates a message; throws CodecError (or InvalidMessageError) on bad input. */
export function decodeMessage(input: Uint8Array): Message {
  if (!(input instanceof Uint8Array)) throw new CodecError('message input must be a Uint8Array');
  if (input.length > MAX_DECODED_BYTES) throw new CodecError(`message of ${input.length} bytes is too large`);
  const reader = new ByteReader(input);
  if (reader.byte('magic') !== MESSAGE_MAGIC) throw new CodecError('not a raft message (bad magic byte)');
  const version = reader.byte('version');
  if (version !== VERSION) throw new CodecError(`unsupported raft message version ${version}`);
  const type = MESSAGE_TYPES[reader.byte('type')];
  if (type === undefined) throw new CodecError('unknown raft message type');
  const flags = reader.byte('flags');
  if ((flags & ~(FLAG_REJECT | FLAG_LEADER_TRANSFER | FLAG_SNAPSHOT)) !== 0)
    throw new CodecError(`unknown flags ${flags}`);
  const from = reader.string('from', MAX_ID_BYTES);
  const to = reader.string('to', MAX_ID_BYTES);
  const term = reader.varuint('term');
  const logTerm = reader.varuint('logTerm');
  const index = reader.varuint('index');
  const commit = reader.varuint('commit');
  const rejectHint = reader.varuint('rejectHint');
  const count = reader.varuint('entry count');
  if (count > input.length) throw new CodecError(`entry count ${count} exceeds the input size`);
  const entries: Entry[] = [];
  for (let i = 0; i < count; i++) {
    const entryTerm = reader.varuint('entry term');
    const entryIndex = reader.varuint('entry index');
    const entryType = ENTRY_TYPE_CODES[reader.byte('entry type')];
    if (entryType === undefined) throw new CodecError(`entry ${i} has an unknown type`);
    entries.push({
      term: entryTerm,
      index: entryIndex,
      type: entryType,
      data: reader.bytes('entry data', MAX_DECODED_BYTES),
    });
  }
  const snapshot = (flags & FLAG_SNAPSHOT) !== 0 ? readSnapshot(reader) : null;
  reader.end('message');
  const message: Message = {
    type,
    from,
    to,
    term,
    logTerm,
    index,
    entries,
    commit,
    reject: (flags & FLAG_REJECT) !== 0,
    rejectHint,
    snapshot,
    leaderTransfer: (flags & FLAG_LEADER_TRANSFER) !== 0,
  };
  validateMessage(message);
  return message;
}

/** The data of a ConfChange entry. */
export function encodeConfChange(change: ConfChange): Uint8Array {
  const writer = new ByteWriter(96 + (change.context?.length ?? 0));
  writer.byte(CONF_CHANGE_MAGIC);
  writer.byte(VERSION);
  writer.byte(CONF_CHANGE_CODES.indexOf(change.type));
  writer.string(change.nodeId);
  writer.bytes(change.context ?? new Uint8Array(0));
  return writer.finish();
}

export function decodeConfChange(input: Uint8Array): ConfChange {
  const reader = new ByteReader(input);
  if (reader.byte('magic') !== CONF_CHANGE_MAGIC)
    throw new CodecError('not a membership change (bad magic byte)');
  const version = reader.byte('version');
  if (version !== VERSION) throw new CodecError(`unsupported membership change version ${version}`);
  const type = CONF_CHANGE_CODES[reader.byte('change type')];
  if (type === undefined) throw new CodecError('unknown membership change type');
  const nodeId = reader.string('node id', MAX_ID_BYTES);
  const context = reader.bytes('context', MAX_DECODED_BYTES);
  reader.end('membership change');
  return { type, nodeId, context };
}
