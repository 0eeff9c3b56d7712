/**
 * Recomputing a peer's commit hash chain (docs/protocol.md, "Commit hash") from its blocks
 * and codes, to compare with what it reports. Browser-safe. The receipt's `{txId: code}` object
 * comes from protocol's `codesByTxId` (re-exported here).
 */
export { codesByTxId } from '@civic/protocol';
import { commitHashOf, ZERO_HASH_HEX, type Hex, type ValidationCode } from '@civic/protocol';
import { ClientArgumentError } from './errors.js';

/** The commit hash chain, one block at a time: 64 zeros before block 0. */
export class CommitHashChain {
  #hash: Hex;
  #next: number;

  constructor(start: { readonly number: number; readonly commitHash: Hex } | null = null) {
    this.#hash = start?.commitHash ?? ZERO_HASH_HEX;
    this.#next = start === null ? 0 : start.number + 1;
  }

  /** The commit hash after the last block added (64 zeros before block 0). */
  get commitHash(): Hex {
    return this.#hash;
  }

  /** Number of the next block to add. */
  get nextNumber(): number {
    return this.#next;
  }

  /** Adds block `number` (must be the next) with its hash and codes; returns the new commit hash. */
  add(number: number, blockHash: Hex, codes: Readonly<Record<Hex, ValidationCode>>): Hex {
    if (number !== this.#next) {
      throw new ClientArgumentError(`CommitHashChain: block ${number} given, block ${this.#next} expected`);
    }
    this.#hash = commitHashOf(this.#hash, blockHash, codes);
    this.#next += 1;
    return this.#hash;
  }
}
