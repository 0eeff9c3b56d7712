import type {
  DynamicModule,
  FactoryProvider,
  ModuleMetadata,
  OnApplicationShutdown,
  Provider,
} from '@nestjs/common';
import type { NatsConnection } from '@nats-io/nats-core';
import { jetstream, jetstreamManager, type JetStreamOptions } from '@nats-io/jetstream';
import { closeNats, connectNats, type ConnectNatsOptions } from '../connection.js';
import { JETSTREAM, JETSTREAM_MANAGER, MESSAGING_OPTIONS, NATS_CONNECTION } from './tokens.js';

export interface MessagingModuleOptions {
  /** How to reach NATS (URL, client name, reconnect settings). */
  readonly connection: ConnectNatsOptions;
  /** JetStream API options (domain, API timeout), when not the defaults. */
  readonly jetStream?: JetStreamOptions;
}

export interface MessagingModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  /** Builds the options from other providers (e.g. a config service). */
  readonly useFactory: (...args: never[]) => MessagingModuleOptions | Promise<MessagingModuleOptions>;
  readonly inject?: FactoryProvider['inject'];
  /** Make the providers available to every module (default true: one connection per process). */
  readonly global?: boolean;
}

/** Token of the provider that drains the connection when the application shuts down. */
const MESSAGING_SHUTDOWN = Symbol.for('civic.messaging.shutdown');

/**
 * The connection, the JetStream client and manager as providers. The connection is drained
 * at application shutdown (`app.close()`, or a signal with `enableShutdownHooks()`), after
 * every module's `onModuleDestroy`, so consumers stopped there finish their work first.
 */
const providers: Provider[] = [
  {
    provide: NATS_CONNECTION,
    useFactory: (options: MessagingModuleOptions) => connectNats(options.connection),
    inject: [MESSAGING_OPTIONS],
  },
  {
    provide: JETSTREAM,
    useFactory: (nc: NatsConnection, options: MessagingModuleOptions) => jetstream(nc, options.jetStream),
    inject: [NATS_CONNECTION, MESSAGING_OPTIONS],
  },
  {
    provide: JETSTREAM_MANAGER,
    // checkAPI false: do not fail start-up when JetStream answers a moment later than NATS.
    useFactory: (nc: NatsConnection, options: MessagingModuleOptions) =>
      jetstreamManager(nc, { ...options.jetStream, checkAPI: false }),
    inject: [NATS_CONNECTION, MESSAGING_OPTIONS],
  },
  {
    provide: MESSAGING_SHUTDOWN,
    useFactory: (nc: NatsConnection): OnApplicationShutdown => ({
      onApplicationShutdown: () => closeNats(nc),
    }),
    inject: [NATS_CONNECTION],
  },
];

const exported = [NATS_CONNECTION, JETSTREAM, JETSTREAM_MANAGER];

/**
 * NestJS dynamic module: `MessagingModule.forRoot({connection: {url, name}})` in the root
 * module, then `@Inject(NATS_CONNECTION) nc: NatsConnection`, `@Inject(JETSTREAM)`,
 * `@Inject(JETSTREAM_MANAGER)` anywhere (global by default).
 */
export class MessagingModule {
  static forRoot(options: MessagingModuleOptions & { readonly global?: boolean }): DynamicModule {
    return {
      module: MessagingModule,
      global: options.global ?? true,
      providers: [{ provide: MESSAGING_OPTIONS, useValue: options }, ...providers],
      exports: exported,
    };
  }

  static forRootAsync(options: MessagingModuleAsyncOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: options.global ?? true,
      imports: options.imports ?? [],
      providers: [
        { provide: MESSAGING_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] },
        ...providers,
      ],
      exports: exported,
    };
  }
}
