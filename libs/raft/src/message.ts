import { NODE_ID_PATTERN } from './config.js';
import { InvalidMessageError } from './errors.js';
import type { Entry, Message, Snapshot } from './types.js';
import { EntryType, MessageType } from './types.js';

export const MESSAGE_TYPES: readonly MessageType[] = Object.values(MessageType);
const MESSAGE_TYPE_SET: ReadonlySet<string> = new Set(MESSAGE_TYPES);
const ENTRY_TYPES: ReadonlySet<string> = new Set(Object.values(EntryType));

const NO_ENTRIES: readonly Entry[] = Object.freeze([]);

/** A message with every field not given set to its zero value. */
export function makeMessage(
  fields: Partial<Message> & Pick<Message, 'type' | 'from' | 'to' | 'term'>,
): Message {
  return {
    logTerm: 0,
    index: 0,
    entries: NO_ENTRIES,
    commit: 0,
    reject: false,
    rejectHint: 0,
    snapshot: null,
    leaderTransfer: false,
    ...fields,
  };
}

/** The reply type of a vote request type. */
export function voteResponseType(type: MessageType): MessageType {
  return type === MessageType.PreVote ? MessageType.PreVoteResp : MessageType.VoteResp;
}

function fail(message: Message | undefined, what: string): never {
  const where = message === undefined ? '' : ` (${String(message.type)} from ${String(message.from)})`;
  throw new InvalidMessageError(`invalid raft message${where}: ${what}`);
}

function checkCount(message: Message, field: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    fail(message, `${field} must be a non-negative safe integer, got ${String(value)}`);
  }
}

function checkId(message: Message, field: string, id: unknown): void {
  if (typeof id !== 'string' || !NODE_ID_PATTERN.test(id))
    fail(message, `${field} is not a node id: ${JSON.stringify(id)}`);
}

function checkEntry(message: Message, entry: Entry, position: number): void {
  if (entry === null || typeof entry !== 'object') fail(message, `entry ${position} is not an object`);
  checkCount(message, `entries[${position}].term`, entry.term);
  checkCount(message, `entries[${position}].index`, entry.index);
  if (!ENTRY_TYPES.has(entry.type))
    fail(message, `entries[${position}].type is unknown: ${String(entry.type)}`);
  if (!(entry.data instanceof Uint8Array)) fail(message, `entries[${position}].data must be a Uint8Array`);
}

function checkSnapshot(message: Message, snapshot: Snapshot): void {
  const meta = snapshot?.metadata;
  if (meta === undefined || meta === null) fail(message, 'snap message without a snapshot');
  checkCount(message, 'snapshot.index', meta.index);
  checkCount(message, 'snapshot.term', meta.term);
  if (meta.index < 1 || meta.term < 1) fail(message, 'snapshot index and term must be ≥ 1');
  const conf = meta.confState;
  if (!Array.isArray(conf?.voters) || !Array.isArray(conf?.learners))
    fail(message, 'snapshot confState is malformed');
  for (const id of [...conf.voters, ...conf.learners]) {
    if (typeof id !== 'string' || !NODE_ID_PATTERN.test(id))
      fail(message, `snapshot confState has a bad node id ${JSON.stringify(id)}`);
  }
  if (!(snapshot.data instanceof Uint8Array)) fail(message, 'snapshot data must be a Uint8Array');
}

/**
 * Checks a message's shape before it touches any state (input from the network is untrusted).
 * Throws InvalidMessageError naming the first bad field.
 */
export function validateMessage(message: Message): void {
  if (message === null || typeof message !== 'object') fail(undefined, 'not an object');
  if (!MESSAGE_TYPE_SET.has(message.type)) fail(message, `unknown type ${String(message.type)}`);
  checkId(message, 'from', message.from);
  checkId(message, 'to', message.to);
  checkCount(message, 'term', message.term);
  checkCount(message, 'logTerm', message.logTerm);
  checkCount(message, 'index', message.index);
  checkCount(message, 'commit', message.commit);
  checkCount(message, 'rejectHint', message.rejectHint);
  if (typeof message.reject !== 'boolean' || typeof message.leaderTransfer !== 'boolean') {
    fail(message, 'reject and leaderTransfer must be booleans');
  }
  const entries = message.entries;
  if (!Array.isArray(entries)) fail(message, 'entries must be an array');
  let previousTerm = message.logTerm;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as Entry;
    checkEntry(message, entry, i);
    if (entry.index !== message.index + 1 + i)
      fail(message, `entries[${i}].index ${entry.index} should be ${message.index + 1 + i}`);
    if (entry.term > message.term)
      fail(message, `entries[${i}].term ${entry.term} is after the message term ${message.term}`);
    if (entry.term < previousTerm)
      fail(message, `entries[${i}].term ${entry.term} goes back from ${previousTerm}`);
    previousTerm = entry.term;
  }
  if (message.type === MessageType.Snap) checkSnapshot(message, message.snapshot as Snapshot);
}
