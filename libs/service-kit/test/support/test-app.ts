/** A small service on the kit, without a ledger: routes that exercise auth, errors and bodies. */
import { Body, Controller, Get, HttpCode, Module, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mintToken, staticConfigSource, type Caller } from '@civic/gateway';
import { testDevNetwork, type TestDevNetwork } from '@civic/testkit/stub-network';
import { pino } from 'pino';
import {
  Access,
  ANY_MEMBER_READ,
  ApiError,
  CallerOf,
  createErrorMapping,
  createServiceApp,
  DomainServiceModule,
  MemoryPrivateStore,
  OWN_ORG_WRITE,
  ServiceMetrics,
  type ReadinessCheck,
  type ServiceEnv,
} from '../../src/index.js';

export const NOW = Date.UTC(2026, 10, 28, 10, 0, 0);

export class RuleBroken extends Error {
  override readonly name = 'RuleBroken';
  constructor(readonly rule: string) {
    super(`${rule}: broken`);
  }
}

@Controller('things')
export class ThingsController {
  @Post()
  @HttpCode(201)
  @Access(OWN_ORG_WRITE)
  create(@Body() body: unknown, @CallerOf() caller: Caller) {
    return { created: body, by: caller.subject };
  }

  @Get()
  @Access(ANY_MEMBER_READ)
  list(@CallerOf() caller: Caller) {
    return { things: [], caller: caller.mspId };
  }

  @Get('police-only')
  @Access({ orgs: ['Police'], roles: ['client'] })
  police() {
    return { ok: true };
  }

  /** No @Access: the default rule (own organisation, client or admin). */
  @Get('default')
  defaulted() {
    return { ok: true };
  }

  @Post('rule')
  @Access(ANY_MEMBER_READ)
  rule() {
    throw new RuleBroken('SOMETHING_TAKEN');
  }

  @Post('crash')
  @Access(ANY_MEMBER_READ)
  crash() {
    throw new Error('secret internal detail');
  }
}

@Module({ controllers: [ThingsController] })
class ThingsModule {}

export interface TestApp {
  readonly app: NestFastifyApplication;
  readonly net: TestDevNetwork;
  readonly store: MemoryPrivateStore;
  readonly metrics: ServiceMetrics;
  token(identity: string, options?: { audience?: string; ttlMs?: number; nowMs?: number }): string;
  readiness: { fail: string | null };
}

export const TEST_CONFIG: ServiceEnv = {
  service: 'things',
  channel: 'civic',
  networkDir: '/nonexistent',
  mspId: 'Utrecht',
  identity: 'utrecht-things',
  peerId: 'utrecht-peer',
  natsUrl: undefined,
  httpPort: 0,
  httpHost: '127.0.0.1',
  databaseUrl: undefined,
  bodyLimitBytes: 1024,
  minBlockWaitMs: 300,
  logLevel: 'silent',
  otlpEndpoint: undefined,
};

export async function startTestApp(): Promise<TestApp> {
  const net = testDevNetwork('civic', 'service-kit-tests', NOW - 60_000);
  const store = new MemoryPrivateStore();
  const metrics = new ServiceMetrics({ service: 'things', mspId: 'Utrecht', channel: 'civic' });
  const logger = pino({ level: 'silent' });
  const readiness = { fail: null as string | null };
  const extraCheck: ReadinessCheck = {
    name: 'things',
    check: async () => {
      if (readiness.fail !== null) throw new Error(readiness.fail);
      return 'fine';
    },
  };
  const errors = createErrorMapping({
    domain: [
      (error) =>
        error instanceof RuleBroken
          ? new ApiError(409, { code: error.rule, rule: error.rule, message: error.message })
          : null,
    ],
  });
  const module = DomainServiceModule.forRoot({
    config: TEST_CONFIG,
    logger,
    metrics,
    privateStore: store,
    clock: () => NOW,
    openApi: { openapi: '3.1.0', info: { title: 'things' } },
    configSource: staticConfigSource(net.config),
    readiness: [extraCheck],
    imports: [ThingsModule],
  });
  const app = await createServiceApp(module, {
    config: TEST_CONFIG,
    logger,
    metrics,
    errors,
    shutdownHooks: false,
  });
  const token = (identity: string, options: { audience?: string; ttlMs?: number; nowMs?: number } = {}) => {
    const signer = net.signer(identity);
    return mintToken({
      cert: signer.cert,
      key: signer.key,
      audience: options.audience ?? 'things',
      ttlMs: options.ttlMs ?? 5 * 60_000,
      nowMs: options.nowMs ?? NOW,
    });
  };
  return { app, net, store, metrics, token, readiness };
}
