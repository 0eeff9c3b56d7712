/**
 * Transaction ids, envelope hashes, and creating and signing envelopes (docs/protocol.md,
 * "Envelope"): `txId = hex(H(payload))`; the creator and each endorser sign the 32 raw bytes
 * of the txId with Ed25519.
 */
import { canonicalize } from './canonical-json.js';
import { bytesEqual } from './bytes.js';
import { signEd25519, type Ed25519KeyPair } from './ed25519.js';
import { sha256 } from './hash.js';
import { fromHex, isHex, toHex } from './hex.js';
import { envelopeText } from './parse/envelope.js';
import { parseEnvelope, parsePayload, type ParseOptions } from './parse/index.js';
import { formatRfc3339Ms } from './time.js';
import type { Endorsement, Envelope, Hex, TxPayload } from './types.js';
import { TxType } from './types.js';
import { certificatePublicKey } from './x509.js';

const utf8 = new TextEncoder();

/** An identity that signs: its organisation, its certificate and the key the certificate names. */
export interface Signer {
  readonly mspId: string;
  readonly cert: string;
  readonly key: Ed25519KeyPair;
}

function assertPayloadObject(payload: unknown, what: string): asserts payload is TxPayload {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new TypeError(`${what}: payload object expected`);
  }
}

/** `hex(H(payload))`. */
export function txIdOf(payload: TxPayload): Hex {
  assertPayloadObject(payload, 'txIdOf');
  return toHex(sha256(utf8.encode(canonicalize(payload))));
}

/** The txId and H(envelope) of an envelope, canonicalising its payload only once. */
export interface EnvelopeDigests {
  readonly txId: Hex;
  /** H(envelope), 32 raw bytes: the data of the envelope's Merkle leaf. */
  readonly envelopeHash: Uint8Array;
}

const ENVELOPE_KEYS = ['endorsements', 'payload', 'signature'];

export function envelopeDigests(envelope: Envelope): EnvelopeDigests {
  if (envelope === null || typeof envelope !== 'object')
    throw new TypeError('envelopeDigests: envelope expected');
  assertPayloadObject(envelope.payload, 'envelopeDigests');
  const payloadText = canonicalize(envelope.payload);
  const keys = Object.keys(envelope).filter(
    (key) => (envelope as unknown as Record<string, unknown>)[key] !== undefined,
  );
  // The envelope's text from its payload's text, unless it has other members than the contract's.
  const text =
    keys.length === ENVELOPE_KEYS.length && ENVELOPE_KEYS.every((key) => keys.includes(key))
      ? envelopeText(envelope, payloadText)
      : canonicalize(envelope);
  return { txId: toHex(sha256(utf8.encode(payloadText))), envelopeHash: sha256(utf8.encode(text)) };
}

/** H(envelope) as 32 raw bytes. */
export function envelopeHash(envelope: Envelope): Uint8Array {
  return envelopeDigests(envelope).envelopeHash;
}

/** Ed25519 signature (hex) over the 32 raw bytes of a txId. */
export function signTxId(txId: Hex, key: Ed25519KeyPair): Hex {
  if (!isHex(txId, 32)) throw new TypeError('signTxId: txId must be 64 lowercase hex digits');
  return toHex(signEd25519(fromHex(txId), key));
}

function assertSigner(signer: Signer, what: string): void {
  if (
    signer === null ||
    typeof signer !== 'object' ||
    !signer.key ||
    !(signer.key.publicKey instanceof Uint8Array)
  ) {
    throw new TypeError(`${what}: signer {mspId, cert, key} expected`);
  }
  // Signing with a key that is not the certificate's would make a transaction no one can verify.
  if (!bytesEqual(certificatePublicKey(signer.cert), signer.key.publicKey)) {
    throw new RangeError(`${what}: the key is not the one in the certificate`);
  }
}

export interface PayloadFields {
  readonly type?: TxType;
  readonly channel: string;
  readonly namespace: string;
  readonly action: string;
  /** RFC 3339 with milliseconds, a Date or epoch milliseconds (the caller's clock). */
  readonly txTime: string | Date | number;
  /** Hex, 16..64 bytes; 32 random bytes when absent. */
  readonly nonce?: Hex;
  readonly creator: TxPayload['creator'];
  readonly reads: TxPayload['reads'];
  readonly writes: TxPayload['writes'];
  readonly event: TxPayload['event'];
  readonly private?: TxPayload['private'];
}

/** A checked payload from its fields: fills `type` ("tx") and a random nonce. Throws ParseError. */
export function createPayload(fields: PayloadFields, options: ParseOptions = {}): TxPayload {
  if (fields === null || typeof fields !== 'object') throw new TypeError('createPayload: fields expected');
  const nonce = fields.nonce ?? toHex(globalThis.crypto.getRandomValues(new Uint8Array(32)));
  const txTime = typeof fields.txTime === 'string' ? fields.txTime : formatRfc3339Ms(fields.txTime);
  return parsePayload({ ...fields, type: fields.type ?? TxType.TX, nonce, txTime }, options);
}

/** An endorsement of `payload` by `endorser`. */
export function endorsePayload(payload: TxPayload, endorser: Signer): Endorsement {
  assertPayloadObject(payload, 'endorsePayload');
  assertSigner(endorser, 'endorsePayload');
  return Object.freeze({
    mspId: endorser.mspId,
    cert: endorser.cert,
    signature: signTxId(txIdOf(payload), endorser.key),
  });
}

/**
 * A signed envelope. `creatorKey` must be the key of `payload.creator.cert`. The result is
 * checked by the strict parser (a ParseError names anything wrong).
 */
export function createEnvelope(
  payload: TxPayload,
  creatorKey: Ed25519KeyPair,
  endorsements: readonly Endorsement[] = [],
  options: ParseOptions = {},
): Envelope {
  assertPayloadObject(payload, 'createEnvelope');
  assertSigner(
    { mspId: payload.creator?.mspId, cert: payload.creator?.cert, key: creatorKey },
    'createEnvelope',
  );
  const signature = signTxId(txIdOf(payload), creatorKey);
  return parseEnvelope({ payload, signature, endorsements: [...endorsements] }, options);
}

/** The envelope with more endorsements appended (the creator's signature stays valid). */
export function addEndorsements(
  envelope: Envelope,
  endorsements: readonly Endorsement[],
  options: ParseOptions = {},
): Envelope {
  if (envelope === null || typeof envelope !== 'object' || !Array.isArray(endorsements)) {
    throw new TypeError('addEndorsements: envelope and endorsement list expected');
  }
  return parseEnvelope({ ...envelope, endorsements: [...envelope.endorsements, ...endorsements] }, options);
}
