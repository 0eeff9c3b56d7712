import type { Block } from '@civic/protocol';
import { PubHeaders, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { Context } from '@opentelemetry/api';
import { decodeJson, encodeJson, JsonEncoding } from './codec.js';
import { MessagingArgumentError, StreamContentError, WrongLastSequenceError } from './errors.js';
import { publishBytesToStream, type StreamPubAck } from './stream-publish.js';
import { streamLastSequence } from './streams.js';
import { streamNames, subjects } from './subjects.js';

/** The msg id of block `number` of `channel`: `<channel>:<number>`. */
export function blockMsgId(channel: string, number: number): string {
  return `${channel}:${number}`;
}

/** Stream sequence that holds block `number`: number + 1 (sequences start at 1, blocks at 0). */
export function blockSequence(number: number): number {
  return number + 1;
}

function assertBlockNumber(what: string, number: number): void {
  if (!Number.isSafeInteger(number) || number < 0) {
    throw new MessagingArgumentError(`${what}: block number must be an integer >= 0, got ${number}`);
  }
}

export interface PublishBlockOptions {
  /** Wait for the server's ack. Default 5000 ms. */
  readonly timeoutMs?: number;
  /** Trace context to propagate; default: the active one. */
  readonly context?: Context;
}

/**
 * Publishes a committed block on `civic.<channel>.blocks`, canonical JSON, msg id
 * `<channel>:<number>`, fenced with expected last sequence = number so that the stream
 * sequence is always number + 1 (the block is canonicalised here; {@link publishBlockBytes}
 * sends bytes already canonical). Outcomes:
 * - stored: `{seq: number + 1, duplicate: false}`;
 * - the same msg id within the duplicate window: `{seq: number + 1, duplicate: true}`;
 * - the stream is not at `number` → {@link WrongLastSequenceError}: `alreadyPublished`
 *   (someone published block `number` or later: compare with {@link readBlock}) or `gap`
 *   (blocks before it are missing: publish those first, {@link lastBlockNumber} says which).
 * Other failures are those of {@link publishToStream}.
 */
export async function publishBlock(
  js: JetStreamClient,
  channel: string,
  block: Block,
  options: PublishBlockOptions = {},
): Promise<StreamPubAck> {
  const subject = subjects(channel).blocks;
  const number = block?.header?.number;
  assertBlockNumber(`publishBlock on ${subject}`, number);
  if (block.header.channel !== channel) {
    throw new MessagingArgumentError(
      `publishBlock on ${subject}: block ${number} belongs to channel ${JSON.stringify(block.header.channel)}`,
    );
  }
  return publishBlockBytes(js, channel, number, encodeJson(block, JsonEncoding.CANONICAL, subject), options);
}

/**
 * {@link publishBlock} for a block already in its wire form: `bytes` are block `number` of
 * `channel` as canonical JSON (RFC 8785), e.g. as an orderer's block store holds them, and are
 * sent byte for byte, with the same msg id, fence and outcomes. The caller vouches for the
 * bytes (they are not parsed here: that would cost what this variant saves).
 */
export async function publishBlockBytes(
  js: JetStreamClient,
  channel: string,
  number: number,
  bytes: Uint8Array,
  options: PublishBlockOptions = {},
): Promise<StreamPubAck> {
  const subject = subjects(channel).blocks;
  assertBlockNumber(`publishBlockBytes on ${subject}`, number);
  const stream = streamNames(channel).blocks;
  const ack = await publishBytesToStream(js, subject, bytes, {
    ...options,
    stream,
    msgId: blockMsgId(channel, number),
    expectLastSequence: number,
  });
  // A deduplicated publish reports where the first one went: it must be the same place.
  if (ack.seq !== blockSequence(number)) {
    throw new StreamContentError(
      stream,
      ack.seq,
      `block ${number} acknowledged at sequence ${ack.seq}, expected ${blockSequence(number)}`,
    );
  }
  return ack;
}

/** Number of the last block in the channel's stream, or null when the stream is empty. */
export async function lastBlockNumber(jsm: JetStreamManager, channel: string): Promise<number | null> {
  const lastSeq = await streamLastSequence(jsm, streamNames(channel).blocks);
  return lastSeq === 0 ? null : lastSeq - 1;
}

/**
 * Block `number` as the stream holds it, or null when the stream does not have it (not yet
 * published, or removed by a retention limit). Reads through the stream leader (not a direct
 * get), so a new leader sees every acknowledged block. Throws {@link StreamContentError} when
 * the message at that sequence is not that block.
 */
export async function readBlock(
  jsm: JetStreamManager,
  channel: string,
  number: number,
): Promise<Block | null> {
  assertBlockNumber(`readBlock of ${channel}`, number);
  const stream = streamNames(channel).blocks;
  const seq = blockSequence(number);
  const stored = await jsm.streams.getMessage(stream, { seq });
  if (stored === null) return null;
  const msgId = stored.header?.get(PubHeaders.MsgIdHdr) ?? '';
  if (msgId !== blockMsgId(channel, number)) {
    throw new StreamContentError(
      stream,
      seq,
      `msg id is ${JSON.stringify(msgId)}, expected ${JSON.stringify(blockMsgId(channel, number))}`,
    );
  }
  const block = decodeJson<Block>(stored.data, stored.subject);
  if (block?.header?.number !== number || block.header.channel !== channel) {
    throw new StreamContentError(
      stream,
      seq,
      `holds block ${String(block?.header?.number)} of ${String(block?.header?.channel)}`,
    );
  }
  return block;
}

/**
 * Publishes the blocks the stream lacks, in order, taking them from `source` (the orderer's
 * block store) — what a new leader does before publishing its own. Returns how many it
 * published. Stops after `countMax` rounds (a bound per call) and tolerates a concurrent
 * publisher: a block someone else published meanwhile is skipped, not duplicated.
 */
export async function publishMissingBlocks(
  js: JetStreamClient,
  jsm: JetStreamManager,
  channel: string,
  throughNumber: number,
  source: (number: number) => Promise<Block>,
  countMax = 10_000,
): Promise<number> {
  assertBlockNumber(`publishMissingBlocks of ${channel}`, throughNumber);
  let next = ((await lastBlockNumber(jsm, channel)) ?? -1) + 1;
  let published = 0;
  // Each round publishes a block or moves `next` to the stream's end: `countMax` rounds at most.
  for (let round = 0; round < countMax && next <= throughNumber; round += 1) {
    try {
      const ack = await publishBlock(js, channel, await source(next));
      if (!ack.duplicate) published += 1;
      next += 1;
    } catch (err) {
      if (!(err instanceof WrongLastSequenceError) || err.actualLastSeq < 0) throw err;
      // Someone else is publishing too: continue after what the stream now holds.
      next = err.actualLastSeq;
    }
  }
  return published;
}
