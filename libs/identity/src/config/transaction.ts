import {
  CONFIG_ACTION,
  CONFIG_EVENT_TYPE,
  CONFIG_KEY,
  CONFIG_NAMESPACE,
  createEnvelope,
  createPayload,
  endorsePayload,
  fromHex,
  isHex,
  ParseError,
  parseEnvelope,
  TxType,
  txIdOf,
  ValidationCode,
  verifyEd25519,
  type Block,
  type Envelope,
  type Rfc3339,
  type Signer,
  type TxPayload,
} from '@civic/protocol';
import { resolveIdentity, type Identity } from '../msp/resolve.js';
import { validateConfig, ConfigValidationError } from './validate.js';
import type { ChannelConfig } from './types.js';

/**
 * Config transactions (docs/protocol.md, "Config transactions"): type "config" in namespace
 * "config", one read and one write of key "channel", event `config.updated`. Building them,
 * reading the config back out, and resolving their signers. Whether one is valid and takes
 * effect is outcome.ts.
 */

export class ConfigTransactionError extends Error {
  override readonly name = 'ConfigTransactionError';
}

export interface ConfigPayloadFields {
  readonly config: ChannelConfig;
  readonly creator: { readonly mspId: string; readonly cert: string };
  /** Version of the config in force (`"<block>:<tx>"`), null for the genesis config. */
  readonly readVersion: string | null;
  /** RFC 3339 with milliseconds, Date or epoch ms. */
  readonly txTime: Rfc3339 | Date | number;
  /** Hex, 16 to 64 bytes; random when absent. */
  readonly nonce?: string;
}

/** The payload of a config transaction carrying `config` (validated first). */
export function buildConfigPayload(fields: ConfigPayloadFields): TxPayload {
  const config = validateConfig(fields.config);
  return createPayload({
    type: TxType.CONFIG,
    channel: config.channel,
    namespace: CONFIG_NAMESPACE,
    action: CONFIG_ACTION,
    txTime: fields.txTime,
    ...(fields.nonce === undefined ? {} : { nonce: fields.nonce }),
    creator: { mspId: fields.creator.mspId, cert: fields.creator.cert },
    reads: [{ key: CONFIG_KEY, version: fields.readVersion }],
    writes: [{ key: CONFIG_KEY, value: config }],
    event: { type: CONFIG_EVENT_TYPE, data: { sequence: config.sequence } },
  });
}

export interface ConfigEnvelopeFields extends Omit<ConfigPayloadFields, 'creator'> {
  readonly creator: Signer;
  /** Admins of other organisations that co-sign (to satisfy `policies.admins`). */
  readonly endorsers?: readonly Signer[];
}

/** A signed config envelope: the creator signs, each endorser endorses. */
export function buildConfigEnvelope(fields: ConfigEnvelopeFields): Envelope {
  const payload = buildConfigPayload({
    ...fields,
    creator: { mspId: fields.creator.mspId, cert: fields.creator.cert },
  });
  const endorsements = (fields.endorsers ?? []).map((endorser) => endorsePayload(payload, endorser));
  return createEnvelope(payload, fields.creator.key, endorsements);
}

export function isConfigEnvelope(envelope: Envelope): boolean {
  return envelope.payload.type === TxType.CONFIG;
}

/** The config an envelope carries, checked; throws ConfigTransactionError saying what is wrong. */
export function configFromEnvelope(envelope: unknown): ChannelConfig {
  let parsed: Envelope;
  try {
    parsed = parseEnvelope(envelope);
  } catch (error) {
    if (error instanceof ParseError)
      throw new ConfigTransactionError(`not a well-formed envelope: ${error.message}`, { cause: error });
    throw error;
  }
  const { payload } = parsed;
  if (payload.type !== TxType.CONFIG)
    throw new ConfigTransactionError(`envelope is a "${payload.type}" transaction, not a config transaction`);
  const write = payload.writes[0] as { value: unknown };
  let config: ChannelConfig;
  try {
    config = validateConfig(write.value);
  } catch (error) {
    if (error instanceof ConfigValidationError)
      throw new ConfigTransactionError(error.message, { cause: error });
    throw error;
  }
  if (config.channel !== payload.channel) {
    throw new ConfigTransactionError(
      `config is for channel ${config.channel}, the transaction for ${payload.channel}`,
    );
  }
  const sequence = (payload.event.data as { sequence: number }).sequence;
  if (sequence !== config.sequence)
    throw new ConfigTransactionError(`event says sequence ${sequence}, the config has ${config.sequence}`);
  return config;
}

/** The config of a config block (the genesis block, or a block holding one config transaction). */
export function configFromBlock(block: Block): ChannelConfig {
  if (block.envelopes.length !== 1) {
    throw new ConfigTransactionError(
      `a config block holds exactly one envelope, block ${block.header.number} holds ${block.envelopes.length}`,
    );
  }
  return configFromEnvelope(block.envelopes[0]);
}

export type SignersResult =
  | { readonly ok: true; readonly signers: Identity[] }
  | { readonly ok: false; readonly code: ValidationCode; readonly reason: string };

/** The creator and endorsers, resolved and with their signatures over the txId verified. */
export function signersOf(
  config: ChannelConfig,
  envelope: Envelope,
  atTime: Rfc3339 | number,
  txId?: string,
): SignersResult {
  const id = txId ?? txIdOf(envelope.payload);
  const message = fromHex(id);
  const parties = [
    {
      who: 'creator',
      mspId: envelope.payload.creator.mspId,
      cert: envelope.payload.creator.cert,
      signature: envelope.signature,
    },
    ...envelope.endorsements.map((e, i) => ({
      who: `endorsement ${i}`,
      mspId: e.mspId,
      cert: e.cert,
      signature: e.signature,
    })),
  ];
  const signers: Identity[] = [];
  for (const party of parties) {
    const resolved = resolveIdentity(config, party, atTime);
    if (!resolved.ok) return { ok: false, code: resolved.code, reason: `${party.who}: ${resolved.reason}` };
    if (
      !isHex(party.signature, 64) ||
      !verifyEd25519(message, fromHex(party.signature), resolved.identity.publicKey)
    ) {
      return {
        ok: false,
        code: ValidationCode.BAD_SIGNATURE,
        reason: `${party.who} (${resolved.identity.subject}): signature does not verify`,
      };
    }
    signers.push(resolved.identity);
  }
  return { ok: true, signers };
}
