/**
 * The module every domain service is built as: its settings, logger, metrics, clock and private
 * store as providers; NATS (libs/messaging) and the organisation's Gateway (creates, endorses);
 * the global AuthGuard; the `minBlock` wait (MinBlockInterceptor); the ops endpoints; plus the
 * service's own controllers and providers.
 *
 * Shutdown order: the service's own `onModuleDestroy` hooks run first (they may still submit,
 * e.g. a flush of queued writes), then the Gateway (endorsers, commit watcher) and the private
 * store close (`beforeApplicationShutdown`), then NATS drains (`onApplicationShutdown`).
 */
import {
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type ModuleMetadata,
  type Provider,
} from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import type { AccessRule, ConfigSource, Gateway } from '@civic/gateway';
import { MessagingModule, NATS_CONNECTION } from '@civic/messaging';
import type { NatsConnection } from '@nats-io/nats-core';
import type { Logger } from 'pino';
import { AuthGuard } from '../auth/auth.guard.js';
import { TokenVerifier, type AuthOptions } from '../auth/token-verifier.js';
import type { ServiceEnv } from '../config/service-env.js';
import { MinBlockInterceptor } from '../http/min-block.interceptor.js';
import { createDomainGateway, type DomainGatewayOptions } from '../ledger/gateway-factory.js';
import { MinBlockService } from '../ledger/min-block.js';
import type { ServiceMetrics } from '../observability/metrics.js';
import { OpsController } from '../ops/ops.controller.js';
import type { ReadinessCheck } from '../ops/readiness.js';
import type { PrivateStore } from '../private/private-store.js';
import {
  AUTH_OPTIONS,
  CLOCK,
  CONFIG_SOURCE,
  GATEWAY,
  LOGGER,
  METRICS,
  OPENAPI_DOCUMENT,
  PRIVATE_STORE,
  READINESS_CHECKS,
  SERVICE_CONFIG,
} from '../tokens.js';

/** The ledger side: NATS and the Gateway of this organisation. */
export interface LedgerOptions extends Pick<
  DomainGatewayOptions,
  'signer' | 'logicFor' | 'bounds' | 'peer' | 'config'
> {
  readonly natsUrl: string;
}

export interface DomainServiceOptions {
  readonly config: ServiceEnv;
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
  readonly privateStore: PrivateStore;
  readonly clock: () => number;
  /** Served at /openapi.json. */
  readonly openApi: unknown;
  /** NATS and the Gateway; without it, `configSource` must say where tokens are checked against. */
  readonly ledger?: LedgerOptions;
  /** The channel config for tokens when there is no ledger (tests of the HTTP layer). */
  readonly configSource?: ConfigSource;
  /** Access rule of routes without `@Access` (default OWN_ORG_WRITE). */
  readonly defaultAccess?: AccessRule;
  /** Readiness checks besides the kit's (peer and config when there is a ledger, private store). */
  readonly readiness?: readonly ReadinessCheck[];
  readonly controllers?: ModuleMetadata['controllers'];
  readonly providers?: readonly Provider[];
  readonly imports?: ModuleMetadata['imports'];
  readonly exports?: ModuleMetadata['exports'];
}

const CLOSER = Symbol.for('civic.service-kit.closer');

function kitReadiness(gateway: Gateway | null, store: PrivateStore): ReadinessCheck[] {
  const checks: ReadinessCheck[] = [
    {
      name: 'privateStore',
      check: async () => {
        await store.ping();
        return store.kind;
      },
    },
  ];
  if (gateway !== null) {
    checks.unshift({
      name: 'peer',
      check: async () => {
        const height = await gateway.watcher.refreshHeight();
        await gateway.config.current();
        return { peerId: gateway.peer.peerId, height };
      },
    });
  }
  return checks;
}

function ledgerProviders(options: DomainServiceOptions): {
  imports: NonNullable<ModuleMetadata['imports']>;
  providers: Provider[];
} {
  const { config, ledger } = options;
  if (ledger === undefined) {
    if (options.configSource === undefined) {
      throw new Error('DomainServiceModule: give `ledger` or, without a ledger, `configSource`');
    }
    return {
      imports: [],
      providers: [
        { provide: GATEWAY, useValue: null },
        { provide: CONFIG_SOURCE, useValue: options.configSource },
      ],
    };
  }
  return {
    imports: [
      MessagingModule.forRoot({
        connection: { url: ledger.natsUrl, name: `${config.service}-${config.channel}-${config.mspId}` },
      }),
    ],
    providers: [
      {
        provide: GATEWAY,
        useFactory: (nc: NatsConnection): Gateway =>
          createDomainGateway(nc, {
            channel: config.channel,
            namespace: config.service,
            peerId: config.peerId,
            signer: ledger.signer,
            clock: options.clock,
            logger: options.logger,
            metrics: options.metrics,
            ...(ledger.logicFor ? { logicFor: ledger.logicFor } : {}),
            ...(ledger.bounds ? { bounds: ledger.bounds } : {}),
            ...(ledger.peer ? { peer: ledger.peer } : {}),
            ...(ledger.config ? { config: ledger.config } : {}),
          }),
        inject: [NATS_CONNECTION],
      },
      {
        provide: CONFIG_SOURCE,
        useFactory: (gateway: Gateway): ConfigSource => options.configSource ?? gateway.config,
        inject: [GATEWAY],
      },
    ],
  };
}

@Module({})
export class DomainServiceModule {
  static forRoot(options: DomainServiceOptions): DynamicModule {
    const { config } = options;
    const ledger = ledgerProviders(options);
    const auth: AuthOptions = {
      audience: config.service,
      mspId: config.mspId,
      ...(options.defaultAccess ? { defaultRule: options.defaultAccess } : {}),
    };
    return {
      module: DomainServiceModule,
      global: true,
      imports: [...ledger.imports, ...(options.imports ?? [])],
      controllers: [OpsController, ...(options.controllers ?? [])],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: LOGGER, useValue: options.logger },
        { provide: METRICS, useValue: options.metrics },
        { provide: PRIVATE_STORE, useValue: options.privateStore },
        { provide: CLOCK, useValue: options.clock },
        { provide: OPENAPI_DOCUMENT, useValue: options.openApi },
        { provide: AUTH_OPTIONS, useValue: auth },
        ...ledger.providers,
        {
          provide: READINESS_CHECKS,
          useFactory: (gateway: Gateway | null, store: PrivateStore): ReadinessCheck[] => [
            ...kitReadiness(gateway, store),
            ...(options.readiness ?? []),
          ],
          inject: [GATEWAY, PRIVATE_STORE],
        },
        {
          provide: CLOSER,
          useFactory: (gateway: Gateway | null, store: PrivateStore): BeforeApplicationShutdown => ({
            beforeApplicationShutdown: async () => {
              await gateway?.close();
              await store.close();
            },
          }),
          inject: [GATEWAY, PRIVATE_STORE],
        },
        TokenVerifier,
        { provide: APP_GUARD, useClass: AuthGuard },
        MinBlockService,
        { provide: APP_INTERCEPTOR, useClass: MinBlockInterceptor },
        ...(options.providers ?? []),
      ],
      exports: [
        SERVICE_CONFIG,
        LOGGER,
        METRICS,
        PRIVATE_STORE,
        CLOCK,
        GATEWAY,
        CONFIG_SOURCE,
        TokenVerifier,
        MinBlockService,
        ...(options.exports ?? []),
      ],
    };
  }
}
