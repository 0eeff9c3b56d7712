import {
  buildBlock,
  signBlock,
  ZERO_HASH_HEX,
  type Block,
  type BlockSigner,
  type Rfc3339,
  type Signer,
} from '@civic/protocol';
import { resolveIdentity } from '../msp/resolve.js';
import { Role } from '../roles.js';
import { buildConfigEnvelope } from './transaction.js';
import type { ChannelConfig } from './types.js';

export interface GenesisFields {
  /** The first config: sequence 0. */
  readonly config: ChannelConfig;
  /** An admin who creates the config transaction (any organisation's admin of the config). */
  readonly admin: Signer;
  /** A consenter of the config that signs block 0. */
  readonly consenter: BlockSigner;
  /** Block time and transaction time (RFC 3339 with milliseconds, Date or epoch ms). */
  readonly time: Rfc3339 | Date | number;
  /** Nonce of the config transaction (hex); random when absent, fixed for test vectors. */
  readonly nonce?: string;
}

export class GenesisError extends Error {
  override readonly name = 'GenesisError';
}

/**
 * Block 0: one config transaction (read of "channel" at version null, write of the config,
 * event config.updated with sequence 0) signed by an admin, in a block signed by a consenter
 * of that same config. Raft position {0, 0}, configNumber 0.
 */
export function buildGenesisBlock(fields: GenesisFields): Block {
  const { config, admin, consenter } = fields;
  if (config.sequence !== 0)
    throw new GenesisError(`the genesis config has sequence 0, found ${config.sequence}`);
  const member = config.consenters.find((c) => c.nodeId === consenter.nodeId);
  if (member === undefined || member.cert !== consenter.cert || member.mspId !== consenter.mspId) {
    throw new GenesisError(
      `${consenter.nodeId} is not a consenter of the genesis config (same nodeId, mspId and cert)`,
    );
  }
  const creator = resolveIdentity(
    config,
    admin,
    typeof fields.time === 'object' ? fields.time.getTime() : fields.time,
  );
  if (!creator.ok)
    throw new GenesisError(`the genesis creator is refused by its own config: ${creator.reason}`);
  if (creator.identity.role !== Role.ADMIN)
    throw new GenesisError(`the genesis creator must be an admin, ${creator.identity.subject} is not`);
  const envelope = buildConfigEnvelope({
    config,
    creator: admin,
    readVersion: null,
    txTime: fields.time,
    ...(fields.nonce === undefined ? {} : { nonce: fields.nonce }),
  });
  const block = buildBlock({
    channel: config.channel,
    number: 0,
    previousHash: ZERO_HASH_HEX,
    envelopes: [envelope],
    time: fields.time,
    raft: { term: 0, index: 0 },
    configNumber: 0,
  });
  return signBlock(block, consenter);
}
