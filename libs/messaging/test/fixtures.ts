import type { Block, CommitReceipt } from '@civic/protocol';
import { createHash } from 'node:crypto';

/** A hex string of 64 characters derived from `seed` (not a real hash of anything). */
export function hex64(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

/**
 * A block-shaped object for messaging tests: the library does not verify blocks (peers do),
 * it only needs the header's channel and number. `padBytes` makes it as large as wanted.
 */
export function makeBlock(channel: string, number: number, padBytes = 0): Block {
  return {
    header: {
      channel,
      number,
      previousHash: number === 0 ? '0'.repeat(64) : hex64(`${channel}:${number - 1}`),
      dataHash: hex64(`data:${number}`),
      txCount: 0,
      time: new Date(Date.UTC(2026, 10, 28, 10, 0, number)).toISOString(),
    },
    envelopes: [],
    metadata: {
      signatures:
        padBytes > 0
          ? [{ nodeId: 'o1', mspId: 'Orderers', cert: 'A'.repeat(padBytes), signature: hex64('s') }]
          : [],
      raft: { term: 1, index: number + 1 },
      configNumber: 0,
    },
  };
}

export function makeReceipt(number: number): CommitReceipt {
  return {
    number,
    blockHash: hex64(`b${number}`),
    commitHash: hex64(`c${number}`),
    codes: { [hex64(`tx${number}`)]: 'VALID' },
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
