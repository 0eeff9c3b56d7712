import { nanos } from '@nats-io/nats-core';
import { DiscardPolicy, RetentionPolicy, StorageType, type StreamConfig } from '@nats-io/jetstream';
import { MessagingArgumentError } from './errors.js';
import { DEFAULT_MAX_PAYLOAD_BYTES } from './payload-limit.js';
import { streamNames, subjects } from './subjects.js';

/** Retention limits of one stream. Unset = unlimited: the chain and its receipts are kept. */
export interface StreamLimits {
  /** Messages kept at most; -1 (default) unlimited. */
  readonly maxMsgs?: number;
  /** Bytes kept at most; -1 (default) unlimited. */
  readonly maxBytes?: number;
  /** Age after which messages are removed; 0 (default) never. */
  readonly maxAgeMs?: number;
  /**
   * At a limit, `old` (default) removes the oldest messages, `new` refuses new ones. `old`
   * keeps blocks flowing; peers that need removed blocks repair through `.deliver` from the
   * orderers' block store (the source of truth). `new` would stop the chain's distribution.
   */
  readonly discard?: 'old' | 'new';
}

export interface ChannelStreamOptions {
  /** Copies of each message in a cluster: 1 (default) on one server, 3 on a 3-node cluster. */
  readonly replicas?: number;
  /**
   * How long the server remembers msg ids to drop re-published duplicates. Default 120 000
   * ms (NATS's own default): covers a retry after an ambiguous publish timeout. Blocks are
   * fenced by sequence besides, so they stay exactly-once beyond the window; a longer window
   * costs server memory per message.
   */
  readonly duplicateWindowMs?: number;
  /**
   * Largest message a stream accepts, headers included. Default: the server's max_payload
   * (read from the connection, else 1 MiB), so that whatever reaches the server is stored.
   */
  readonly maxMsgBytes?: number;
  /** `file` (default): blocks survive a server restart. `memory` only for throwaway benches. */
  readonly storage?: 'file' | 'memory';
  /**
   * Refuse deleting or purging single messages through the API (default true): nothing
   * published is rewritten. Cannot be turned off once on; deleting the stream stays possible.
   */
  readonly denyDeleteAndPurge?: boolean;
  readonly blocks?: StreamLimits;
  readonly commits?: StreamLimits;
  readonly events?: StreamLimits;
}

export const STREAM_DEFAULTS = {
  replicas: 1,
  duplicateWindowMs: 120_000,
  storage: 'file',
  denyDeleteAndPurge: true,
} as const;

/** The settings this library owns on a stream (the rest stay at the server's defaults). */
export type ManagedStreamConfig = Pick<
  StreamConfig,
  | 'name'
  | 'description'
  | 'subjects'
  | 'retention'
  | 'storage'
  | 'num_replicas'
  | 'max_msgs'
  | 'max_bytes'
  | 'max_age'
  | 'discard'
  | 'duplicate_window'
  | 'max_msg_size'
  | 'allow_direct'
  | 'deny_delete'
  | 'deny_purge'
>;

export interface ChannelStreamConfigs {
  readonly blocks: ManagedStreamConfig;
  readonly commits: ManagedStreamConfig;
  readonly events: ManagedStreamConfig;
}

function positiveInteger(what: string, value: number, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new MessagingArgumentError(`stream option ${what} must be an integer >= ${min}, got ${value}`);
  }
  return value;
}

function limitOrUnlimited(what: string, value: number | undefined): number {
  if (value === undefined || value === -1) return -1;
  return positiveInteger(what, value, 1);
}

function streamConfig(
  name: string,
  description: string,
  subject: string,
  limits: StreamLimits,
  options: ChannelStreamOptions,
): ManagedStreamConfig {
  const maxAgeMs =
    limits.maxAgeMs === undefined ? 0 : positiveInteger(`${name} maxAgeMs`, limits.maxAgeMs, 0);
  let duplicateWindowMs = positiveInteger(
    'duplicateWindowMs',
    options.duplicateWindowMs ?? STREAM_DEFAULTS.duplicateWindowMs,
    1,
  );
  // The server refuses a duplicate window longer than the messages live.
  if (maxAgeMs > 0) duplicateWindowMs = Math.min(duplicateWindowMs, maxAgeMs);
  const deny = options.denyDeleteAndPurge ?? STREAM_DEFAULTS.denyDeleteAndPurge;
  return {
    name,
    description,
    subjects: [subject],
    retention: RetentionPolicy.Limits,
    storage:
      (options.storage ?? STREAM_DEFAULTS.storage) === 'memory' ? StorageType.Memory : StorageType.File,
    num_replicas: positiveInteger('replicas', options.replicas ?? STREAM_DEFAULTS.replicas, 1),
    max_msgs: limitOrUnlimited(`${name} maxMsgs`, limits.maxMsgs),
    max_bytes: limitOrUnlimited(`${name} maxBytes`, limits.maxBytes),
    max_age: nanos(maxAgeMs),
    discard: limits.discard === 'new' ? DiscardPolicy.New : DiscardPolicy.Old,
    duplicate_window: nanos(duplicateWindowMs),
    max_msg_size: positiveInteger('maxMsgBytes', options.maxMsgBytes ?? DEFAULT_MAX_PAYLOAD_BYTES, 1),
    // Integrators may read single blocks from any replica without a consumer.
    allow_direct: true,
    deny_delete: deny,
    deny_purge: deny,
  };
}

/** The configuration of a channel's three streams (pure: no I/O). */
export function channelStreamConfigs(
  channel: string,
  options: ChannelStreamOptions = {},
): ChannelStreamConfigs {
  const names = streamNames(channel);
  const s = subjects(channel);
  return {
    blocks: streamConfig(
      names.blocks,
      `Civic Ledger ${channel}: committed blocks`,
      s.blocks,
      options.blocks ?? {},
      options,
    ),
    commits: streamConfig(
      names.commits,
      `Civic Ledger ${channel}: peers' commit receipts`,
      s.commitsAll,
      options.commits ?? {},
      options,
    ),
    events: streamConfig(
      names.events,
      `Civic Ledger ${channel}: events of valid transactions`,
      s.eventsAll,
      options.events ?? {},
      options,
    ),
  };
}
