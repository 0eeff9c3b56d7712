/**
 * The grammars of names in the wire contract (docs/protocol.md, "Names"). Channel, mspId,
 * namespace and nodeId never hold `.`, `*`, `>` or whitespace, so each is one NATS subject
 * token; an event type is one to eight dot-separated tokens (`config.updated`).
 */
export const NamePattern = {
  CHANNEL: /^[a-z][a-z0-9-]{0,47}$/,
  MSP_ID: /^[A-Za-z][A-Za-z0-9-]{0,63}$/,
  NAMESPACE: /^[a-z][a-z0-9-]{0,63}$/,
  NODE_ID: /^[a-z0-9][a-z0-9-]{0,63}$/,
  /** A payload's action; endorsement policies are configured per action. */
  ACTION: /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
  /** A domain event's type, at most 128 characters in all. */
  EVENT_TYPE: /^[A-Za-z0-9_-]{1,64}(\.[A-Za-z0-9_-]{1,64}){0,7}$/,
  /** A private data collection: the namespace grammar. */
  COLLECTION: /^[a-z][a-z0-9-]{0,63}$/,
} as const;
export type NameKind = keyof typeof NamePattern;

/** Longest event type, so that `civic.<channel>.events.<namespace>.<type>` stays short. */
export const EVENT_TYPE_CHARS_MAX = 128;

/** True when `value` matches the grammar of `kind`. */
export function isName(kind: NameKind, value: unknown): value is string {
  const pattern = NamePattern[kind];
  if (pattern === undefined) throw new TypeError(`isName: unknown name kind ${String(kind)}`);
  if (typeof value !== 'string' || !pattern.test(value)) return false;
  return kind !== 'EVENT_TYPE' || value.length <= EVENT_TYPE_CHARS_MAX;
}
