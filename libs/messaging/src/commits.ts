import type { CommitReceipt } from '@civic/protocol';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { Context } from '@opentelemetry/api';
import { decodeJson, JsonEncoding } from './codec.js';
import { MessagingArgumentError } from './errors.js';
import { publishToStream, type StreamPubAck } from './stream-publish.js';
import { streamNames, subjects } from './subjects.js';

/** Msg id of peer `peerId`'s receipt for block `number`: `<channel>:<peerId>:<number>`. */
export function commitMsgId(channel: string, peerId: string, number: number): string {
  return `${channel}:${peerId}:${number}`;
}

export interface PublishCommitOptions {
  /** Wait for the server's ack. Default 5000 ms. */
  readonly timeoutMs?: number;
  /** Trace context to propagate; default: the active one. */
  readonly context?: Context;
}

/**
 * Publishes a peer's commit receipt on `civic.<channel>.commits.<peerId>`, canonical JSON,
 * msg id `<channel>:<peerId>:<number>`: a re-publish within the duplicate window (a retry,
 * a restart right after the commit) is dropped by the server. Each peer is the only writer
 * of its subject; after a longer outage it asks {@link lastCommitReceipt} where it stopped.
 */
export async function publishCommit(
  js: JetStreamClient,
  channel: string,
  peerId: string,
  receipt: CommitReceipt,
  options: PublishCommitOptions = {},
): Promise<StreamPubAck> {
  const subject = subjects(channel).commits(peerId);
  const number = receipt?.number;
  if (!Number.isSafeInteger(number) || number < 0) {
    throw new MessagingArgumentError(
      `publishCommit on ${subject}: receipt number must be an integer >= 0, got ${number}`,
    );
  }
  return publishToStream(js, subject, receipt, {
    ...options,
    stream: streamNames(channel).commits,
    encoding: JsonEncoding.CANONICAL,
    msgId: commitMsgId(channel, peerId, number),
  });
}

/** The last receipt peer `peerId` published on the channel, or null when it published none. */
export async function lastCommitReceipt(
  jsm: JetStreamManager,
  channel: string,
  peerId: string,
): Promise<CommitReceipt | null> {
  const subject = subjects(channel).commits(peerId);
  const stored = await jsm.streams.getMessage(streamNames(channel).commits, { last_by_subj: subject });
  return stored === null ? null : decodeJson<CommitReceipt>(stored.data, subject);
}
