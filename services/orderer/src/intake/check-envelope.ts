import {
  checkWriters,
  ConfigCheckStep,
  configTransactionOutcome,
  IdentityErrorCode,
  resolveIdentity,
  type ChannelConfig,
} from '@civic/identity';
import {
  CONFIG_NAMESPACE,
  configVersion,
  fromHex,
  NotCanonicalError,
  ParseError,
  parseEnvelope,
  parseRfc3339Ms,
  serializeEnvelope,
  sha256,
  SubmitCode,
  TooLargeError,
  TxType,
  txIdOf,
  verifyEd25519,
  type Envelope,
  type Hex,
} from '@civic/protocol';
import { type Rejection } from '../codes.js';

/**
 * The intake checks: a pure function of (config in force, envelope bytes, now). Everything a
 * single envelope can be refused for, in this order: size, JSON and the contract's schema,
 * channel, txTime window, then for a transaction the creator's identity at `now` (organisation
 * of the config, chain, validity, revocation), its signature and the namespace's writers
 * policy; for a config transaction identity's config-update checks, the admins policy and the
 * read version of the config. Endorsements are the peers' to check (as in Fabric: the orderer
 * vouches for the creator only). Duplicates and the leader's state are checked by the caller.
 */
export interface IntakeContext {
  readonly channel: string;
  readonly config: ChannelConfig;
  /** Number of the config block in force: its key version is `"<configNumber>:0"`. */
  readonly configNumber: number;
  /** The orderer's clock, epoch ms. */
  readonly nowMs: number;
  /** Most distance between a payload's txTime and `nowMs` (the duplicate window). */
  readonly txWindowMs: number;
}

export interface CheckedEnvelope {
  readonly envelope: Envelope;
  readonly txId: Hex;
  /** The envelope's canonical JSON: what goes into the block. */
  readonly bytes: Uint8Array;
  /** SHA-256 of `bytes`: H(envelope), the data of its Merkle leaf. */
  readonly envelopeHash: Uint8Array;
  readonly txTimeMs: number;
  /** For a config transaction: the config it puts in force. */
  readonly nextConfig: ChannelConfig | null;
}

export type Refusal = { readonly ok: false; readonly rejection: Rejection };

export type IntakeVerdict = { readonly ok: true; readonly checked: CheckedEnvelope } | Refusal;

function refuse(code: SubmitCode, reason: string, txId?: Hex): Refusal {
  return { ok: false, rejection: txId === undefined ? { code, reason } : { code, reason, txId } };
}

export function checkSubmission(input: Uint8Array, ctx: IntakeContext): IntakeVerdict {
  const maxBytes = ctx.config.batch.absoluteMaxBytes;
  if (input.length > maxBytes) {
    return refuse(
      SubmitCode.TOO_LARGE,
      `envelope of ${input.length} bytes; batch.absoluteMaxBytes is ${maxBytes}`,
    );
  }
  const parsed = parseBytes(input);
  if (!parsed.ok) return parsed;
  const { envelope, bytes } = parsed;
  if (bytes.length > maxBytes) {
    return refuse(
      SubmitCode.TOO_LARGE,
      `canonical envelope of ${bytes.length} bytes; batch.absoluteMaxBytes is ${maxBytes}`,
    );
  }
  const txId = txIdOf(envelope.payload);
  const { payload } = envelope;
  if (payload.channel !== ctx.channel) {
    return refuse(
      SubmitCode.WRONG_CHANNEL,
      `payload is for channel ${payload.channel}, submitted on ${ctx.channel}`,
      txId,
    );
  }
  const txTimeMs = parseRfc3339Ms(payload.txTime);
  if (Math.abs(txTimeMs - ctx.nowMs) > ctx.txWindowMs) {
    return refuse(
      SubmitCode.TX_TIME_OUT_OF_WINDOW,
      `txTime ${payload.txTime} is more than ${ctx.txWindowMs} ms from the orderer's clock ${new Date(ctx.nowMs).toISOString()}`,
      txId,
    );
  }
  const checks =
    payload.type === TxType.CONFIG ? checkConfig(envelope, txId, ctx) : checkTransaction(envelope, txId, ctx);
  if (!checks.ok) return checks;
  return {
    ok: true,
    checked: { envelope, txId, bytes, envelopeHash: sha256(bytes), txTimeMs, nextConfig: checks.nextConfig },
  };
}

type Parsed = { readonly ok: true; readonly envelope: Envelope; readonly bytes: Uint8Array } | Refusal;

/** Canonical bytes are taken as they are; any other JSON spelling is accepted and canonicalised. */
function parseBytes(input: Uint8Array): Parsed {
  try {
    return { ok: true, envelope: parseEnvelope(input), bytes: input };
  } catch (error) {
    if (!(error instanceof NotCanonicalError)) return parseFailure(error);
  }
  try {
    const envelope = parseEnvelope(input, { requireCanonical: false });
    return { ok: true, envelope, bytes: serializeEnvelope(envelope) };
  } catch (error) {
    return parseFailure(error);
  }
}

function parseFailure(error: unknown): Refusal {
  if (error instanceof TooLargeError) return refuse(SubmitCode.TOO_LARGE, error.message);
  if (error instanceof ParseError) return refuse(SubmitCode.MALFORMED, error.message);
  throw error;
}

type Checks = { readonly ok: true; readonly nextConfig: ChannelConfig | null } | Refusal;

function checkTransaction(envelope: Envelope, txId: Hex, ctx: IntakeContext): Checks {
  const { payload } = envelope;
  if (payload.namespace === CONFIG_NAMESPACE) {
    return refuse(
      SubmitCode.WRITER_NOT_ALLOWED,
      'namespace config is written by config transactions only',
      txId,
    );
  }
  const resolved = resolveIdentity(ctx.config, payload.creator, ctx.nowMs);
  if (!resolved.ok) {
    const code = resolved.code === IdentityErrorCode.MALFORMED ? SubmitCode.MALFORMED : resolved.code;
    return refuse(code, `creator: ${resolved.reason}`, txId);
  }
  const creator = resolved.identity;
  if (!verifyEd25519(fromHex(txId), fromHex(envelope.signature), creator.publicKey)) {
    return refuse(SubmitCode.BAD_SIGNATURE, `creator (${creator.subject}): signature does not verify`, txId);
  }
  const writers = checkWriters(ctx.config, payload, creator);
  if (!writers.ok) return refuse(SubmitCode.WRITER_NOT_ALLOWED, writers.reason, txId);
  return { ok: true, nextConfig: null };
}

/**
 * identity's rule for config transactions, the one peers apply, at the orderer's clock and
 * against the config in force: refused updates get their code, except that an update the
 * `admins` policy does not allow is CONFIG_NOT_ALLOWED and a stale read of the config key is
 * INVALID_CONFIG (a config that may not follow the one in force).
 */
function checkConfig(envelope: Envelope, txId: Hex, ctx: IntakeContext): Checks {
  const outcome = configTransactionOutcome(ctx.config, configVersion(ctx.configNumber), envelope, ctx.nowMs);
  if (outcome.valid) return { ok: true, nextConfig: outcome.config };
  switch (outcome.step) {
    case ConfigCheckStep.ADMINS:
      return refuse(SubmitCode.CONFIG_NOT_ALLOWED, outcome.reason, txId);
    case ConfigCheckStep.READ_VERSION:
      return refuse(SubmitCode.INVALID_CONFIG, outcome.reason, txId);
    default:
      return refuse(outcome.code as SubmitCode, outcome.reason, txId);
  }
}
