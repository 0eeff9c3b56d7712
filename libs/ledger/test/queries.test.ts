import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  blockHashOf,
  txIdOf,
  verifyEnvelopeInclusion,
  type BlockReply,
  type Envelope,
} from '@civic/protocol';
import {
  BadQueryError,
  Ledger,
  LedgerQueries,
  NotFoundError,
  verifyCheckpointSignature,
} from '../src/index.js';
import { BlockFactory, createTestNetwork, TEST_NAMESPACE } from '../src/testing/index.js';
import { ENGINES, type OpenedStore } from './support/engines.js';

describe.each(ENGINES)('ledger queries on $engine', (fixture) => {
  let opened: OpenedStore;
  let queries: LedgerQueries;
  let txIds: string[];

  beforeAll(async () => {
    opened = await fixture.create();
    const net = createTestNetwork({ channel: opened.channel });
    const factory = new BlockFactory(net);
    const ledger = await Ledger.open({ store: opened.store, channel: opened.channel });
    const put = factory.tx({ writes: [{ key: 'grant/1', value: { amountCents: 100 } }] });
    const other = factory.tx({
      creator: net.signer('utrecht-client'),
      writes: [{ key: 'grant/2', value: 2 }],
    });
    const update = factory.tx({
      reads: [{ key: 'grant/1', version: '1:0' }],
      writes: [{ key: 'grant/1', value: { amountCents: 250 } }],
    });
    const remove = factory.tx({
      reads: [{ key: 'grant/1', version: '2:1' }],
      writes: [{ key: 'grant/1', delete: true }],
    });
    await ledger.append([
      net.genesis,
      factory.block([put]),
      factory.block([other, update, put]),
      factory.block([remove]),
    ]);
    txIds = [put, other, update, remove].map((e) => txIdOf(e.payload));
    queries = new LedgerQueries(opened.store, {
      channel: opened.channel,
      peerId: 'peer1',
      signer: net.signer('rvo-peer'),
    });
  });
  afterAll(() => opened?.dispose());

  it('answers state with value and version, and misses with NotFoundError', async () => {
    expect(await queries.state(TEST_NAMESPACE, 'grant/2')).toEqual({
      found: true,
      namespace: TEST_NAMESPACE,
      key: 'grant/2',
      value: 2,
      version: '2:0',
    });
    await expect(queries.state(TEST_NAMESPACE, 'grant/1')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('answers a key history newest first, with who, when and which transaction, in pages', async () => {
    const first = await queries.history(TEST_NAMESPACE, 'grant/1', 2);
    expect(first.entries.map((e) => [e.block, e.txIndex, e.deleted, e.value])).toEqual([
      [3, 0, true, null],
      [2, 1, false, { amountCents: 250 }],
    ]);
    expect(first.entries[0]).toMatchObject({
      txId: txIds[3],
      creatorMspId: 'RVO',
      creatorSubject: 'CN=rvo-client, OU=client, O=RVO',
    });
    const second = await queries.history(TEST_NAMESPACE, 'grant/1', '2', first.next);
    expect(second.entries.map((e) => e.block)).toEqual([1]);
    expect(second.next).toBeUndefined();
  });

  it('answers blocks by number and by hash, identical to what was ordered', async () => {
    const byNumber: BlockReply = await queries.block('2');
    expect(byNumber.codes).toEqual(['VALID', 'VALID', 'DUPLICATE_TXID']);
    const byHash = await queries.block(byNumber.hash);
    expect(byHash).toEqual(byNumber);
    expect(blockHashOf((byNumber.block as { header: never }).header)).toBe(byNumber.hash);
  });

  it('answers a transaction with its first occurrence and code', async () => {
    expect(await queries.tx(txIds[0])).toMatchObject({ block: 1, txIndex: 0, code: 'VALID', reason: null });
  });

  it('proves a transaction in its block, and the proof verifies against the header', async () => {
    const proof = await queries.proof(txIds[2]);
    expect(proof).toMatchObject({ block: 2, txIndex: 1, code: 'VALID' });
    const header = proof.header as { dataHash: string };
    expect(blockHashOf(proof.header as never)).toBe(proof.blockHash);
    expect(verifyEnvelopeInclusion(proof.envelope as Envelope, proof.proof, header.dataHash)).toBe(true);
    expect(
      verifyEnvelopeInclusion(proof.envelope as Envelope, { ...proof.proof, leafIndex: 0 }, header.dataHash),
    ).toBe(false);
  });

  it('signs a checkpoint of its head that an outsider can verify', async () => {
    const checkpoint = await queries.checkpoint();
    expect(checkpoint).toMatchObject({ height: 3, peerId: 'peer1', mspId: 'RVO' });
    expect(verifyCheckpointSignature(checkpoint)).toBe(true);
    expect(verifyCheckpointSignature({ ...checkpoint, height: 2 })).toBe(false);
  });

  it('refuses malformed arguments with the reason', async () => {
    await expect(queries.state('Bad NS', 'k')).rejects.toThrow(BadQueryError);
    await expect(queries.state(TEST_NAMESPACE, '')).rejects.toThrow(/key must be/);
    await expect(queries.history(TEST_NAMESPACE, 'k', 0)).rejects.toThrow(/limit must be/);
    await expect(queries.block('-1')).rejects.toThrow(/block number or a 64-hex/);
    await expect(queries.tx('xyz')).rejects.toThrow(/txId must be/);
    await expect(queries.block('99')).rejects.toBeInstanceOf(NotFoundError);
  });
});
