import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { JETSTREAM, JETSTREAM_MANAGER, NATS_CONNECTION } from '@civic/messaging';
import type { BlockSigner } from '@civic/protocol';
import type { Logger } from 'pino';
import { OrdererMetrics } from '../metrics.js';
import { OrdererNode, type OrdererNodeConfig, type OrdererStatus } from '../node/orderer-node.js';
import { ORDERER_LOGGER, ORDERER_SETTINGS } from './tokens.js';

/** What main.ts resolved: the node's config, its signing identity and the genesis block. */
export interface OrdererSettings {
  readonly node: OrdererNodeConfig;
  readonly signer: BlockSigner;
  readonly genesisBytes: Uint8Array;
  readonly onFatal: (error: unknown) => void;
}

/** Owns the OrdererNode: starts it once the application is up, stops it before NATS drains. */
@Injectable()
export class OrdererService implements OnApplicationBootstrap, OnModuleDestroy {
  private node: OrdererNode | null = null;

  constructor(
    @Inject(ORDERER_SETTINGS) private readonly settings: OrdererSettings,
    @Inject(ORDERER_LOGGER) private readonly log: Logger,
    @Inject(OrdererMetrics) private readonly metrics: OrdererMetrics,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    @Inject(JETSTREAM_MANAGER) private readonly jsm: JetStreamManager,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.node = await OrdererNode.start(this.settings.node, {
      nc: this.nc,
      js: this.js,
      jsm: this.jsm,
      signer: this.settings.signer,
      genesisBytes: this.settings.genesisBytes,
      log: this.log,
      metrics: this.metrics,
      onFatal: this.settings.onFatal,
    });
  }

  async onModuleDestroy(): Promise<void> {
    const node = this.node;
    this.node = null;
    await node?.stop();
    this.log.info('orderer stopped');
  }

  get live(): boolean {
    return this.node !== null;
  }

  get ready(): boolean {
    return this.node?.ready ?? false;
  }

  status(): OrdererStatus | null {
    return this.node?.status() ?? null;
  }
}
