import {
  canonicalBlockText,
  canonicalize,
  parseBlock,
  parseEnvelope,
  ParseError,
  type Block,
  type Envelope,
  type TxPayload,
  sha256,
  toHex,
  txIdOf,
  utf8Bytes,
  utf8Text,
} from '@civic/protocol';
import { BlockRejectedError } from '../errors.js';

/**
 * A block as the validator takes it: the header and metadata parsed strictly, each envelope
 * parsed on its own. An envelope that fails the strict parser does not sink the block: it stays
 * in it with code MALFORMED (docs/peer.md). What cannot be tolerated is an envelope without a
 * JSON object `payload`: its txId (H(payload)) is undefined, so neither the commit hash nor a
 * receipt could name it, and such a block is refused as a whole.
 */
export interface BlockInput {
  /** Header and metadata parsed; envelopes as they came (parsed where they parse). */
  readonly block: Block;
  readonly envelopes: readonly EnvelopeInput[];
  /** Canonical JSON of the header and of the metadata, as stored. */
  readonly headerJson: string;
  readonly metadataJson: string;
  /** Canonical JSON of each envelope, as stored. */
  readonly envelopeJson: readonly string[];
  /** txId of each envelope: hex(H(payload)), defined for MALFORMED ones too. */
  readonly txIds: readonly string[];
}

export type EnvelopeInput =
  | { readonly ok: true; readonly envelope: Envelope }
  | { readonly ok: false; readonly raw: unknown; readonly reason: string };

/** Reads a block from its JSON value (already parsed) or its canonical JSON text/bytes. */
export function readBlockInput(input: unknown): BlockInput {
  const text =
    typeof input === 'string' ? input : input instanceof Uint8Array ? decodeUtf8(input) : undefined;
  const value = text === undefined ? input : parseJson(text);
  const number = blockNumberOf(value);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new BlockRejectedError(number, 'not a JSON object');
  }
  const { envelopes: rawEnvelopes, ...rest } = value as Record<string, unknown>;
  if (!Array.isArray(rawEnvelopes)) throw new BlockRejectedError(number, 'envelopes: expected an array');
  let shell: Block;
  try {
    // The strict block parser with no envelopes checks the header and metadata (and refuses
    // any member other than header, envelopes and metadata).
    shell = parseBlock({ ...rest, envelopes: [] });
  } catch (error) {
    if (error instanceof ParseError) throw new BlockRejectedError(number, error.message, { cause: error });
    throw error;
  }
  const envelopeJson: string[] = [];
  const txIds: string[] = [];
  const envelopes = rawEnvelopes.map((raw, i): EnvelopeInput => {
    envelopeJson.push(canonicalOrReject(raw, number, `envelopes[${i}]`));
    const payload = (raw as { payload?: unknown } | null)?.payload;
    if (
      raw === null ||
      typeof raw !== 'object' ||
      payload === null ||
      typeof payload !== 'object' ||
      Array.isArray(payload)
    ) {
      throw new BlockRejectedError(number, `envelopes[${i}] has no payload object, so it has no txId`);
    }
    try {
      const envelope = parseEnvelope(raw);
      txIds.push(txIdFromText(envelopeJson[i] as string) ?? txIdOf(envelope.payload));
      return { ok: true, envelope };
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      txIds.push(txIdOf(payload as TxPayload));
      return { ok: false, raw, reason: `envelopes[${i}].${error.message}` };
    }
  });
  const headerJson = canonicalize(shell.header);
  const metadataJson = canonicalize(shell.metadata);
  // The wire form of a block is its canonical JSON: anything else (duplicate keys, whitespace,
  // other escapes) would let two parties read different blocks from the same bytes. Members
  // sort as envelopes < header < metadata, so the canonical text is assembled from the parts.
  if (text !== undefined && text !== canonicalBlockText(envelopeJson, headerJson, metadataJson)) {
    throw new BlockRejectedError(number, 'not in canonical (RFC 8785) form');
  }
  const block: Block = {
    header: shell.header,
    metadata: shell.metadata,
    envelopes: envelopes.map((e) => (e.ok ? e.envelope : (e.raw as Envelope))),
  };
  return { block, envelopes, headerJson, metadataJson, envelopeJson, txIds };
}

/** The canonical JSON text of a block read by readBlockInput (its wire and storage form). */
export function blockInputJson(input: BlockInput): string {
  return canonicalBlockText(input.envelopeJson, input.headerJson, input.metadataJson);
}

/** `,"signature":"<128 hex>"}`: how the canonical text of a well-formed envelope ends. */
const SIGNATURE_TAIL_CHARS = ',"signature":"'.length + 128 + '"}'.length;
const PAYLOAD_MEMBER = ',"payload":';

/**
 * The txId of a well-formed envelope from its canonical text, without canonicalising the
 * payload again: members sort as endorsements < payload < signature, and nothing in the
 * endorsements (names, base64, hex) can spell `,"payload":`, so the payload's canonical text
 * is what lies between that member and the signature. Undefined when the text is not shaped
 * so (the caller then hashes the payload itself).
 */
function txIdFromText(text: string): string | undefined {
  const start = text.indexOf(PAYLOAD_MEMBER);
  const end = text.length - SIGNATURE_TAIL_CHARS;
  if (start < 0 || end <= start || !text.startsWith(',"signature":"', end)) return undefined;
  const payloadText = text.slice(start + PAYLOAD_MEMBER.length, end);
  if (!payloadText.startsWith('{') || !payloadText.endsWith('}')) return undefined;
  return toHex(sha256(utf8Bytes(payloadText)));
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8Text(bytes);
  } catch (error) {
    throw new BlockRejectedError(-1, 'not UTF-8', { cause: error });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BlockRejectedError(-1, `not JSON: ${(error as Error).message}`, { cause: error });
  }
}

function canonicalOrReject(value: unknown, number: number, path: string): string {
  try {
    return canonicalize(value);
  } catch (error) {
    throw new BlockRejectedError(
      number,
      `${path || 'block'} cannot be canonicalised: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

/** The header's number when it is one, for error messages (-1 when unknown). */
export function blockNumberOf(value: unknown): number {
  const number = (value as { header?: { number?: unknown } } | null)?.header?.number;
  return typeof number === 'number' && Number.isSafeInteger(number) ? number : -1;
}
