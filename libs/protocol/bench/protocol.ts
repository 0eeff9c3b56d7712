/**
 * Figures for the protocol's hot paths, next to the raw node:crypto Ed25519 rates measured in
 * the same run (the ceiling for anything that verifies signatures). Prints; asserts nothing.
 * Each figure is the best of five rounds, so that other load on the machine distorts it less.
 *
 *   npm run bench -w @civic/protocol      (builds, then runs this file from the built package)
 *
 * Runs with node's type stripping against dist/ (no loader). Identities are the published
 * test-vector ones: certificates from test-vectors/identities.json, keys from their seeds.
 */
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import {
  ZERO_HASH_HEX,
  buildBlock,
  canonicalize,
  chainTipOf,
  createEnvelope,
  createPayload,
  envelopeDigests,
  keyPairFromSeed,
  parseBlock,
  parseEnvelope,
  serializeBlock,
  serializeEnvelope,
  sha256,
  signBlock,
  signEd25519,
  txIdOf,
  utf8Bytes,
  verifyBlock,
  verifyEd25519,
  verifyEnvelope,
  verifyEnvelopes,
  type Block,
  type Envelope,
  type TxPayload,
} from '@civic/protocol';
import { backend as noble } from '../dist/backend/noble.js';

const BLOCK_ENVELOPES = 500;

/** Rounds per figure: the best round is reported, which is robust to other load on the machine. */
const ROUNDS = 5;

function measure(label: string, iterations: number, run: (i: number) => unknown): number {
  for (let i = 0; i < Math.min(iterations, 50); i++) run(i); // warm up
  const perRound = Math.max(1, Math.ceil(iterations / ROUNDS));
  let bestMs = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    const start = performance.now();
    for (let i = 0; i < perRound; i++) run(round * perRound + i);
    bestMs = Math.min(bestMs, performance.now() - start);
  }
  const perSecond = (perRound / bestMs) * 1000;
  const each = bestMs / perRound;
  const eachText = each >= 1 ? `${each.toFixed(2)} ms` : `${(each * 1000).toFixed(1)} µs`;
  console.log(
    `${label.padEnd(60)} ${perSecond.toFixed(perSecond < 100 ? 1 : 0).padStart(10)} /s  ${eachText.padStart(10)} each`,
  );
  return perSecond;
}

// ---- identities and samples ---------------------------------------------------------------

interface VectorIdentityEntry {
  readonly mspId: string;
  readonly nodeId?: string;
  readonly subject: string;
  readonly cert: string;
}
const identities = JSON.parse(
  readFileSync(new URL('../test-vectors/identities.json', import.meta.url), 'utf8'),
).identities as VectorIdentityEntry[];
const keyOf = (name: string) => keyPairFromSeed(sha256(utf8Bytes(`civic-protocol-vectors/key/${name}`)));
const creatorEntry = identities.find((i) => i.subject.endsWith('CN=grants-service')) as VectorIdentityEntry;
const ordererEntry = identities.find((i) => i.nodeId === 'orderer-1') as VectorIdentityEntry;
const creatorKey = keyOf('grants-service');
const orderer = {
  nodeId: 'orderer-1',
  mspId: ordererEntry.mspId,
  cert: ordererEntry.cert,
  key: keyOf('orderer-1'),
};
const consenters = [{ nodeId: orderer.nodeId, mspId: orderer.mspId, cert: orderer.cert }];

/** A grant payload whose envelope (creator signature, no endorsement) is about 1 KB. */
function payload(i: number): TxPayload {
  return createPayload({
    channel: 'bench',
    namespace: 'subsidies',
    action: 'grant.approve',
    txTime: new Date(Date.UTC(2026, 10, 28, 10) + i).toISOString(),
    nonce: i.toString(16).padStart(32, '0'),
    creator: { mspId: creatorEntry.mspId, cert: creatorEntry.cert },
    reads: [{ key: `grant/${i}`, version: null }],
    writes: [
      { key: `grant/${i}`, value: { amountCents: 125_000 + i, status: 'approved', municipality: 'Utrecht' } },
    ],
    event: { type: 'grant.approved', data: { grant: `grant/${i}`, amountCents: 125_000 + i } },
  });
}

const envelopes: Envelope[] = Array.from({ length: BLOCK_ENVELOPES }, (_, i) =>
  createEnvelope(payload(i), creatorKey),
);
const envelope = envelopes[0] as Envelope;
const envelopeBytes = serializeEnvelope(envelope);
const txIdBytes = Buffer.from(txIdOf(envelope.payload), 'hex');
console.log(
  `envelope: ${envelopeBytes.byteLength} bytes canonical; block: ${BLOCK_ENVELOPES} such envelopes\n`,
);

// ---- raw node:crypto, the ceiling -----------------------------------------------------------

const raw = generateKeyPairSync('ed25519');
const rawSignature = sign(null, txIdBytes, raw.privateKey);
console.log('raw node:crypto (KeyObject reused, 32-byte message)');
measure('  Ed25519 sign', 4000, () => sign(null, txIdBytes, raw.privateKey));
measure('  Ed25519 verify', 4000, () => verify(null, txIdBytes, raw.publicKey, rawSignature));

// ---- primitives --------------------------------------------------------------------------

console.log('\nprotocol primitives');
const signature = signEd25519(txIdBytes, creatorKey);
measure('  signEd25519 (32-byte txId)', 4000, () => signEd25519(txIdBytes, creatorKey));
measure('  verifyEd25519 (cached public key)', 4000, () =>
  verifyEd25519(txIdBytes, signature, creatorKey.publicKey),
);
measure('  verify, noble backend (the browser build)', 300, () =>
  noble.ed25519Verify(txIdBytes, signature, creatorKey.publicKey),
);
measure('  canonicalize a ~1 KB envelope', 20_000, () => canonicalize(envelope));
measure('  sha256 of the ~1 KB envelope bytes', 20_000, () => sha256(envelopeBytes));
measure('  txIdOf (canonicalize payload + SHA-256)', 20_000, () => txIdOf(envelope.payload));
measure('  envelopeDigests (txId + H(envelope))', 20_000, () => envelopeDigests(envelope));
measure('  parseEnvelope from canonical bytes (strict)', 20_000, () => parseEnvelope(envelopeBytes));
measure('  createEnvelope (parse + txId + sign)', 4000, (i) =>
  createEnvelope(envelopes[i % 500]!.payload, creatorKey),
);
measure('  verifyEnvelope (txId + 1 signature)', 4000, () => verifyEnvelope(envelope));

// ---- blocks ------------------------------------------------------------------------------

console.log(`\nblocks of ${BLOCK_ENVELOPES} envelopes`);
const genesis: Block = signBlock(
  buildBlock({
    channel: 'bench',
    number: 0,
    previousHash: ZERO_HASH_HEX,
    envelopes: [],
    time: '2026-11-28T10:00:00.000Z',
    raft: { term: 0, index: 0 },
    configNumber: 0,
  }),
  orderer,
);
const previous = chainTipOf(genesis);
const fields = {
  channel: 'bench',
  number: 1,
  previousHash: previous.hash,
  envelopes,
  time: '2026-11-28T10:00:01.000Z',
  raft: { term: 1, index: 2 },
  configNumber: 0,
};
const build = measure('  buildBlock (parse envelopes, Merkle root)', 20, () => buildBlock(fields));
const block = signBlock(buildBlock(fields), orderer);
const blockBytes = serializeBlock(block);
measure('  buildBlock + signBlock of an empty block', 200, () =>
  signBlock(buildBlock({ ...fields, envelopes: [] }), orderer),
);
measure(`  serializeBlock (${(blockBytes.byteLength / 1024).toFixed(0)} KiB)`, 50, () =>
  serializeBlock(block),
);
const parse = measure('  parseBlock from canonical bytes (strict)', 20, () => parseBlock(blockBytes));
const verifyB = measure('  verifyBlock (chain, dataHash, consenter signature)', 20, () =>
  verifyBlock(block, { previous, consenters }),
);
const verifyE = measure('  verifyEnvelopes (500 creator signatures)', 10, () => verifyEnvelopes(block));
const full = measure('  parse + verifyBlock + verifyEnvelopes', 10, () => {
  const parsed = parseBlock(blockBytes);
  const { txIds } = verifyBlock(parsed, { previous, consenters });
  return verifyEnvelopes(parsed, txIds);
});

// ---- ratios ------------------------------------------------------------------------------

/**
 * `work` against `baseline`, timed alternately round after round so that both meet the same
 * load; the median of the per-round ratios (baseline time / work time) is printed.
 */
function compare(
  label: string,
  rounds: number,
  work: () => unknown,
  baseline: () => unknown,
  note = '',
): number {
  const time = (fn: () => unknown) => {
    const start = performance.now();
    fn();
    return performance.now() - start;
  };
  work();
  baseline();
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) ratios.push(time(baseline) / time(work));
  ratios.sort((x, y) => x - y);
  const median = ratios[Math.floor(rounds / 2)] as number;
  console.log(`  ${label.padEnd(58)} ${`${(median * 100).toFixed(0)}%`.padStart(6)}${note}`);
  return median;
}

const repeat = (n: number, fn: () => unknown) => () => {
  for (let i = 0; i < n; i++) fn();
};
const rawVerifies = (n: number) => repeat(n, () => verify(null, txIdBytes, raw.publicKey, rawSignature));

console.log('\nratios, paired (median of alternating rounds; 100% = as fast as raw node:crypto)');
compare(
  'signEd25519 / raw sign',
  15,
  repeat(200, () => signEd25519(txIdBytes, creatorKey)),
  repeat(200, () => sign(null, txIdBytes, raw.privateKey)),
);
compare(
  'verifyEd25519 / raw verify',
  15,
  repeat(200, () => verifyEd25519(txIdBytes, signature, creatorKey.publicKey)),
  rawVerifies(200),
);
compare(
  'noble verify (browser build) / raw verify',
  9,
  repeat(10, () => noble.ed25519Verify(txIdBytes, signature, creatorKey.publicKey)),
  rawVerifies(10),
);
compare(
  'verifyEnvelope / raw verify',
  15,
  repeat(200, () => verifyEnvelope(envelope)),
  rawVerifies(200),
);
compare(
  'verifyEnvelopes, block of 500 / 500 raw verifies',
  9,
  () => verifyEnvelopes(block),
  rawVerifies(BLOCK_ENVELOPES),
);
compare(
  'parse + verifyBlock + verifyEnvelopes, 500 / 500 raw verifies',
  9,
  () => {
    const parsed = parseBlock(blockBytes);
    const { txIds } = verifyBlock(parsed, { previous, consenters });
    return verifyEnvelopes(parsed, txIds);
  },
  rawVerifies(BLOCK_ENVELOPES),
);
console.log(
  `\n  envelopes/s: verifyEnvelopes ${(verifyE * BLOCK_ENVELOPES).toFixed(0)}, full block check ${(full * BLOCK_ENVELOPES).toFixed(0)}, ` +
    `buildBlock ${(build * BLOCK_ENVELOPES).toFixed(0)}, parseBlock ${(parse * BLOCK_ENVELOPES).toFixed(0)}; verifyBlock ${verifyB.toFixed(0)} blocks/s`,
);
