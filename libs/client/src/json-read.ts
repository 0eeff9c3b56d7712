/**
 * Small strict readers for the client's own JSON documents (proofs, checkpoints, peer answers):
 * each returns the value or calls `fail(path, reason)`, which throws the caller's error class.
 */
import { isHex, isName, isRfc3339Ms, type BlockHeader, type Hex } from '@civic/protocol';

export type Fail = (path: string, reason: string) => never;

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function readObject(value: unknown, path: string, fail: Fail, allowed: readonly string[]): JsonObject {
  if (!isObject(value)) fail(path, 'must be a JSON object');
  const extra = Object.keys(value).find((key) => !allowed.includes(key));
  if (extra !== undefined) fail(path ? `${path}.${extra}` : extra, 'is not a member of this format');
  return value;
}

export function readHexField(value: unknown, path: string, fail: Fail, bytes = 32): Hex {
  if (!isHex(value, bytes)) fail(path, `must be ${bytes * 2} lowercase hex digits`);
  return value;
}

export function readCount(value: unknown, path: string, fail: Fail, min = 0): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    fail(path, `must be an integer >= ${min}`);
  }
  return value;
}

export function readChannel(value: unknown, path: string, fail: Fail): string {
  if (!isName('CHANNEL', value)) fail(path, 'is not a channel name');
  return value;
}

export function readTime(value: unknown, path: string, fail: Fail): string {
  if (!isRfc3339Ms(value)) fail(path, 'is not an RFC 3339 UTC time with milliseconds');
  return value;
}

const HEADER_KEYS = ['channel', 'number', 'previousHash', 'dataHash', 'txCount', 'time'];

/** A block header, exactly the contract's six members. */
export function readHeaderField(value: unknown, path: string, fail: Fail): BlockHeader {
  const h = readObject(value, path, fail, HEADER_KEYS);
  for (const key of HEADER_KEYS) if (!(key in h)) fail(`${path}.${key}`, 'is missing');
  return Object.freeze({
    channel: readChannel(h.channel, `${path}.channel`, fail),
    number: readCount(h.number, `${path}.number`, fail),
    previousHash: readHexField(h.previousHash, `${path}.previousHash`, fail),
    dataHash: readHexField(h.dataHash, `${path}.dataHash`, fail),
    txCount: readCount(h.txCount, `${path}.txCount`, fail),
    time: readTime(h.time, `${path}.time`, fail),
  });
}
