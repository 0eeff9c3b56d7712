import type { NatsConnection, Subscription } from '@nats-io/nats-core';
import { subjects } from '@civic/messaging';
import { decodeMessage, encodeMessage, type Message } from '@civic/raft';
import type { Logger } from 'pino';

/**
 * Raft messages over NATS: each node subscribes to `civic.<channel>.raft.<nodeId>` and
 * publishes a message for `to` on `….raft.<to>`, in raft's binary codec (entry data travel as
 * raw bytes; the codec bounds a message's size below NATS's 1 MiB payload). Core NATS is
 * at-most-once, which Raft tolerates: a lost message is retried by heartbeats and probes.
 * Decoding happens in the subscription callback and stepping is synchronous, so messages are
 * stepped in arrival order.
 */
export class RaftTransport {
  private sub: Subscription | null = null;
  private sent = 0;
  private received = 0;
  private dropped = 0;
  /** When a message from each node last arrived (epoch ms). */
  private readonly lastHeardMs = new Map<string, number>();

  constructor(
    private readonly nc: NatsConnection,
    private readonly channel: string,
    private readonly nodeId: string,
    private readonly onMessage: (message: Message) => void,
    private readonly log: Logger,
  ) {}

  start(): void {
    const subject = subjects(this.channel).raft(this.nodeId);
    this.sub = this.nc.subscribe(subject, {
      callback: (error, msg) => {
        if (error !== null) {
          this.log.warn({ err: error }, 'raft subscription error');
          return;
        }
        let message: Message;
        try {
          message = decodeMessage(msg.data);
        } catch (err) {
          this.dropped += 1;
          this.log.warn({ err, bytes: msg.data.length }, 'dropping an undecodable raft message');
          return;
        }
        this.received += 1;
        this.lastHeardMs.set(message.from, Date.now());
        try {
          this.onMessage(message);
        } catch (err) {
          this.dropped += 1;
          this.log.warn({ err, from: message.from, type: message.type }, 'raft refused a message');
        }
      },
    });
  }

  send(messages: readonly Message[]): void {
    const raft = subjects(this.channel);
    for (const message of messages) {
      const data = encodeMessage(message);
      try {
        this.nc.publish(raft.raft(message.to), data);
        this.sent += 1;
      } catch (err) {
        // Closed or draining connection: Raft retries what matters.
        this.dropped += 1;
        this.log.debug({ err, to: message.to }, 'raft message not sent');
      }
    }
  }

  /** Whether a message from `nodeId` arrived within the last `withinMs`. */
  heardFrom(nodeId: string, withinMs: number): boolean {
    const at = this.lastHeardMs.get(nodeId);
    return at !== undefined && Date.now() - at <= withinMs;
  }

  get stats(): { sent: number; received: number; dropped: number } {
    return { sent: this.sent, received: this.received, dropped: this.dropped };
  }

  stop(): void {
    this.sub?.unsubscribe();
    this.sub = null;
  }
}
