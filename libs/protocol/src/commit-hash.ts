/**
 * The peer's commit hash (docs/protocol.md, "Commit hash"):
 * `commitHash(n) = hex(SHA-256(raw(commitHash(n-1)) ‖ raw(blockHash(n)) ‖ JCS(codes(n))))`,
 * with 64 zeros before block 0. Two peers with the same chain agree at every height.
 */
import { canonicalBytes } from './canonical-json.js';
import { sha256 } from './hash.js';
import { fromHex, isHex, toHex } from './hex.js';
import type { Hex, ValidationCode } from './types.js';
import { ValidationCode as Codes } from './types.js';

const CODES: ReadonlySet<string> = new Set(Object.values(Codes));

export function commitHashOf(
  previousCommitHash: Hex,
  blockHash: Hex,
  codes: Readonly<Record<Hex, ValidationCode>>,
): Hex {
  if (!isHex(previousCommitHash, 32) || !isHex(blockHash, 32)) {
    throw new TypeError('commitHashOf: previous commit hash and block hash must be 64 lowercase hex digits');
  }
  if (codes === null || typeof codes !== 'object' || Array.isArray(codes))
    throw new TypeError('commitHashOf: codes object expected');
  for (const [txId, code] of Object.entries(codes)) {
    if (!isHex(txId, 32) || !CODES.has(code))
      throw new TypeError(`commitHashOf: bad entry ${txId}: ${String(code)}`);
  }
  return toHex(sha256(fromHex(previousCommitHash), fromHex(blockHash), canonicalBytes(codes)));
}

/**
 * The `{txId: code}` object of a block that the commit hash and the commit receipt carry, from
 * the block's txIds and one code per envelope, in envelope order. A txId repeated in the block
 * keeps the code of its FIRST occurrence (later ones are DUPLICATE_TXID and do not overwrite it).
 * Throws TypeError when the lists differ in length or a code is not a validation code.
 */
export function codesByTxId(txIds: readonly Hex[], codes: readonly string[]): Record<Hex, ValidationCode> {
  if (!Array.isArray(txIds) || !Array.isArray(codes) || txIds.length !== codes.length) {
    throw new TypeError(
      `codesByTxId: ${String(txIds?.length)} transactions but ${String(codes?.length)} codes`,
    );
  }
  const byTxId: Record<Hex, ValidationCode> = {};
  txIds.forEach((txId, i) => {
    const code = codes[i];
    if (!CODES.has(code as string))
      throw new TypeError(`codesByTxId: ${String(code)} is not a validation code`);
    if (!Object.hasOwn(byTxId, txId)) byTxId[txId] = code as ValidationCode;
  });
  return byTxId;
}
