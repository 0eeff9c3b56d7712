import { describe, expect, it } from 'vitest';
import { NestFactory } from '@nestjs/core';
import type { DynamicModule } from '@nestjs/common';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { natsUrl } from '@civic/testkit';
import { JETSTREAM, JETSTREAM_MANAGER, MessagingModule, NATS_CONNECTION } from '../src/index.js';

class AppModule {
  static with(messaging: DynamicModule): DynamicModule {
    return { module: AppModule, imports: [messaging] };
  }
}

async function boot(messaging: DynamicModule) {
  const app = await NestFactory.createApplicationContext(AppModule.with(messaging), { logger: false });
  return {
    app,
    nc: app.get<NatsConnection>(NATS_CONNECTION),
    js: app.get<JetStreamClient>(JETSTREAM),
    jsm: app.get<JetStreamManager>(JETSTREAM_MANAGER),
  };
}

describe('MessagingModule (integration, local NATS)', () => {
  it('provides the connection and JetStream clients, and drains the connection on shutdown', async () => {
    const { app, nc, js, jsm } = await boot(
      MessagingModule.forRoot({ connection: { url: natsUrl(), name: 'nest-test' } }),
    );
    expect(nc.isClosed()).toBe(false);
    expect((await jsm.getAccountInfo()).limits).toBeDefined();
    expect(typeof js.publish).toBe('function');
    await app.close();
    expect(nc.isClosed()).toBe(true);
  });

  it('builds its options from a factory (forRootAsync)', async () => {
    const { app, nc } = await boot(
      MessagingModule.forRootAsync({
        useFactory: async () => ({ connection: { url: natsUrl(), name: 'nest-async' } }),
      }),
    );
    expect(nc.info?.jetstream).toBe(true);
    await app.close();
    expect(nc.isClosed()).toBe(true);
  });
});
