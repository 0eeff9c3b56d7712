import { afterEach, describe, expect, it } from 'vitest';
import { ZERO_HASH_HEX } from '@civic/protocol';
import { HeightMismatchError, StoreMismatchError, type BlockCommit } from '../src/index.js';
import { ENGINES, type OpenedStore } from './support/engines.js';

const hash = (n: number) => n.toString(16).padStart(64, '0');

function record(number: number, writes: { key: string; value: string | null; tx: number }[]): BlockCommit {
  const txs = [...new Set(writes.map((w) => w.tx))].map((index) => ({
    index,
    txId: `${hash(number)}-${index}`,
    code: 'VALID',
    reason: null,
    envelope: `{"i":${index}}`,
    namespace: 'ns',
    action: 'put',
    creatorMsp: 'RVO',
    creatorSubject: 'CN=alice,OU=client,O=RVO',
    txTime: '2026-01-01T00:00:00.000Z',
  }));
  const finals = new Map<string, { key: string; value: string | null; tx: number }>();
  for (const w of writes) finals.set(w.key, w);
  return {
    number,
    hash: hash(number + 1000),
    previousHash: number === 0 ? ZERO_HASH_HEX : hash(number + 999),
    header: `{"number":${number}}`,
    metadata: '{}',
    time: '2026-01-01T00:00:00.000Z',
    codes: txs.map(() => 'VALID'),
    commitHash: hash(number + 5000),
    configBlock: 0,
    validBefore: number * 2,
    txs,
    stateChanges: [...finals.values()].map((w) => ({
      namespace: 'ns',
      key: w.key,
      value: w.value,
      version: `${number}:${w.tx}`,
    })),
    history: writes.map((w) => ({
      namespace: 'ns',
      key: w.key,
      block: number,
      index: w.tx,
      txId: `${hash(number)}-${w.tx}`,
      creatorMsp: 'RVO',
      creatorSubject: 'CN=alice,OU=client,O=RVO',
      blockTime: '2026-01-01T00:00:00.000Z',
      txTime: '2026-01-01T00:00:00.000Z',
      value: w.value,
    })),
  };
}

describe.each(ENGINES)('ledger store on $engine', (fixture) => {
  let opened: OpenedStore | undefined;
  afterEach(async () => {
    await opened?.dispose();
    opened = undefined;
  });

  it('starts empty before genesis', async () => {
    opened = await fixture.create();
    const head = await opened.store.head();
    expect(head).toMatchObject({
      channel: opened.channel,
      height: -1,
      commitHash: ZERO_HASH_HEX,
      publishedHeight: -1,
    });
    expect(await opened.store.blockNumberRange()).toEqual({ min: -1, max: -1, count: 0 });
  });

  it('commits blocks, state, history and txs, and reads them back', async () => {
    opened = await fixture.create();
    const { store } = opened;
    await store.commitBlocks([record(0, [{ key: 'a', value: '1', tx: 0 }])]);
    const head = await store.commitBlocks([
      record(1, [
        { key: 'a', value: '2', tx: 0 },
        { key: 'b', value: '"x\\u0000y"', tx: 1 },
        { key: 'n\u0000\\0', value: '1', tx: 1 },
      ]),
      record(2, [
        { key: 'a', value: null, tx: 0 },
        { key: 'c', value: '{"n":1}', tx: 1 },
      ]),
    ]);
    expect(head).toMatchObject({ height: 2, blockHash: hash(1002), commitHash: hash(5002) });
    expect(await store.getState({ namespace: 'ns', key: 'a' })).toBeNull();
    expect(await store.getState({ namespace: 'ns', key: 'b' })).toMatchObject({
      value: '"x\\u0000y"',
      version: '1:1',
    });
    const versions = await store.readVersions([
      { namespace: 'ns', key: 'a' },
      { namespace: 'ns', key: 'c' },
      { namespace: 'other', key: 'c' },
    ]);
    expect([...versions]).toEqual([['ns\u0000c', '2:1']]);
    const history = await store.getHistory({ namespace: 'ns', key: 'a' }, 2);
    expect(history.entries.map((e) => [e.block, e.value])).toEqual([
      [2, null],
      [1, '2'],
    ]);
    expect(history.next).toEqual({ block: 1, index: 0 });
    const older = await store.getHistory({ namespace: 'ns', key: 'a' }, 2, history.next);
    expect(older.entries.map((e) => [e.block, e.value])).toEqual([[0, '1']]);
    expect(older.next).toBeUndefined();
    const tx = await store.getTx(`${hash(2)}-1`);
    expect(tx).toMatchObject({ block: 2, tx: { index: 1, code: 'VALID', envelope: '{"i":1}' } });
    expect(await store.knownTxIds([`${hash(2)}-1`, 'nope'])).toEqual(new Set([`${hash(2)}-1`]));
    const blocks = await store.blocksFrom(1, 5);
    expect(blocks.map((b) => [b.number, b.codes, b.txs.length])).toEqual([
      [1, ['VALID', 'VALID'], 2],
      [2, ['VALID', 'VALID'], 2],
    ]);
    expect((await store.getBlockByHash(hash(1001)))?.number).toBe(1);
    expect((await store.historyOfBlocks(1, 2)).map((h) => `${h.block}:${h.index}:${h.key}`)).toEqual([
      '1:0:a',
      '1:1:b',
      '1:1:n\u0000\\0',
      '2:0:a',
      '2:1:c',
    ]);
    expect((await store.statePage(null, 10)).map((s) => s.key)).toEqual(['b', 'c', 'n\u0000\\0']);
    expect((await store.statePage({ namespace: 'ns', key: 'b' }, 10)).map((s) => s.key)).toEqual([
      'c',
      'n\u0000\\0',
    ]);
    expect(await store.getState({ namespace: 'ns', key: 'n\u0000\\0' })).toMatchObject({ version: '1:1' });
    expect((await store.getHistory({ namespace: 'ns', key: 'n\u0000\\0' }, 5)).entries).toHaveLength(1);
  });

  it('refuses a block that does not follow the head and writes nothing of it', async () => {
    opened = await fixture.create();
    const { store } = opened;
    await store.commitBlocks([record(0, [{ key: 'a', value: '1', tx: 0 }])]);
    await expect(store.commitBlocks([record(2, [{ key: 'z', value: '1', tx: 0 }])])).rejects.toBeInstanceOf(
      HeightMismatchError,
    );
    await expect(store.commitBlocks([record(0, [{ key: 'z', value: '1', tx: 0 }])])).rejects.toBeInstanceOf(
      HeightMismatchError,
    );
    expect(await store.getState({ namespace: 'ns', key: 'z' })).toBeNull();
    expect((await store.head()).height).toBe(0);
  });

  it('rolls a failed commit back entirely', async () => {
    opened = await fixture.create();
    const { store } = opened;
    const bad = record(0, [{ key: 'a', value: '1', tx: 0 }]);
    // Two history rows with the same primary key make the last INSERT fail inside the transaction.
    const broken = { ...bad, history: [...bad.history, ...bad.history] };
    await expect(store.commitBlocks([broken])).rejects.toThrow();
    expect((await store.head()).height).toBe(-1);
    expect(await store.getState({ namespace: 'ns', key: 'a' })).toBeNull();
    expect(await store.blockNumberRange()).toEqual({ min: -1, max: -1, count: 0 });
    await store.commitBlocks([bad]);
    expect((await store.head()).height).toBe(0);
  });

  it('keeps everything across a reopen and refuses another channel', async () => {
    opened = await fixture.create();
    await opened.store.commitBlocks([record(0, [{ key: 'a', value: '1', tx: 0 }])]);
    await opened.store.markPublished(0);
    await opened.store.close();
    const again = await opened.reopen();
    expect(await again.head()).toMatchObject({ height: 0, publishedHeight: 0 });
    await again.markPublished(-1);
    expect((await again.head()).publishedHeight).toBe(0);
    await again.close();
  });

  it('refuses a database bound to another channel', async () => {
    opened = await fixture.create();
    await opened.store.close();
    const { openLedgerStore } = await import('../src/index.js');
    const url = opened.location;
    const options = fixture.engine === 'postgres' ? { databaseUrl: url } : { dataDir: url };
    await expect(openLedgerStore({ channel: 'someother', ...options })).rejects.toBeInstanceOf(
      StoreMismatchError,
    );
  });
});
