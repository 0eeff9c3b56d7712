/**
 * Recomputing a peer's commit hash chain (docs/protocol.md, "Commit hash") from its blocks
 * and codes, to compare with what it reports. Browser-safe.
 */
import { commitHashOf, ValidationCode, ZERO_HASH_HEX, type Hex } from '@civic/protocol';
import { ClientArgumentError } from './errors.js';

const CODES: ReadonlySet<string> = new Set(Object.values(ValidationCode));

/**
 * The receipt's `{txId: code}` object from the block's txIds and a code per envelope (in
 * envelope order): a txId repeated in a block keeps the code of its first occurrence.
 */
export function codesByTxId(txIds: readonly Hex[], codes: readonly string[]): Record<Hex, ValidationCode> {
  if (txIds.length !== codes.length) {
    throw new ClientArgumentError(`codesByTxId: ${txIds.length} transactions but ${codes.length} codes`);
  }
  const out: Record<Hex, ValidationCode> = {};
  txIds.forEach((txId, i) => {
    const code = codes[i] as string;
    if (!CODES.has(code))
      throw new ClientArgumentError(`codesByTxId: ${String(code)} is not a validation code`);
    if (!(txId in out)) out[txId] = code as ValidationCode;
  });
  return out;
}

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
