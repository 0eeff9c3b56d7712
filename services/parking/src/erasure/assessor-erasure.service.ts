/**
 * The Assessor's side of an erasure (docs/parking.md#erasure): a durable JetStream consumer of the
 * `holder.erased` events (`civic.<channel>.events.parking.holder.erased`) deletes every record of
 * the hid in the Assessor's private store (medical details and their salts).
 *
 * The durable lives in NATS, so an event published while every Assessor instance was down is
 * handled when one comes back. It is shared: the Assessor's replicas pull from the same durable,
 * each event goes to one of them, and a failed one is handed back (nak with a delay) and
 * redelivered, forever (max_deliver -1). Order does not matter and deleting is idempotent, so a
 * redelivery after a crash is harmless.
 */
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import {
  decodeJson,
  JETSTREAM,
  JETSTREAM_MANAGER,
  streamNames,
  subjects,
  type LedgerEvent,
} from '@civic/messaging';
import { LOGGER, METRICS, SERVICE_CONFIG, type Logger } from '@civic/service-kit';
import {
  AckPolicy,
  DeliverPolicy,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import type { ParkingConfig } from '../config/parking-config.js';
import { INDEPENDENT_ASSESSOR, PARKING_NAMESPACE } from '../domain/index.js';
import type { ParkingMetrics } from '../observability/metrics.js';
import type { ParkingPrivateStore } from '../private/parking-private-store.js';
import { PARKING_PRIVATE } from '../tokens.js';

export const HOLDER_ERASED_EVENT = 'holder.erased';
/** Wait before trying again to set the consumer up (events stream not there yet, NATS away). */
const SETUP_RETRY_MS = 5_000;
/** Delay before a failed event is delivered again (the private store was unreachable). */
const REDELIVER_DELAY_MS = 2_000;
/** Events pulled ahead per instance: erasures are rare, a few in flight is plenty. */
const PULL_MAX = 8;
/** How long the server waits for an ack before redelivering to another instance. */
const ACK_WAIT_MS = 30_000;

@Injectable()
export class AssessorErasureService implements OnApplicationBootstrap, OnModuleDestroy {
  #messages: ConsumerMessages | null = null;
  #loop: Promise<void> = Promise.resolve();
  #retry: NodeJS.Timeout | null = null;
  #stopped = false;
  #handled = 0;

  constructor(
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    @Inject(JETSTREAM_MANAGER) private readonly jsm: JetStreamManager,
    @Inject(PARKING_PRIVATE) private readonly privateStore: ParkingPrivateStore,
    @Inject(SERVICE_CONFIG) private readonly config: ParkingConfig,
    @Inject(METRICS) private readonly metrics: ParkingMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Erasure events handled by this instance. */
  get handled(): number {
    return this.#handled;
  }

  /** Whether this instance must consume erasures (the Assessor) and does. */
  get state(): 'not-assessor' | 'running' | 'starting' {
    if (this.config.mspId !== INDEPENDENT_ASSESSOR) return 'not-assessor';
    return this.#messages === null ? 'starting' : 'running';
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.mspId !== INDEPENDENT_ASSESSOR) return;
    await this.#start();
  }

  async onModuleDestroy(): Promise<void> {
    this.#stopped = true;
    if (this.#retry !== null) clearTimeout(this.#retry);
    await this.#messages?.close();
    await this.#loop.catch(() => undefined);
  }

  async #start(): Promise<void> {
    if (this.#stopped) return;
    try {
      const { channel, mspId } = this.config;
      const stream = streamNames(channel).events;
      const durable = `parking-erasure-${mspId.toLowerCase()}`;
      // Adding a durable with the same settings is a no-op, so every replica may do it.
      await this.jsm.consumers.add(stream, {
        durable_name: durable,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        filter_subject: subjects(channel).events(PARKING_NAMESPACE, HOLDER_ERASED_EVENT),
        ack_wait: nanos(ACK_WAIT_MS),
        max_deliver: -1,
      });
      const consumer = await this.js.consumers.get(stream, durable);
      this.#messages = await consumer.consume({ max_messages: PULL_MAX });
      this.#loop = this.#consume(this.#messages);
    } catch (err) {
      this.logger.warn({ err }, `erasure consumer not started; retrying in ${SETUP_RETRY_MS} ms`);
      this.#retry = setTimeout(() => void this.#start(), SETUP_RETRY_MS);
      this.#retry.unref();
    }
  }

  async #consume(messages: ConsumerMessages): Promise<void> {
    for await (const msg of messages) {
      try {
        await this.#handle(msg);
        msg.ack();
      } catch (err) {
        this.logger.warn({ err, seq: msg.seq }, 'holder.erased event failed; redelivered later');
        msg.nak(REDELIVER_DELAY_MS);
      }
    }
  }

  async #handle(msg: JsMsg): Promise<void> {
    const event = decodeJson<LedgerEvent>(msg.data, msg.subject);
    const hid = (event.data as { hid?: unknown } | null)?.hid;
    if (typeof hid !== 'string' || !/^[0-9a-f]{64}$/.test(hid)) {
      this.logger.error({ seq: msg.seq, txId: event.txId }, 'holder.erased event without a hid; skipped');
      return;
    }
    const erased = await this.privateStore.erase(hid);
    this.#handled++;
    this.metrics.erasures.inc({ step: 'assessor' });
    this.logger.info({ hid, erased, txId: event.txId, block: event.block }, 'assessment details erased');
  }
}
