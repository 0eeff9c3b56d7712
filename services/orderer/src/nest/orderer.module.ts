import { Module, type DynamicModule } from '@nestjs/common';
import { MessagingModule } from '@civic/messaging';
import type { Logger } from 'pino';
import { OrdererMetrics } from '../metrics.js';
import { HealthController } from './health.controller.js';
import { OrdererService, type OrdererSettings } from './orderer.service.js';
import { ORDERER_LOGGER, ORDERER_SETTINGS } from './tokens.js';

export interface OrdererModuleOptions {
  readonly settings: OrdererSettings;
  readonly natsUrl: string;
  readonly log: Logger;
  readonly metrics: OrdererMetrics;
}

/** The orderer application: NATS (libs/messaging), the node service, the operations endpoints. */
@Module({})
export class OrdererModule {
  static forRoot(options: OrdererModuleOptions): DynamicModule {
    const { nodeId, channel } = options.settings.node;
    return {
      module: OrdererModule,
      imports: [
        MessagingModule.forRoot({
          connection: { url: options.natsUrl, name: `orderer-${channel}-${nodeId}` },
        }),
      ],
      controllers: [HealthController],
      providers: [
        { provide: ORDERER_SETTINGS, useValue: options.settings },
        { provide: ORDERER_LOGGER, useValue: options.log },
        { provide: OrdererMetrics, useValue: options.metrics },
        OrdererService,
      ],
    };
  }
}
