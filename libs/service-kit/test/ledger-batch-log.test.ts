/**
 * LedgerBatchLog over a scripted ledger side (`sendBatch`): batches become one action's inputs,
 * the service's hooks see every batch, a failure is logged and sent again, and a shutdown drains
 * the queue or says how many items it lost.
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { LedgerBatchLog, type BatchResult, type BatchQueueSettings } from '../src/index.js';

const SETTINGS: BatchQueueSettings = {
  batchMax: 2,
  flushMs: 10_000,
  queueMax: 10,
  retryMs: 5,
  retryMaxMs: 10,
  shutdownFlushMs: 200,
};

function harness(script: (input: unknown) => BatchResult | 'fail') {
  const lines: { level: number; msg: string; left?: number; action?: string }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  const inputs: { action: string; input: unknown }[] = [];
  const batches: string[] = [];
  const log = new LedgerBatchLog<number, 'n.record'>({
    ledger: {
      sendBatch: async (action, input) => {
        inputs.push({ action, input });
        const result = script(input);
        if (result === 'fail') throw new Error('ledger unreachable');
        return result;
      },
    },
    action: 'n.record',
    inputOf: (items) => ({ items }),
    settings: SETTINGS,
    logger,
    clock: Date.now,
    what: 'numbers',
    hooks: { onSent: (result, size) => batches.push(`${result}:${size}`) },
  });
  return { log, lines, inputs, batches };
}

describe('LedgerBatchLog', () => {
  it('sends full batches as the action with its input, and drains the rest on shutdown', async () => {
    const { log, inputs, batches, lines } = harness(() => ({ status: 'RECORDED' }));
    log.onApplicationBootstrap();
    for (const n of [1, 2, 3]) log.enqueue(n);
    await log.onModuleDestroy();
    expect(inputs).toEqual([
      { action: 'n.record', input: { items: [1, 2] } },
      { action: 'n.record', input: { items: [3] } },
    ]);
    expect(batches).toEqual(['recorded:2', 'recorded:1']);
    expect(lines.filter((l) => l.level >= 40)).toEqual([]);
  });

  it('logs a failed batch, sends it again, and names what a shutdown could not send', async () => {
    let failures = 1;
    const { log, inputs, lines } = harness(() => (failures-- > 0 ? 'fail' : { status: 'RECORDED' }));
    log.enqueue(7);
    await log.log.flush();
    expect(lines.at(-1)).toMatchObject({
      level: 40,
      action: 'n.record',
      msg: 'n.record batch failed; will retry',
    });
    await log.onModuleDestroy();
    expect(inputs.map((i) => i.input)).toEqual([{ items: [7] }, { items: [7] }]);

    const down = harness(() => 'fail');
    down.log.enqueue(1);
    down.log.enqueue(2);
    await down.log.onModuleDestroy();
    expect(down.lines.at(-1)).toMatchObject({
      level: 50,
      left: 2,
      msg: 'shutdown: 2 numbers could not be recorded on the chain',
    });
  });
});
