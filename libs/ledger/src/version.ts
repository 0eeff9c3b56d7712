import { isVersion } from '@civic/protocol';

/**
 * State versions: `"<block number>:<tx index in block>"` of the last valid write of a key
 * (docs/protocol.md); null = the key is absent. `isVersion` (protocol) checks the form.
 */
export function formatVersion(block: number, txIndex: number): string {
  if (!Number.isSafeInteger(block) || block < 0 || !Number.isSafeInteger(txIndex) || txIndex < 0) {
    throw new RangeError(`formatVersion: block ${block}, tx ${txIndex} must be non-negative integers`);
  }
  return `${block}:${txIndex}`;
}

/** The block of a version (the audit names it), or null when the text is not a version. */
export function versionBlock(version: string): number | null {
  return isVersion(version) ? Number(version.slice(0, version.indexOf(':'))) : null;
}
