/**
 * The part of the channel config a block verifier needs: who may sign blocks (the consenters),
 * read from the write `{key: "channel", value: <config>}` of a config transaction. Pure and
 * browser-safe: it does not validate the whole config (that is libs/identity's, which peers
 * and orderers run); it checks the members it uses.
 */
import {
  CONFIG_KEY,
  isName,
  TxType,
  type Block,
  type Consenter,
  type Envelope,
  type Hex,
} from '@civic/protocol';

/** Consenters of a channel are few (Raft members); more is not a config a verifier accepts. */
export const CONSENTERS_MAX = 64;
/** Base64 of a certificate of at most 16 KiB DER. */
const CERT_CHARS_MAX = 21_848;

/** The config in force for the blocks after `number` (the block that holds it). */
export interface ConfigInForce {
  /** Number of the block holding the config transaction (0 for the genesis config). */
  readonly number: number;
  /** txId of that config transaction. */
  readonly txId: Hex;
  /** The config's `sequence` (0 at genesis, +1 per update). */
  readonly sequence: number;
  readonly consenters: readonly Consenter[];
  /** The whole channel config as written in the block (JSON), for callers that want more. */
  readonly config: Readonly<Record<string, unknown>>;
}

/** Why a config transaction cannot be read as a config; `reason` says what is wrong. */
export class ConfigReadError extends Error {
  override readonly name = 'ConfigReadError';
  constructor(
    readonly blockNumber: number,
    readonly reason: string,
  ) {
    super(`block ${blockNumber}: ${reason}`);
  }
}

/** True for a block that carries a config transaction (alone, as the contract requires). */
export function isConfigBlock(block: Block): boolean {
  return block.envelopes.length === 1 && block.envelopes[0]?.payload.type === TxType.CONFIG;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function readConsenters(value: unknown, blockNumber: number): Consenter[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > CONSENTERS_MAX) {
    throw new ConfigReadError(blockNumber, `config.consenters must list 1 to ${CONSENTERS_MAX} consenters`);
  }
  const seen = new Set<string>();
  return value.map((entry: unknown, i) => {
    if (!isObject(entry)) throw new ConfigReadError(blockNumber, `config.consenters[${i}] is not an object`);
    const { nodeId, mspId, cert } = entry;
    if (!isName('NODE_ID', nodeId))
      throw new ConfigReadError(blockNumber, `config.consenters[${i}].nodeId is not a node id`);
    if (!isName('MSP_ID', mspId))
      throw new ConfigReadError(blockNumber, `config.consenters[${i}].mspId is not an mspId`);
    if (typeof cert !== 'string' || cert.length === 0 || cert.length > CERT_CHARS_MAX) {
      throw new ConfigReadError(blockNumber, `config.consenters[${i}].cert is not a certificate`);
    }
    if (seen.has(nodeId)) throw new ConfigReadError(blockNumber, `config.consenters lists ${nodeId} twice`);
    seen.add(nodeId);
    return Object.freeze({ nodeId, mspId, cert });
  });
}

/**
 * The config carried by a config envelope in block `blockNumber` (its single write of key
 * `channel`). Throws ConfigReadError when the write is not a config with channel, sequence and
 * consenters. `txId` is the envelope's (verifyBlock returns it).
 */
export function readConfigEnvelope(
  envelope: Envelope,
  blockNumber: number,
  channel: string,
  txId: Hex,
): ConfigInForce {
  const { payload } = envelope;
  if (payload.type !== TxType.CONFIG) throw new ConfigReadError(blockNumber, 'not a config transaction');
  const write = payload.writes[0];
  if (payload.writes.length !== 1 || write?.key !== CONFIG_KEY || !('value' in write)) {
    throw new ConfigReadError(blockNumber, `a config transaction writes exactly the key ${CONFIG_KEY}`);
  }
  const config = write.value;
  if (!isObject(config)) throw new ConfigReadError(blockNumber, 'the config is not a JSON object');
  if (config.channel !== channel) {
    throw new ConfigReadError(
      blockNumber,
      `the config is for channel ${String(config.channel)}, not ${channel}`,
    );
  }
  const { sequence } = config;
  if (!Number.isSafeInteger(sequence) || (sequence as number) < 0) {
    throw new ConfigReadError(blockNumber, 'config.sequence is not a non-negative integer');
  }
  return Object.freeze({
    number: blockNumber,
    txId,
    sequence: sequence as number,
    consenters: Object.freeze(readConsenters(config.consenters, blockNumber)),
    config: config as Readonly<Record<string, unknown>>,
  });
}
