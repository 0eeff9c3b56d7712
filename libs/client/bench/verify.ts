/**
 * Figures for the client's verification paths: BlockVerifier (with and without the envelope
 * signature report) and exported inclusion proofs, each the best of three rounds. Prints;
 * asserts nothing.
 *
 *   npm run bench -w @civic/client                                  (node:crypto backend)
 *   npm run bench:browser-crypto -w @civic/client                   (@noble, as in a browser)
 *
 * Runs with node's type stripping against dist/ (no loader).
 */
import { performance } from 'node:perf_hooks';
import { BlockVerifier, buildTxProof, verifyTxProof } from '@civic/client';
import { createNetwork, devNetworkSpec, seededKeySource } from '@civic/identity';
import {
  blockHashOf,
  buildBlock,
  createEnvelope,
  createPayload,
  cryptoBackendName,
  serializeBlock,
  signBlock,
  type Block,
} from '@civic/protocol';

const BLOCKS = 40;
const TX_PER_BLOCK = 100;
const T0_MS = Date.UTC(2026, 0, 1);

const { network, genesis } = createNetwork(devNetworkSpec('bench'), {
  timeMs: T0_MS,
  keys: seededKeySource('client-bench'),
});
const client = network.identities.get('utrecht-parking')!;
const orderer = network.identities.get('orderer1')!;
const blocks: Block[] = [genesis];
for (let n = 1; n <= BLOCKS; n++) {
  const envelopes = Array.from({ length: TX_PER_BLOCK }, (_, i) =>
    createEnvelope(
      createPayload({
        channel: 'bench',
        namespace: 'parking',
        action: 'check.record',
        txTime: T0_MS + n * 1000,
        creator: { mspId: client.mspId, cert: client.cert },
        reads: [{ key: `card/${i}`, version: null }],
        writes: [{ key: `check/${n}/${i}`, value: { card: i, place: 'Utrecht Centraal', ok: true } }],
        event: { type: 'check.recorded', data: { n, i } },
      }),
      client.key,
    ),
  );
  const block = buildBlock({
    channel: 'bench',
    number: n,
    previousHash: blockHashOf(blocks[n - 1]!.header),
    envelopes,
    time: T0_MS + n * 1000,
    raft: { term: 1, index: n + 2 },
    configNumber: 0,
  });
  blocks.push(
    signBlock(block, { nodeId: 'orderer1', mspId: orderer.mspId, cert: orderer.cert, key: orderer.key }),
  );
}
const wire = blocks.map(serializeBlock);

function best(rounds: number, run: () => number): number {
  let top = 0;
  for (let r = 0; r < rounds; r++) {
    const started = performance.now();
    const count = run();
    top = Math.max(top, count / ((performance.now() - started) / 1000));
  }
  return top;
}

function chainRate(envelopeSignatures: boolean): number {
  return best(3, () => {
    const v = BlockVerifier.fromGenesis(wire[0]!, { envelopeSignatures });
    for (const bytes of wire.slice(1)) v.verify(bytes);
    return BLOCKS;
  });
}

const withSignatures = chainRate(true);
const headersOnly = chainRate(false);
const proofs = blocks.slice(1).flatMap((b) => [0, 37, 99].map((i) => JSON.stringify(buildTxProof(b, i))));
const proofRate = best(3, () => {
  for (const text of proofs) if (!verifyTxProof(text).ok) throw new Error('a proof failed');
  return proofs.length;
});

console.log(
  `crypto backend: ${cryptoBackendName}; ${BLOCKS} blocks of ${TX_PER_BLOCK} transactions (wire bytes, strict parse)`,
);
console.log(
  `BlockVerifier, with the envelope signature report: ${withSignatures.toFixed(1)} blocks/s = ${(withSignatures * TX_PER_BLOCK).toFixed(0)} tx/s`,
);
console.log(
  `BlockVerifier, block checks only:                   ${headersOnly.toFixed(1)} blocks/s = ${(headersOnly * TX_PER_BLOCK).toFixed(0)} tx/s`,
);
console.log(`verifyTxProof (JSON text, envelope included):      ${proofRate.toFixed(0)} proofs/s`);
