/**
 * The strict parser of transaction payloads (docs/protocol.md, "Transaction payload").
 */
import type { Creator, DomainEvent, PrivateDataHash, ReadEntry, TxPayload, WriteEntry } from '../types.js';
import { TxType } from '../types.js';
import {
  expectArray,
  expectCertificate,
  expectHex,
  expectJsonValue,
  expectLiteral,
  expectName,
  expectObject,
  expectString,
  expectTime,
  canonicalText,
  checkSize,
  fieldPath,
  itemPath,
} from './checks.js';
import { BadValueError } from './errors.js';
import {
  KEY_CHARS_MAX,
  KEY_CHARS_MIN,
  NONCE_BYTES_MAX,
  NONCE_BYTES_MIN,
  type ProtocolLimits,
} from './limits.js';

/** The reserved namespace, key, action and event type of config transactions. */
export const CONFIG_NAMESPACE = 'config';
export const CONFIG_KEY = 'channel';
export const CONFIG_ACTION = 'update';
export const CONFIG_EVENT_TYPE = 'config.updated';

const PAYLOAD_REQUIRED = [
  'type',
  'channel',
  'namespace',
  'action',
  'txTime',
  'nonce',
  'creator',
  'reads',
  'writes',
  'event',
];
const VERSION = /^(0|[1-9]\d{0,15}):(0|[1-9]\d{0,15})$/;

/** A version `"<block>:<tx>"`: both parts are non-negative safe integers without leading zeros. */
export function isVersion(value: unknown): value is string {
  if (typeof value !== 'string' || !VERSION.test(value)) return false;
  return value.split(':').every((part) => Number.isSafeInteger(Number(part)));
}

/** A parsed value and its canonical text (computed once, reused for sizes and hashes). */
export interface Read<T> {
  readonly value: T;
  readonly text: string;
}

/** Parses a payload value; `path` prefixes the field paths of errors. Returns a new object. */
export function readPayload(value: unknown, path: string, limits: ProtocolLimits): Read<TxPayload> {
  const o = expectObject(value, path, PAYLOAD_REQUIRED, ['private']);
  const type = expectLiteral(o.type, fieldPath(path, 'type'), [TxType.TX, TxType.CONFIG]);
  const payload: TxPayload = {
    type,
    channel: expectName('CHANNEL', o.channel, fieldPath(path, 'channel')),
    namespace: expectName('NAMESPACE', o.namespace, fieldPath(path, 'namespace')),
    action: expectName('ACTION', o.action, fieldPath(path, 'action')),
    txTime: expectTime(o.txTime, fieldPath(path, 'txTime')),
    nonce: expectHex(o.nonce, fieldPath(path, 'nonce'), NONCE_BYTES_MIN, NONCE_BYTES_MAX),
    creator: readCreator(o.creator, fieldPath(path, 'creator')),
    reads: readReads(o.reads, fieldPath(path, 'reads'), limits),
    writes: readWrites(o.writes, fieldPath(path, 'writes'), limits),
    event: readEvent(o.event, fieldPath(path, 'event'), limits),
    ...(o.private === undefined
      ? {}
      : { private: readPrivate(o.private, fieldPath(path, 'private'), limits) }),
  };
  if (type === TxType.CONFIG) checkConfigShape(payload, path);
  else if (payload.namespace === CONFIG_NAMESPACE) {
    throw new BadValueError(
      fieldPath(path, 'namespace'),
      `"${CONFIG_NAMESPACE}" is reserved for config transactions`,
    );
  }
  const text = canonicalText(payload, path);
  checkSize(text, limits.payloadBytesMax, path, 'payload');
  return { value: Object.freeze(payload), text };
}

function readCreator(value: unknown, path: string): Creator {
  const o = expectObject(value, path, ['mspId', 'cert']);
  return Object.freeze({
    mspId: expectName('MSP_ID', o.mspId, fieldPath(path, 'mspId')),
    cert: expectCertificate(o.cert, fieldPath(path, 'cert')),
  });
}

function readKey(value: unknown, path: string): string {
  return expectString(value, path, KEY_CHARS_MIN, KEY_CHARS_MAX);
}

function assertUnique(seen: Set<string>, key: string, path: string, what: string): void {
  if (seen.has(key))
    throw new BadValueError(path, `key ${JSON.stringify(key.slice(0, 80))} appears twice in ${what}`);
  seen.add(key);
}

function readReads(value: unknown, path: string, limits: ProtocolLimits): readonly ReadEntry[] {
  const seen = new Set<string>();
  const reads = expectArray(value, path, limits.readsMax).map((item, i) => {
    const at = itemPath(path, i);
    const o = expectObject(item, at, ['key'], ['version']);
    // `version: null` is required on the wire, but JSON.parse gives null and a caller may omit
    // it; expectObject treats undefined as absent, so check presence explicitly.
    if (!Object.hasOwn(o, 'version'))
      throw new BadValueError(fieldPath(at, 'version'), 'required field is missing');
    const key = readKey(o.key, fieldPath(at, 'key'));
    assertUnique(seen, key, fieldPath(at, 'key'), 'reads');
    if (o.version !== null && !isVersion(o.version)) {
      throw new BadValueError(fieldPath(at, 'version'), 'expected "<block>:<tx>" or null');
    }
    return Object.freeze({ key, version: o.version as string | null });
  });
  return Object.freeze(reads);
}

function readWrites(value: unknown, path: string, limits: ProtocolLimits): readonly WriteEntry[] {
  const seen = new Set<string>();
  const writes = expectArray(value, path, limits.writesMax).map((item, i): WriteEntry => {
    const at = itemPath(path, i);
    const isDelete = item !== null && typeof item === 'object' && Object.hasOwn(item, 'delete');
    const o = isDelete ? expectObject(item, at, ['key', 'delete']) : expectObject(item, at, ['key', 'value']);
    const key = readKey(o.key, fieldPath(at, 'key'));
    assertUnique(seen, key, fieldPath(at, 'key'), 'writes');
    if (isDelete) {
      expectLiteral(o.delete, fieldPath(at, 'delete'), [true]);
      return Object.freeze({ key, delete: true as const });
    }
    return Object.freeze({
      key,
      value: expectJsonValue(o.value, fieldPath(at, 'value'), limits.valueDepthMax),
    });
  });
  return Object.freeze(writes);
}

function readEvent(value: unknown, path: string, limits: ProtocolLimits): DomainEvent {
  const o = expectObject(value, path, ['type', 'data']);
  return Object.freeze({
    type: expectName('EVENT_TYPE', o.type, fieldPath(path, 'type')),
    data: expectJsonValue(o.data, fieldPath(path, 'data'), limits.valueDepthMax),
  });
}

function readPrivate(value: unknown, path: string, limits: ProtocolLimits): readonly PrivateDataHash[] {
  const entries = expectArray(value, path, limits.privateMax);
  // One spelling per payload: no private data is written by leaving the field out, not as [].
  if (entries.length === 0) throw new BadValueError(path, 'omit "private" rather than sending an empty list');
  const seen = new Set<string>();
  return Object.freeze(
    entries.map((item, i) => {
      const at = itemPath(path, i);
      const o = expectObject(item, at, ['collection', 'key', 'hash']);
      const collection = expectName('COLLECTION', o.collection, fieldPath(at, 'collection'));
      const key = readKey(o.key, fieldPath(at, 'key'));
      assertUnique(seen, JSON.stringify([collection, key]), fieldPath(at, 'key'), 'private (per collection)');
      return Object.freeze({ collection, key, hash: expectHex(o.hash, fieldPath(at, 'hash'), 32) });
    }),
  );
}

/**
 * A config transaction's fixed shape: namespace "config", action "update", one read and one
 * write of key "channel", event `config.updated` with `{sequence}`; the read version is null
 * exactly when the sequence is 0 (the genesis config).
 */
function checkConfigShape(payload: TxPayload, path: string): void {
  const fail = (field: string, detail: string): never => {
    throw new BadValueError(fieldPath(path, field), `config transaction: ${detail}`);
  };
  if (payload.namespace !== CONFIG_NAMESPACE) fail('namespace', `must be "${CONFIG_NAMESPACE}"`);
  if (payload.action !== CONFIG_ACTION) fail('action', `must be "${CONFIG_ACTION}"`);
  if (payload.private !== undefined) fail('private', 'must be absent');
  const [read] = payload.reads;
  if (payload.reads.length !== 1 || read?.key !== CONFIG_KEY)
    fail('reads', `exactly one read of key "${CONFIG_KEY}"`);
  const [write] = payload.writes;
  if (payload.writes.length !== 1 || write?.key !== CONFIG_KEY || !('value' in write)) {
    fail('writes', `exactly one write of a value to key "${CONFIG_KEY}"`);
  }
  const value = (write as { value: unknown }).value;
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    fail('writes[0].value', 'must be an object');
  if (payload.event.type !== CONFIG_EVENT_TYPE) fail('event.type', `must be "${CONFIG_EVENT_TYPE}"`);
  const data = payload.event.data as { sequence?: unknown } | null;
  const dataKeys = data !== null && typeof data === 'object' && !Array.isArray(data) ? Object.keys(data) : [];
  const sequence = data?.sequence;
  if (
    dataKeys.length !== 1 ||
    typeof sequence !== 'number' ||
    !Number.isSafeInteger(sequence) ||
    sequence < 0
  ) {
    fail('event.data', 'must be { sequence: <non-negative integer> }');
  }
  if ((read?.version === null) !== (sequence === 0)) {
    fail('reads[0].version', 'is null exactly for sequence 0 (the genesis config)');
  }
}
