import type { Block } from './types.js';

/**
 * The argument check of the functions that take a parsed block (package-internal): a
 * TypeError naming the caller when it is not one (a programming error, not bad data: bad data
 * is refused by parseBlock).
 */
export function assertBlock(block: Block, what: string): void {
  if (
    block === null ||
    typeof block !== 'object' ||
    !block.header ||
    !block.metadata ||
    !Array.isArray(block.envelopes)
  ) {
    throw new TypeError(`${what}: parsed block expected`);
  }
}
