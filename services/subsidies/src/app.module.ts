/**
 * The subsidies application: NATS (libs/messaging), the gateway of this organisation (creates,
 * endorses), the REST controllers, authentication on every route, the error shape.
 */
import { Module, type DynamicModule, type OnModuleDestroy } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Gateway, type EndorseAnswer } from '@civic/gateway';
import { MessagingModule, NATS_CONNECTION } from '@civic/messaging';
import type { Signer } from '@civic/protocol';
import type { NatsConnection } from '@nats-io/nats-core';
import { SchemesController } from './api/schemes.controller.js';
import { SubsidiesService } from './api/subsidies.service.js';
import { UndertakingsController } from './api/undertakings.controller.js';
import { AuthGuard } from './auth/auth.guard.js';
import type { ServiceConfig } from './config/service-config.js';
import { HealthController } from './health/health.controller.js';
import { subsidiesLogicFor } from './ledger/endorsement-logic.js';
import { CLOCK, GATEWAY, LOGGER, METRICS, PRIVATE_STORE, SERVICE_CONFIG } from './ledger/tokens.js';
import type { Logger } from './observability/logger.js';
import type { SubsidiesMetrics } from './observability/metrics.js';
import type { PrivateStore } from './private/private-store.js';

export interface SubsidiesModuleOptions {
  readonly config: ServiceConfig;
  readonly signer: Signer;
  readonly natsUrl: string;
  readonly logger: Logger;
  readonly metrics: SubsidiesMetrics;
  readonly privateStore: PrivateStore;
  readonly clock: () => number;
  /** Gateway bounds (tests shorten them). */
  readonly gatewayBounds?: ConstructorParameters<typeof Gateway>[0]['bounds'];
}

const SHUTDOWN = Symbol.for('civic.subsidies.shutdown');

function gatewayFactory(options: SubsidiesModuleOptions) {
  return (nc: NatsConnection): Gateway => {
    const { config, logger, metrics } = options;
    const gateway = new Gateway({
      channel: config.channel,
      nc,
      signer: options.signer,
      peerId: config.peerId,
      clock: options.clock,
      ...(options.gatewayBounds ? { bounds: options.gatewayBounds } : {}),
      onEvent: (event) => {
        if (event.kind === 'error') logger.warn({ err: event.error }, 'gateway background error');
        else logger.info(event, event.kind);
      },
    });
    gateway.serveEndorsements({
      logicFor: subsidiesLogicFor,
      onAnswer: (answer: EndorseAnswer) => {
        const result = answer.reply.status === 'ENDORSED' ? 'ENDORSED' : answer.reply.code;
        metrics.endorsements.inc({ action: answer.action ?? 'unknown', result });
        metrics.endorseSeconds.observe({ action: answer.action ?? 'unknown' }, answer.durationMs / 1000);
        logger.info(
          {
            txId: answer.txId,
            action: answer.action,
            creator: answer.creatorMspId,
            result,
            ...(answer.reply.status === 'REFUSED' ? { reason: answer.reply.reason } : {}),
            durationMs: Math.round(answer.durationMs),
          },
          'endorsement',
        );
      },
    });
    return gateway;
  };
}

@Module({})
export class SubsidiesModule {
  static forRoot(options: SubsidiesModuleOptions): DynamicModule {
    const { config } = options;
    return {
      module: SubsidiesModule,
      imports: [
        MessagingModule.forRoot({
          connection: { url: options.natsUrl, name: `subsidies-${config.channel}-${config.mspId}` },
        }),
      ],
      controllers: [HealthController, SchemesController, UndertakingsController],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: LOGGER, useValue: options.logger },
        { provide: METRICS, useValue: options.metrics },
        { provide: PRIVATE_STORE, useValue: options.privateStore },
        { provide: CLOCK, useValue: options.clock },
        { provide: GATEWAY, useFactory: gatewayFactory(options), inject: [NATS_CONNECTION] },
        {
          // Endorsers and the commit watcher stop before NATS drains (MessagingModule closes it
          // on application shutdown, after every onModuleDestroy).
          provide: SHUTDOWN,
          useFactory: (gateway: Gateway, store: PrivateStore): OnModuleDestroy => ({
            onModuleDestroy: async () => {
              await gateway.close();
              await store.close();
            },
          }),
          inject: [GATEWAY, PRIVATE_STORE],
        },
        SubsidiesService,
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
    };
  }
}
