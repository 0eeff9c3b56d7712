import { validateConfig } from '@civic/identity';
import { canonicalBytes, isHex, isRfc3339Ms, utf8Text } from '@civic/protocol';
import type { ChainState } from './chain-state.js';

/**
 * The data of an orderer's Raft snapshot: the chain state at the snapshot's index (last block
 * number, its hash and time, the config in force and the block that carried it). The blocks
 * themselves are not in it: a follower restored from a snapshot fetches the blocks it lacks
 * from the other orderers over `.deliver` and checks they end at this hash.
 * Canonical JSON `{v: 1, channel, number, hash, time, raft?, configNumber, config}` (`raft`: the
 * Raft position of the last block, which the next one must follow).
 */
export function encodeSnapshotData(state: ChainState): Uint8Array {
  return canonicalBytes({
    v: 1,
    channel: state.channel,
    number: state.tip.number,
    hash: state.tip.hash,
    time: state.tip.time,
    configNumber: state.configNumber,
    config: state.config,
    ...(state.tip.raft === undefined ? {} : { raft: state.tip.raft }),
  });
}

export class SnapshotDataError extends Error {
  override readonly name = 'SnapshotDataError';
}

export function decodeSnapshotData(data: Uint8Array): ChainState {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(utf8Text(data)) as Record<string, unknown>;
  } catch (cause) {
    throw new SnapshotDataError('snapshot data is not JSON', { cause });
  }
  const { v, channel, number, hash, time, configNumber } = value;
  if (
    v !== 1 ||
    typeof channel !== 'string' ||
    !Number.isSafeInteger(number) ||
    (number as number) < 0 ||
    !isHex(hash, 32) ||
    !isRfc3339Ms(time) ||
    !Number.isSafeInteger(configNumber) ||
    (configNumber as number) > (number as number)
  ) {
    throw new SnapshotDataError('snapshot data lacks a well-formed chain tip');
  }
  const config = validateConfig(value.config);
  const raft = value.raft as { term?: unknown; index?: unknown } | undefined;
  if (raft !== undefined && (!Number.isSafeInteger(raft.term) || !Number.isSafeInteger(raft.index))) {
    throw new SnapshotDataError('snapshot data has a malformed Raft position');
  }
  const position =
    raft === undefined ? {} : { raft: { term: raft.term as number, index: raft.index as number } };
  return {
    channel,
    height: (number as number) + 1,
    tip: { channel, number: number as number, hash, time, ...position },
    config,
    configNumber: configNumber as number,
  };
}
