/**
 * Property tests: parse(serialize(x)) = x for generated payloads, envelopes and blocks, and
 * every single-bit flip of a valid serialized block is caught by the parser or the verifier
 * with the error that fits where the bit is.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BlockChannelError,
  BlockNumberError,
  BlockSignatureError,
  BlockTimeError,
  BlockVerificationError,
  ConfigNumberError,
  DataHashError,
  NamePattern,
  ParseError,
  PreviousHashError,
  RaftPositionError,
  TxCountError,
  canonicalize,
  chainTipOf,
  parseBlock,
  parseEnvelope,
  parsePayload,
  serializeBlock,
  serializeEnvelope,
  serializePayload,
  toHex,
  txIdOf,
  verifyBlock,
  verifyEnvelopes,
  type Block,
  type Envelope,
  type TxPayload,
} from '../src/index.js';
import { admin, consenters, creator, endorser, orderer1, sampleChain } from './helpers/fixtures.js';

// ---- arbitraries --------------------------------------------------------------------------

const name = (pattern: RegExp) => fc.stringMatching(pattern);
const hexOf = (min: number, max = min) => fc.uint8Array({ minLength: min, maxLength: max }).map(toHex);
const time = fc
  .date({
    min: new Date('0000-01-01T00:00:00.000Z'),
    max: new Date('9999-12-31T23:59:59.999Z'),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString());
const key = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 24 });
const version = fc.option(
  fc.tuple(fc.nat(), fc.nat()).map(([b, t]) => `${b}:${t}`),
  { nil: null },
);
// Through JSON text: RFC 8785 writes -0 as 0, so -0 cannot round-trip and is left out.
const json = fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
const cert = fc.constantFrom(creator.cert, endorser.cert, admin.cert);

const payloadArb: fc.Arbitrary<TxPayload> = fc
  .record(
    {
      type: fc.constant('tx' as const),
      channel: name(NamePattern.CHANNEL),
      namespace: name(NamePattern.NAMESPACE).filter((n) => n !== 'config'),
      action: name(NamePattern.ACTION),
      txTime: time,
      nonce: hexOf(16, 64),
      creator: fc.record({ mspId: name(NamePattern.MSP_ID), cert }),
      reads: fc.uniqueArray(fc.record({ key, version }), { selector: (r) => r.key, maxLength: 4 }),
      writes: fc.uniqueArray(
        fc.oneof(fc.record({ key, value: json }), fc.record({ key, delete: fc.constant(true as const) })),
        { selector: (w) => w.key, maxLength: 4 },
      ),
      event: fc.record({ type: name(NamePattern.EVENT_TYPE).filter((t) => t.length <= 128), data: json }),
      private: fc.uniqueArray(fc.record({ collection: name(NamePattern.COLLECTION), key, hash: hexOf(32) }), {
        selector: (p) => `${p.collection}\u0000${p.key}`,
        minLength: 1,
        maxLength: 3,
      }),
    },
    {
      requiredKeys: [
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
      ],
    },
  )
  .map((p) => p as TxPayload);

const endorsementArb = fc.record({ mspId: name(NamePattern.MSP_ID), cert, signature: hexOf(64) });
const envelopeArb: fc.Arbitrary<Envelope> = fc.record({
  payload: payloadArb,
  signature: hexOf(64),
  endorsements: fc.uniqueArray(endorsementArb, { selector: (e) => e.cert, maxLength: 3 }),
});
const blockArb: fc.Arbitrary<Block> = fc.record({
  header: fc.record({
    channel: name(NamePattern.CHANNEL),
    number: fc.nat(),
    previousHash: hexOf(32),
    dataHash: hexOf(32),
    txCount: fc.nat(),
    time,
  }),
  envelopes: fc.array(envelopeArb, { maxLength: 3 }),
  metadata: fc.record({
    signatures: fc.uniqueArray(
      fc.record({
        nodeId: name(NamePattern.NODE_ID),
        mspId: name(NamePattern.MSP_ID),
        cert,
        signature: hexOf(64),
      }),
      { selector: (s) => s.nodeId, maxLength: 3 },
    ),
    raft: fc.record({ term: fc.nat(), index: fc.nat() }),
    configNumber: fc.nat(),
  }),
});

describe('parse(serialize(x)) = x', () => {
  it('for payloads (and the txId is stable)', () => {
    fc.assert(
      fc.property(payloadArb, (payload) => {
        const parsed = parsePayload(serializePayload(payload));
        expect(parsed).toEqual(payload);
        expect(parsePayload(payload)).toEqual(payload);
        expect(txIdOf(parsed)).toBe(txIdOf(payload));
      }),
      { numRuns: 150 },
    );
  });

  it('for envelopes', () => {
    fc.assert(
      fc.property(envelopeArb, (envelope) => {
        expect(parseEnvelope(serializeEnvelope(envelope))).toEqual(envelope);
      }),
      { numRuns: 100 },
    );
  });

  it('for blocks', () => {
    fc.assert(
      fc.property(blockArb, (block) => {
        expect(parseBlock(serializeBlock(block))).toEqual(block);
      }),
      { numRuns: 60 },
    );
  });
});

// ---- bit flips ----------------------------------------------------------------------------

interface Region {
  readonly start: number;
  readonly end: number;
  readonly label: string;
}

/** Where each part of a block sits in its canonical text (ASCII here, so offsets are bytes). */
function regionsOf(block: Block, text: string): Region[] {
  const regions: Region[] = [];
  let at = text.indexOf('"envelopes":[') + '"envelopes":['.length;
  block.envelopes.forEach((envelope, i) => {
    const envelopeText = canonicalize(envelope);
    expect(text.startsWith(envelopeText, at)).toBe(true);
    for (const match of envelopeText.matchAll(/"signature":"([0-9a-f]+)"/g)) {
      const start = at + (match.index ?? 0) + '"signature":"'.length;
      regions.push({ start, end: start + (match[1]?.length ?? 0), label: `envelope-signature ${i}` });
    }
    regions.push({ start: at, end: at + envelopeText.length, label: `envelope ${i}` });
    at += envelopeText.length + 1;
  });
  for (const field of ['channel', 'number', 'previousHash', 'dataHash', 'txCount', 'time']) {
    const start = text.indexOf(`"${field}":`, text.indexOf('"header":'));
    const end = text.indexOf(field === 'txCount' ? '}' : ',', start);
    regions.push({ start, end, label: `header.${field}` });
  }
  const metadata = text.indexOf('"metadata":');
  const configNumber = text.indexOf('"configNumber":', metadata);
  regions.push({ start: configNumber, end: text.indexOf(',', configNumber), label: 'metadata.configNumber' });
  const raft = text.indexOf('"raft":', metadata);
  regions.push({ start: raft, end: text.indexOf('}', raft) + 1, label: 'metadata.raft' });
  const cert = text.indexOf('"cert":"', metadata) + '"cert":"'.length;
  regions.push({ start: cert, end: text.indexOf('"', cert), label: 'metadata.cert' });
  regions.push({ start: metadata, end: text.length, label: 'metadata' });
  return regions;
}

const ALLOWED: Record<string, readonly (new (...args: never[]) => BlockVerificationError)[]> = {
  envelope: [DataHashError],
  'header.channel': [BlockChannelError],
  'header.number': [BlockNumberError],
  'header.previousHash': [PreviousHashError],
  'header.dataHash': [DataHashError],
  'header.txCount': [TxCountError],
  'header.time': [BlockTimeError, BlockSignatureError],
  'metadata.configNumber': [ConfigNumberError, BlockSignatureError],
  'metadata.cert': [BlockSignatureError],
  // The Raft position is not signed (the contract signs the blockHash): it is checked against the
  // previous block's, so a flip that moves it backwards is caught and one that moves it forward is not.
  'metadata.raft': [RaftPositionError],
  metadata: [BlockSignatureError],
};

/** Flips one bit of a block's wire form and checks that the right error catches it. */
function flipChecker(block: Block, previous: ReturnType<typeof chainTipOf>) {
  const bytes = serializeBlock(block);
  const regions = regionsOf(block, new TextDecoder().decode(bytes));
  const outcomes = new Map<string, number>();
  const count = (name: string) => outcomes.set(name, (outcomes.get(name) ?? 0) + 1);

  function check(bit: number): void {
    const flipped = new Uint8Array(bytes);
    flipped[bit >> 3]! ^= 0x80 >> (bit & 7);
    const offset = bit >> 3;
    const label = regions.find((r) => offset >= r.start && offset < r.end)?.label ?? 'structure';
    let parsed: Block;
    try {
      parsed = parseBlock(flipped);
    } catch (error) {
      expect(error, `bit ${bit} (${label})`).toBeInstanceOf(ParseError);
      count('ParseError');
      return;
    }
    let thrown: unknown;
    try {
      verifyBlock(parsed, { previous, consenters });
    } catch (error) {
      thrown = error;
    }
    const kind = label.split(' ')[0] === 'envelope-signature' ? 'envelope' : (label.split(' ')[0] as string);
    if (kind === 'metadata.raft' && thrown === undefined) {
      const { term, index } = parsed.metadata.raft;
      expect(index > (previous.raft?.index ?? -1) && term >= (previous.raft?.term ?? 0), `bit ${bit}`).toBe(
        true,
      );
      count('raft-forward-undetectable');
      return;
    }
    const allowed = ALLOWED[kind] ?? [];
    expect(
      allowed.some((cls) => thrown instanceof cls),
      `bit ${bit} in ${label}: ${String(thrown)}`,
    ).toBe(true);
    count((thrown as Error).name);
    if (label.startsWith('envelope-signature')) {
      const index = Number(label.split(' ')[1]);
      expect(verifyEnvelopes(parsed)[index]?.signaturesOk, `bit ${bit} in ${label}`).toBe(false);
    }
  }
  return { bytes, regions, outcomes, check };
}

describe('a single flipped bit in a serialized block', () => {
  const [genesis, block] = sampleChain(1, 2) as [Block, Block];
  const previous = chainTipOf(genesis);

  it('is caught: sampled over a whole block of two envelopes', () => {
    expect(verifyBlock(block, { previous, consenters }).tip.number).toBe(1);
    const { bytes, check } = flipChecker(block, previous);
    fc.assert(
      fc.property(fc.nat({ max: bytes.byteLength * 8 - 1 }), (bit) => check(bit)),
      { numRuns: 1000 },
    );
  });

  it('is caught: every bit of the header, the metadata (but the certificate; the unsigned Raft position only when it goes backwards) and the envelope signatures', () => {
    // One envelope keeps each check cheap; the regions that matter are all there.
    const [genesis1, small] = sampleChain(1, 1) as [Block, Block];
    const { regions, outcomes, check } = flipChecker(small, chainTipOf(genesis1));
    const targets = regions.filter((r) => /^(header|metadata|envelope-signature)/.test(r.label));
    const cert = regions.find((r) => r.label === 'metadata.cert') as Region;
    for (const region of targets) {
      for (let offset = region.start; offset < region.end; offset++) {
        // The consenter certificate's 600-odd characters are sampled by the test above.
        if (offset >= cert.start && offset < cert.end) continue;
        for (let b = 0; b < 8; b++) check(offset * 8 + b);
      }
    }
    // Every kind of outcome occurred, so the regions above were really exercised.
    for (const name of [
      'ParseError',
      'DataHashError',
      'BlockSignatureError',
      'BlockNumberError',
      'PreviousHashError',
      'TxCountError',
      'ConfigNumberError',
      'RaftPositionError',
    ]) {
      expect(outcomes.get(name), name).toBeGreaterThan(0);
    }
  });

  it('leaves the original block valid (nothing was mutated)', () => {
    expect(verifyBlock(parseBlock(serializeBlock(block)), { previous, consenters }).blockHash).toBe(
      chainTipOf(block).hash,
    );
    expect(orderer1.nodeId).toBe(block.metadata.signatures[0]?.nodeId);
  });
});
