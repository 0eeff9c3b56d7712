import { NameKind } from './errors.js';
import { assertName } from './names.js';

/** Every subject starts with this token, then the channel: `civic.<channel>.…`. */
export const SUBJECT_ROOT = 'civic';

/**
 * Queue groups: subscribers in the same group share the messages of a subject, one of them
 * answers each request. Any orderer admits a submitted transaction (followers forward to the
 * leader), any orderer or peer can serve a `.deliver` repair, and the instances of one
 * organisation's domain service share its `.endorse.<mspId>` requests.
 */
export const QueueGroup = {
  ORDERERS: 'orderers',
  DELIVERERS: 'deliverers',
  ENDORSERS: 'endorsers',
} as const;
export type QueueGroup = (typeof QueueGroup)[keyof typeof QueueGroup];

/** The three JetStream streams of a channel. */
export interface ChannelStreamNames {
  /** `CIVIC_<CHANNEL>_BLOCKS`: one committed block per message, stream sequence = number + 1. */
  readonly blocks: string;
  /** `CIVIC_<CHANNEL>_COMMITS`: commit receipts of every peer. */
  readonly commits: string;
  /** `CIVIC_<CHANNEL>_EVENTS`: domain events of valid transactions. */
  readonly events: string;
}

/** The subjects of one channel (DESIGN.md, "Subjects and streams"). */
export interface ChannelSubjects {
  readonly channel: string;
  /** Request/reply, queue group `orderers`: envelope → SubmitReply. */
  readonly txSubmit: string;
  /** Request/reply to orderer `nodeId` alone: a follower hands an envelope to the leader. */
  txForward(nodeId: string): string;
  /** Plain: Raft messages addressed to orderer `nodeId`. */
  raft(nodeId: string): string;
  /** Wildcard over the Raft inboxes of every orderer (monitoring). */
  readonly raftAll: string;
  /** Request/reply, queue group `deliverers`: `{from, to?}` → blocks (repair path). */
  readonly deliver: string;
  /** JetStream, stream `blocks`: one committed block per message. */
  readonly blocks: string;
  /** JetStream, stream `commits`: commit receipts published by peer `peerId`. */
  commits(peerId: string): string;
  /** Wildcard over every peer's commit receipts (the commits stream's subject). */
  readonly commitsAll: string;
  /** JetStream, stream `events`: events of `type` in `namespace`. */
  events(namespace: string, type: string): string;
  /** Wildcard over every event type of one namespace. */
  eventsOf(namespace: string): string;
  /** Wildcard over every event of the channel (the events stream's subject). */
  readonly eventsAll: string;
  /** Request/reply, queue group `endorsers`: payload → endorsement or refusal. */
  endorse(mspId: string): string;
  /** Request/reply: state, history, block, tx and proof queries to peer `peerId`. */
  query(peerId: string): string;
  /** The names of the channel's three JetStream streams. */
  readonly streams: ChannelStreamNames;
}

/** `CIVIC_<CHANNEL>_<KIND>`: the channel uppercased, `-` turned into `_`. */
export function streamNames(channel: string): ChannelStreamNames {
  const token = assertName(NameKind.CHANNEL, channel).toUpperCase().replaceAll('-', '_');
  return {
    blocks: `CIVIC_${token}_BLOCKS`,
    commits: `CIVIC_${token}_COMMITS`,
    events: `CIVIC_${token}_EVENTS`,
  };
}

/**
 * Every subject of a channel. The channel is validated here, each name passed to a subject
 * function is validated when it is called: a bad name throws InvalidNameError and never
 * becomes a subject with a stray wildcard or dot in it.
 */
export function subjects(channel: string): ChannelSubjects {
  const prefix = `${SUBJECT_ROOT}.${assertName(NameKind.CHANNEL, channel)}`;
  return {
    channel,
    txSubmit: `${prefix}.tx.submit`,
    txForward: (nodeId) => `${prefix}.tx.forward.${assertName(NameKind.NODE_ID, nodeId)}`,
    raft: (nodeId) => `${prefix}.raft.${assertName(NameKind.NODE_ID, nodeId)}`,
    raftAll: `${prefix}.raft.*`,
    deliver: `${prefix}.deliver`,
    blocks: `${prefix}.blocks`,
    commits: (peerId) => `${prefix}.commits.${assertName(NameKind.PEER_ID, peerId)}`,
    commitsAll: `${prefix}.commits.>`,
    events: (namespace, type) =>
      `${prefix}.events.${assertName(NameKind.NAMESPACE, namespace)}.${assertName(NameKind.EVENT_TYPE, type)}`,
    eventsOf: (namespace) => `${prefix}.events.${assertName(NameKind.NAMESPACE, namespace)}.>`,
    eventsAll: `${prefix}.events.>`,
    endorse: (mspId) => `${prefix}.endorse.${assertName(NameKind.MSP_ID, mspId)}`,
    query: (peerId) => `${prefix}.query.${assertName(NameKind.PEER_ID, peerId)}`,
    streams: streamNames(channel),
  };
}
