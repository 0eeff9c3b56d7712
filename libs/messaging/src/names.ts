import { InvalidNameError, NameKind } from './errors.js';

/**
 * The grammars of the names that become subject tokens. Channel, mspId, namespace and nodeId
 * are those of docs/protocol.md; a peer is a node, so a peerId follows the nodeId grammar.
 * None of them can hold `.`, `*`, `>` or whitespace, so a name is always exactly one token.
 *
 * Event types are the exception: the contract writes them with dots (`config.updated`,
 * `grant.approved`), so an event type is one to eight dot-separated tokens of letters, digits,
 * `_` and `-`. Subscribers match all types of a namespace with `….events.<namespace>.>`.
 */
export const NamePattern = {
  [NameKind.CHANNEL]: /^[a-z][a-z0-9-]{0,47}$/,
  [NameKind.NODE_ID]: /^[a-z0-9][a-z0-9-]{0,63}$/,
  [NameKind.PEER_ID]: /^[a-z0-9][a-z0-9-]{0,63}$/,
  [NameKind.MSP_ID]: /^[A-Za-z][A-Za-z0-9-]{0,63}$/,
  [NameKind.NAMESPACE]: /^[a-z][a-z0-9-]{0,63}$/,
  [NameKind.EVENT_TYPE]: /^[A-Za-z0-9_-]{1,64}(\.[A-Za-z0-9_-]{1,64}){0,7}$/,
  /** JetStream consumer names: no `.`, `*`, `>`, whitespace or path separators. */
  [NameKind.DURABLE]: /^[A-Za-z0-9_-]{1,128}$/,
} as const satisfies Record<NameKind, RegExp>;

/** Longest event type accepted, so that a subject stays well below NATS limits. */
const EVENT_TYPE_CHARS_MAX = 128;

/** Returns `value` when it matches the grammar of `kind`; throws {@link InvalidNameError} otherwise. */
export function assertName(kind: NameKind, value: unknown): string {
  const pattern = NamePattern[kind];
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new InvalidNameError(kind, value, pattern.source);
  }
  if (kind === NameKind.EVENT_TYPE && value.length > EVENT_TYPE_CHARS_MAX) {
    throw new InvalidNameError(
      kind,
      value,
      `${pattern.source} and at most ${EVENT_TYPE_CHARS_MAX} characters`,
    );
  }
  return value;
}

/** True when `value` matches the grammar of `kind`. */
export function isValidName(kind: NameKind, value: unknown): value is string {
  try {
    assertName(kind, value);
    return true;
  } catch {
    return false;
  }
}
