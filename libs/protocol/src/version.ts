/**
 * State versions (docs/protocol.md, "Transaction payload"): `"<block number>:<tx index>"` of the
 * last valid write of a key; a read of an absent key says null. `isVersion` checks the form.
 */

/** The version a valid write at transaction `txIndex` of block `block` gives its keys. */
export function formatVersion(block: number, txIndex: number): string {
  if (!Number.isSafeInteger(block) || block < 0 || !Number.isSafeInteger(txIndex) || txIndex < 0) {
    throw new RangeError(`formatVersion: block ${block}, tx ${txIndex} must be non-negative integers`);
  }
  return `${block}:${txIndex}`;
}

/**
 * The version of the channel config key while the config of block `configNumber` is in force:
 * a config transaction is alone in its block, so it wrote the key at `"<configNumber>:0"`.
 * A config update must read exactly this version.
 */
export function configVersion(configNumber: number): string {
  return formatVersion(configNumber, 0);
}
