import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockHashOf } from '@civic/protocol';
import { AuditProblemKind, auditChain, Ledger, type AuditReport, type LedgerStore } from '../src/index.js';
import { createTestNetwork, scenarioBlocks, TEST_NAMESPACE } from '../src/testing/index.js';
import { ENGINES, type OpenedStore } from './support/engines.js';

/**
 * Each case tampers with one row by hand, audits, and expects the audit to name the block;
 * then undoes the change so the next case starts from a clean chain.
 */
describe.each(ENGINES)('audit on $engine', (fixture) => {
  let opened: OpenedStore;
  let store: LedgerStore;
  let genesisHash: string;

  beforeAll(async () => {
    opened = await fixture.create();
    const net = createTestNetwork({ channel: opened.channel });
    genesisHash = blockHashOf(net.genesis.header);
    const ledger = await Ledger.open({ store: opened.store, channel: opened.channel, genesisHash });
    await ledger.append([net.genesis]);
    const blocks = [...scenarioBlocks(net, { blocks: 30, seed: 3, configUpdateAt: 10 })].map((s) => s.block);
    await ledger.append(blocks);
    store = opened.store;
  });
  afterAll(() => opened?.dispose());

  const audit = () => auditChain(store, { channel: opened.channel, genesisHash });

  /** Runs `sql` against the closed store, audits, runs `undo`, and checks the chain is clean again. */
  async function tampered(
    sql: string,
    undo: string,
    params: unknown[] = [],
    undoParams = params,
  ): Promise<AuditReport> {
    await store.close();
    await opened.sql(sql, params);
    store = await opened.reopen();
    const report = await audit();
    await store.close();
    await opened.sql(undo, undoParams);
    store = await opened.reopen();
    return report;
  }

  it('passes on an untouched chain and rebuilds the same commit hash', async () => {
    const progress: number[] = [];
    const report = await auditChain(store, {
      channel: opened.channel,
      genesisHash,
      onProgress: (p) => progress.push(p.block),
    });
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, height: 30, blocksChecked: 31 });
    expect(report.commitHash).toBe((await store.head()).commitHash);
    expect(progress.at(-1)).toBe(30);
  });

  it('names the block of a state value changed by hand', async () => {
    const row = (await store.statePage(null, 1000)).find((s) => s.namespace === TEST_NAMESPACE)!;
    const block = Number(row.version.split(':')[0]);
    const report = await tampered(
      `UPDATE state SET value = '{"owner":"Mallory"}' WHERE namespace = $1 AND key = $2`,
      `UPDATE state SET value = '${row.value}' WHERE namespace = $1 AND key = $2`,
      [row.namespace, row.key],
    );
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual(
      expect.objectContaining({ kind: AuditProblemKind.STATE_MISMATCH, block }),
    );
  });

  it('names the block of a deleted history row', async () => {
    const [row] = await store.historyOfBlocks(5, 5);
    const report = await tampered(
      `DELETE FROM history WHERE block = 5 AND idx = ${row!.index} AND key = $1`,
      `INSERT INTO history VALUES ($2, $1, 5, ${row!.index}, '${row!.txId}', '${row!.creatorMsp}', '${row!.creatorSubject}', '${row!.blockTime}', '${row!.txTime}', ${row!.value === null ? 'NULL' : `'${row!.value}'`})`,
      [row!.key],
      [row!.key, row!.namespace],
    );
    expect(report.problems).toContainEqual(
      expect.objectContaining({ kind: AuditProblemKind.HISTORY_MISMATCH, block: 5 }),
    );
  });

  it('names the block of a transaction code changed by hand', async () => {
    const original = (await store.getBlock(7))!.txs[0]!.code;
    const forged = original === 'VALID' ? 'MALFORMED' : 'VALID';
    const report = await tampered(
      `UPDATE txs SET code = '${forged}' WHERE block = 7 AND idx = 0`,
      `UPDATE txs SET code = '${original}' WHERE block = 7 AND idx = 0`,
    );
    expect(report.problems).toContainEqual(
      expect.objectContaining({ kind: AuditProblemKind.BLOCK_MISMATCH, block: 7 }),
    );
  });

  it('names the block whose envelope was rewritten, and stops there', async () => {
    const report = await tampered(
      `UPDATE txs SET envelope = replace(envelope, '"reads":', '"reads" :') WHERE block = 12 AND idx = 0`,
      `UPDATE txs SET envelope = replace(envelope, '"reads" :', '"reads":') WHERE block = 12 AND idx = 0`,
    );
    // The stored text is the canonical form the hashes were computed over: a whitespace edit is a change too.
    expect(report.problems).toContainEqual(
      expect.objectContaining({ kind: AuditProblemKind.BLOCK_MISMATCH, block: 12 }),
    );
    const value = await tampered(
      `UPDATE txs SET envelope = replace(envelope, '"nonce":"', '"nonce":"0') WHERE block = 12 AND idx = 0`,
      `UPDATE txs SET envelope = replace(envelope, '"nonce":"0', '"nonce":"') WHERE block = 12 AND idx = 0`,
    );
    expect(value.problems).toContainEqual(
      expect.objectContaining({ kind: AuditProblemKind.BLOCK_INVALID, block: 12 }),
    );
  });

  it('names a block row that was deleted and a state row that was inserted', async () => {
    const missing = await tampered(
      `CREATE TABLE saved AS SELECT * FROM blocks WHERE number = 20; DELETE FROM blocks WHERE number = 20`,
      `INSERT INTO blocks SELECT * FROM saved; DROP TABLE saved`,
    );
    expect(missing.problems).toContainEqual(
      expect.objectContaining({ kind: AuditProblemKind.MISSING_BLOCK, block: 20 }),
    );
    const inserted = await tampered(
      `INSERT INTO state VALUES ('${TEST_NAMESPACE}', 'forged', '1', '3:0')`,
      `DELETE FROM state WHERE key = 'forged'`,
    );
    expect(inserted.problems).toContainEqual(
      expect.objectContaining({ kind: AuditProblemKind.STATE_MISMATCH, block: 3 }),
    );
    expect((await audit()).problems).toEqual([]);
  });
});
