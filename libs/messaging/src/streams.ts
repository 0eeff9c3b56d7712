import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import type { JetStreamManager, StreamConfig, StreamInfo } from '@nats-io/jetstream';
import { connectionOf } from './connection-of.js';
import { StreamConfigConflictError } from './errors.js';
import { maxPayloadBytes } from './payload-limit.js';
import {
  channelStreamConfigs,
  type ChannelStreamOptions,
  type ManagedStreamConfig,
} from './stream-config.js';
import { streamNames } from './subjects.js';

export interface ChannelStreamsInfo {
  readonly blocks: StreamInfo;
  readonly commits: StreamInfo;
  readonly events: StreamInfo;
}

/** JetStream's "stream name already in use with a different configuration". */
const STREAM_NAME_IN_USE = 10058;

/** Settings that no update can change. */
const IMMUTABLE_FIELDS = ['storage', 'retention'] as const;
/** Settings that can be turned on but never off again. */
const ONE_WAY_FIELDS = ['deny_delete', 'deny_purge'] as const;

/** True for JetStream's "stream not found" (err_code 10059). */
export function isStreamNotFound(err: unknown): boolean {
  return err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The managed fields in which `existing` differs from `wanted` (pure). Throws
 * {@link StreamConfigConflictError} for a difference no update can make.
 */
export function streamConfigChanges(existing: Partial<StreamConfig>, wanted: ManagedStreamConfig): string[] {
  for (const field of IMMUTABLE_FIELDS) {
    if (!sameValue(existing[field], wanted[field])) {
      throw new StreamConfigConflictError(wanted.name, field, existing[field], wanted[field]);
    }
  }
  for (const field of ONE_WAY_FIELDS) {
    if (existing[field] === true && wanted[field] === false) {
      throw new StreamConfigConflictError(wanted.name, field, true, false);
    }
  }
  return (Object.keys(wanted) as (keyof ManagedStreamConfig)[]).filter(
    (field) => !sameValue(existing[field], wanted[field]),
  );
}

async function streamInfoOrNull(jsm: JetStreamManager, name: string): Promise<StreamInfo | null> {
  try {
    return await jsm.streams.info(name);
  } catch (err) {
    if (isStreamNotFound(err)) return null;
    throw err;
  }
}

/** Creates the stream, or updates the managed fields that differ; never touches the rest. */
export async function ensureStream(jsm: JetStreamManager, wanted: ManagedStreamConfig): Promise<StreamInfo> {
  const existing = await streamInfoOrNull(jsm, wanted.name);
  if (existing === null) {
    try {
      return await jsm.streams.add({ ...wanted, subjects: [...wanted.subjects] });
    } catch (err) {
      // Another process created it between our info and add: reconcile with what it made.
      if (!(err instanceof JetStreamApiError && err.code === STREAM_NAME_IN_USE)) throw err;
      return ensureStream(jsm, wanted);
    }
  }
  if (streamConfigChanges(existing.config, wanted).length === 0) return existing;
  return jsm.streams.update(wanted.name, { ...existing.config, ...wanted, subjects: [...wanted.subjects] });
}

/**
 * Creates or updates a channel's BLOCKS, COMMITS and EVENTS streams, idempotently: calling it
 * from every orderer and peer at start is safe. `maxMsgBytes` defaults to the connected
 * server's max_payload.
 */
export async function ensureStreams(
  jsm: JetStreamManager,
  channel: string,
  options: ChannelStreamOptions = {},
): Promise<ChannelStreamsInfo> {
  const maxMsgBytes = options.maxMsgBytes ?? maxPayloadBytes(connectionOf(jsm));
  const configs = channelStreamConfigs(channel, { ...options, maxMsgBytes });
  return {
    blocks: await ensureStream(jsm, configs.blocks),
    commits: await ensureStream(jsm, configs.commits),
    events: await ensureStream(jsm, configs.events),
  };
}

/** Deletes a channel's streams (tests, tear-down); missing ones are skipped. Returns those deleted. */
export async function deleteStreams(jsm: JetStreamManager, channel: string): Promise<string[]> {
  const names = streamNames(channel);
  const deleted: string[] = [];
  for (const name of [names.blocks, names.commits, names.events]) {
    try {
      await jsm.streams.delete(name);
      deleted.push(name);
    } catch (err) {
      if (!isStreamNotFound(err)) throw err;
    }
  }
  return deleted;
}

/** The stream's last sequence (0 when it never held a message), as its leader reports it. */
export async function streamLastSequence(jsm: JetStreamManager, stream: string): Promise<number> {
  const info = await jsm.streams.info(stream);
  return info.state.last_seq;
}
