import { isVersion } from '@civic/protocol';

/**
 * State versions: `"<block number>:<tx index in block>"` of the last valid write of a key
 * (docs/protocol.md); null = the key is absent. protocol's `formatVersion` makes one and
 * `isVersion` checks the form.
 */

/** The block of a version (the audit names it), or null when the text is not a version. */
export function versionBlock(version: string): number | null {
  return isVersion(version) ? Number(version.slice(0, version.indexOf(':'))) : null;
}
