/**
 * The saved state of a BlockVerifier: plain JSON an integrator stores next to its own data
 * (after each block it processed) to resume later without re-verifying from genesis.
 */
import { isHex, isName, isRfc3339Ms, type ChainTip } from '@civic/protocol';
import { CONSENTERS_MAX, type ConfigInForce } from './config-in-force.js';
import { TrustAnchorError } from './errors.js';

export interface VerifierState {
  readonly version: 1;
  /** The last verified block. */
  readonly tip: ChainTip;
  /** The config in force for the next block. */
  readonly config: ConfigInForce;
  /** A config update of the tip block, in force from the next block if that block names it. */
  readonly pending: ConfigInForce | null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function fail(path: string, reason: string): never {
  throw new TrustAnchorError(`verifier state: ${path} ${reason}`);
}

function readTip(value: unknown): ChainTip {
  if (!isObject(value)) fail('tip', 'is not an object');
  const { channel, number, hash, time, raft } = value;
  if (!isName('CHANNEL', channel)) fail('tip.channel', 'is not a channel name');
  if (!Number.isSafeInteger(number) || (number as number) < 0) fail('tip.number', 'is not a block number');
  if (!isHex(hash, 32)) fail('tip.hash', 'is not 64 lowercase hex digits');
  if (!isRfc3339Ms(time)) fail('tip.time', 'is not an RFC 3339 time with milliseconds');
  const tip = { channel, number: number as number, hash, time };
  if (raft === undefined) return Object.freeze(tip);
  // The Raft position of the tip, when the protocol's ChainTip carries it (the next block's must be later).
  if (!isObject(raft) || !Number.isSafeInteger(raft.term) || !Number.isSafeInteger(raft.index)) {
    fail('tip.raft', 'is not {term, index}');
  }
  return Object.freeze({
    ...tip,
    raft: Object.freeze({ term: raft.term as number, index: raft.index as number }),
  });
}

function readConfig(value: unknown, path: string, tipNumber: number): ConfigInForce {
  if (!isObject(value)) fail(path, 'is not an object');
  const { number, txId, sequence, consenters, config } = value;
  if (!Number.isSafeInteger(number) || (number as number) < 0 || (number as number) > tipNumber) {
    fail(`${path}.number`, `is not a block number at most ${tipNumber}`);
  }
  if (!isHex(txId, 32)) fail(`${path}.txId`, 'is not 64 lowercase hex digits');
  if (!Number.isSafeInteger(sequence) || (sequence as number) < 0)
    fail(`${path}.sequence`, 'is not a sequence');
  if (!Array.isArray(consenters) || consenters.length === 0 || consenters.length > CONSENTERS_MAX) {
    fail(`${path}.consenters`, `must list 1 to ${CONSENTERS_MAX} consenters`);
  }
  const list = consenters.map((c: unknown, i) => {
    if (
      !isObject(c) ||
      !isName('NODE_ID', c.nodeId) ||
      !isName('MSP_ID', c.mspId) ||
      typeof c.cert !== 'string'
    ) {
      fail(`${path}.consenters[${i}]`, 'is not {nodeId, mspId, cert}');
    }
    return Object.freeze({ nodeId: c.nodeId, mspId: c.mspId, cert: c.cert });
  });
  if (!isObject(config)) fail(`${path}.config`, 'is not an object');
  return Object.freeze({
    number: number as number,
    txId,
    sequence: sequence as number,
    consenters: Object.freeze(list),
    config,
  });
}

/** Checks a saved state's shape; TrustAnchorError names the bad member. */
export function readVerifierState(value: unknown): VerifierState {
  if (!isObject(value)) fail('', 'is not an object');
  if (value.version !== 1) fail('version', 'must be 1');
  const tip = readTip(value.tip);
  const config = readConfig(value.config, 'config', tip.number);
  let pending: ConfigInForce | null = null;
  if (value.pending !== null && value.pending !== undefined) {
    pending = readConfig(value.pending, 'pending', tip.number);
    if (pending.number !== tip.number) fail('pending.number', 'must be the tip block');
  }
  return Object.freeze({ version: 1, tip, config, pending });
}
