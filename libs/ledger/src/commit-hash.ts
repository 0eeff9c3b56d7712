import type { ValidationCode } from '@civic/protocol';

/**
 * The `codes` object of a block that the commit hash and the commit receipt carry:
 * txId → code of its FIRST occurrence in the block (docs/protocol.md, "Commit hash"; later
 * occurrences are DUPLICATE_TXID and do not overwrite it). The hash itself is protocol's
 * `commitHashOf`.
 */
export function codesByTxId(
  txIds: readonly string[],
  codes: readonly ValidationCode[],
): Record<string, ValidationCode> {
  if (txIds.length !== codes.length)
    throw new TypeError(`codesByTxId: ${txIds.length} txIds but ${codes.length} codes`);
  const byTxId: Record<string, ValidationCode> = {};
  txIds.forEach((txId, i) => {
    if (!Object.hasOwn(byTxId, txId)) byTxId[txId] = codes[i] as ValidationCode;
  });
  return byTxId;
}
