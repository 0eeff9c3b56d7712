import { afterEach, describe, expect, it } from 'vitest';
import { ValidationCode, blockHashOf, serializeBlock } from '@civic/protocol';
import { BlockRejectedError, committedEventsOf, Ledger, receiptOf } from '../src/index.js';
import { BlockFactory, createTestNetwork, scenarioBlocks, TEST_NAMESPACE } from '../src/testing/index.js';
import { ENGINES, type OpenedStore } from './support/engines.js';

describe.each(ENGINES)('ledger commit pipeline on $engine', (fixture) => {
  let opened: OpenedStore | undefined;
  afterEach(async () => {
    await opened?.dispose();
    opened = undefined;
  });

  it('commits a chain with transactions of every code, giving each the expected code', async () => {
    opened = await fixture.create();
    const net = createTestNetwork({ channel: opened.channel });
    const ledger = await Ledger.open({
      store: opened.store,
      channel: opened.channel,
      genesisHash: blockHashOf(net.genesis.header),
    });
    const [genesis] = await ledger.append([serializeBlock(net.genesis)]);
    const ordinals = genesis!.events.map((e) => e.ordinal);
    const seen = new Set<string>();
    for (const { block, expected } of scenarioBlocks(net, { blocks: 40, seed: 7, configUpdateAt: 20 })) {
      const [outcome] = await ledger.append([block]);
      expect(outcome!.codes, `block ${block.header.number}: ${outcome!.reasons.join(' | ')}`).toEqual(
        expected,
      );
      // Read back from the store, the block publishes what validation gave when it committed.
      const stored = await opened.store.getBlock(block.header.number);
      expect(committedEventsOf(stored!)).toEqual(outcome!.events);
      expect(receiptOf(stored!)).toEqual(outcome!.receipt);
      for (const code of outcome!.codes) seen.add(code);
      ordinals.push(...outcome!.events.map((e) => e.ordinal));
    }
    // One event per valid transaction, numbered 0, 1, 2, … across the chain.
    expect(ordinals).toEqual(ordinals.map((_, i) => i));
    expect(ledger.head.validTxs).toBe(ordinals.length);
    expect([...seen].sort()).toEqual(Object.values(ValidationCode).sort());
    expect(ledger.height).toBe(40);
    expect(ledger.chain.config?.sequence).toBe(1);
    expect((await opened.store.head()).commitHash).toBe(ledger.head.commitHash);
  });

  it('refuses a block that does not verify and commits none of it', async () => {
    opened = await fixture.create();
    const net = createTestNetwork({ channel: opened.channel });
    const factory = new BlockFactory(net);
    const ledger = await Ledger.open({ store: opened.store, channel: opened.channel });
    await ledger.append([net.genesis]);
    const good = factory.block([factory.tx({ writes: [{ key: 'a', value: 1 }] })]);
    const tampered = factory.block([factory.tx({ writes: [{ key: 'b', value: 2 }] })]);
    const forged = { ...tampered, header: { ...tampered.header, time: factory.timeOf(99) } };
    await expect(ledger.append([good, forged])).rejects.toSatisfy(
      (error: unknown) =>
        error instanceof BlockRejectedError && error.blockNumber === 2 && /signature/.test(error.reason),
    );
    expect(ledger.height).toBe(1);
    expect(await opened.store.getState({ namespace: TEST_NAMESPACE, key: 'a' })).toMatchObject({
      version: '1:0',
    });
    expect(await opened.store.getState({ namespace: TEST_NAMESPACE, key: 'b' })).toBeNull();
    await ledger.append([tampered]);
    expect(ledger.height).toBe(2);
  });

  it('resumes from the stored head after a reopen', async () => {
    opened = await fixture.create();
    const net = createTestNetwork({ channel: opened.channel });
    const factory = new BlockFactory(net);
    const first = await Ledger.open({ store: opened.store, channel: opened.channel });
    await first.append([net.genesis, factory.block([factory.tx({ writes: [{ key: 'a', value: 1 }] })])]);
    await opened.store.close();
    const store = await opened.reopen();
    const again = await Ledger.open({ store, channel: opened.channel });
    expect(again.height).toBe(1);
    expect(again.head.commitHash).toBe(first.head.commitHash);
    const [outcome] = await again.append([
      factory.block([
        factory.tx({ reads: [{ key: 'a', version: '1:0' }], writes: [{ key: 'a', value: 2 }] }),
      ]),
    ]);
    expect(outcome!.codes).toEqual([ValidationCode.VALID]);
  });
});
