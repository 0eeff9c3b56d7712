/**
 * The Assessor's side of an erasure (docs/parking.md#erasure): a durable JetStream consumer of the
 * `holder.erased` events (`civic.<channel>.events.parking.holder.erased`) deletes every record
 * of the hid in the Assessor's private store (medical details and their salts). The durable
 * keeps its position in NATS, so an event published while the service was down is handled when
 * it comes back; deleting is idempotent, so a redelivery is harmless.
 */
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import {
  JETSTREAM,
  consumeInOrder,
  streamNames,
  subjects,
  type InOrderConsumer,
  type LedgerEvent,
} from '@civic/messaging';
import { LOGGER, METRICS, SERVICE_CONFIG, type Logger } from '@civic/service-kit';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { ParkingConfig } from '../config/parking-config.js';
import { INDEPENDENT_ASSESSOR, PARKING_NAMESPACE } from '../domain/index.js';
import type { ParkingMetrics } from '../observability/metrics.js';
import type { ParkingPrivateStore } from '../private/parking-private-store.js';
import { PARKING_PRIVATE } from '../tokens.js';

export const HOLDER_ERASED_EVENT = 'holder.erased';
/** Wait before trying again to set the consumer up (events stream not there yet, NATS away). */
const SETUP_RETRY_MS = 5_000;

@Injectable()
export class AssessorErasureService implements OnApplicationBootstrap, OnModuleDestroy {
  #consumer: InOrderConsumer | null = null;
  #retry: NodeJS.Timeout | null = null;
  #stopped = false;

  constructor(
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    @Inject(PARKING_PRIVATE) private readonly privateStore: ParkingPrivateStore,
    @Inject(SERVICE_CONFIG) private readonly config: ParkingConfig,
    @Inject(METRICS) private readonly metrics: ParkingMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  get handled(): number {
    return this.#consumer?.handled ?? 0;
  }

  /** Whether this instance must consume erasures (the Assessor) and does. */
  get state(): 'not-assessor' | 'running' | 'starting' {
    if (this.config.mspId !== INDEPENDENT_ASSESSOR) return 'not-assessor';
    return this.#consumer === null ? 'starting' : 'running';
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.mspId !== INDEPENDENT_ASSESSOR) return;
    await this.#start();
  }

  async #start(): Promise<void> {
    if (this.#stopped) return;
    try {
      this.#consumer = await this.#consume();
    } catch (err) {
      this.logger.warn({ err }, `erasure consumer not started; retrying in ${SETUP_RETRY_MS} ms`);
      this.#retry = setTimeout(() => void this.#start(), SETUP_RETRY_MS);
      this.#retry.unref();
    }
  }

  #consume(): Promise<InOrderConsumer> {
    const { channel } = this.config;
    return consumeInOrder<LedgerEvent>(
      this.js,
      streamNames(channel).events,
      `parking-erasure-${this.config.mspId.toLowerCase()}`,
      {
        filterSubject: subjects(channel).events(PARKING_NAMESPACE, HOLDER_ERASED_EVENT),
        onError: (err, seq) =>
          this.logger.warn({ err, seq }, 'holder.erased event failed; redelivered later'),
      },
      async (msg) => {
        const hid = (msg.data.data as { hid?: unknown } | null)?.hid;
        if (typeof hid !== 'string' || !/^[0-9a-f]{64}$/.test(hid)) {
          this.logger.error(
            { seq: msg.seq, txId: msg.data.txId },
            'holder.erased event without a hid; skipped',
          );
          return;
        }
        const erased = await this.privateStore.erase(hid);
        this.metrics.erasures.inc({ step: 'assessor' });
        this.logger.info(
          { hid, erased, txId: msg.data.txId, block: msg.data.block },
          'assessment details erased',
        );
      },
    );
  }

  async onModuleDestroy(): Promise<void> {
    this.#stopped = true;
    if (this.#retry !== null) clearTimeout(this.#retry);
    await this.#consumer?.stop();
  }
}
