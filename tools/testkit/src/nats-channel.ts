import {
  closeNats,
  connectNats,
  deleteStreams,
  ensureStreams,
  subjects,
  type ChannelStreamOptions,
  type ChannelStreamsInfo,
  type ChannelSubjects,
} from '@civic/messaging';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { uniqueChannel } from './names.js';
import { natsUrl } from './nats.js';

/** A channel of its own on a NATS server, with its three streams, for one test. */
export interface TestChannel {
  readonly channel: string;
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly subjects: ChannelSubjects;
  readonly streams: ChannelStreamsInfo;
  /** Deletes the channel's streams and drains the connection. Idempotent. */
  cleanup(): Promise<void>;
}

export interface TestChannelOptions {
  /** Server(s); default {@link natsUrl}. */
  readonly url?: string | readonly string[];
  /** Stream settings (replicas, limits, duplicate window). */
  readonly streams?: ChannelStreamOptions;
}

/** Creates a unique channel's streams on the local (or given) NATS server. */
export async function createTestChannel(options: TestChannelOptions = {}): Promise<TestChannel> {
  const channel = uniqueChannel();
  const nc = await connectNats({ url: options.url ?? natsUrl(), name: `test-${channel}` });
  try {
    const jsm = await jetstreamManager(nc);
    const js = jetstream(nc);
    const streams = await ensureStreams(jsm, channel, options.streams);
    let cleaned = false;
    return {
      channel,
      nc,
      js,
      jsm,
      subjects: subjects(channel),
      streams,
      async cleanup() {
        if (cleaned) return;
        cleaned = true;
        try {
          await deleteStreams(jsm, channel);
        } finally {
          await closeNats(nc);
        }
      },
    };
  } catch (err) {
    await closeNats(nc);
    throw err;
  }
}
