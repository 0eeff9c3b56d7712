/**
 * createDomainApp over the real NATS and a stand-in ledger (@civic/testkit/stub-network): the
 * identity of the network folder, the private store, the Gateway and readiness, the service's
 * routes and OpenAPI document; an identity of another organisation than ORG is refused.
 */
import { mintToken } from '@civic/gateway';
import { injectJson, natsUrl } from '@civic/testkit';
import { startStubLedger, type StubLedger } from '@civic/testkit/stub-network';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDomainApp, createErrorMapping, loadServiceEnv, ServiceMetrics } from '../src/index.js';
import { ThingsController } from './support/test-app.js';

let ledger: StubLedger;
beforeAll(async () => {
  ledger = await startStubLedger({ seed: 'service-kit-domain-app' });
}, 60_000);
afterAll(async () => ledger?.stop());

const OPEN_API = { openapi: '3.1.0', info: { title: 'things', version: '1' } };

function config(org: string, identity: string) {
  return loadServiceEnv(
    {
      NETWORK_DIR: ledger.dir,
      CHANNEL: ledger.channel.channel,
      ORG: org,
      IDENTITY: identity,
      PEER_ID: 'utrecht-peer',
      NATS_URL: natsUrl(),
      LOG_LEVEL: 'silent',
    },
    { service: 'things', httpPort: 0 },
  );
}

function create(org: string, identity: string) {
  return createDomainApp(
    { config: config(org, identity), logger: pino({ level: 'silent' }), shutdownHooks: false },
    {
      privateTable: 'things_private',
      metrics: (c) => new ServiceMetrics(c),
      openApi: OPEN_API,
      logicFor: undefined,
      errors: createErrorMapping(),
      module: () => ({ controllers: [ThingsController] }),
    },
  );
}

describe('createDomainApp', () => {
  it("builds the organisation's app: its identity, store, gateway, routes and document", async () => {
    const built = await create('Utrecht', 'utrecht-subsidies');
    try {
      expect(built.signer.mspId).toBe('Utrecht');
      expect(built.privateStore.kind).toBe('memory');
      expect(built.config.identity).toBe('utrecht-subsidies');
      let ready = await injectJson(built.app, { method: 'GET', url: '/readyz' });
      for (let i = 0; ready.status !== 200 && i < 100; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        ready = await injectJson(built.app, { method: 'GET', url: '/readyz' });
      }
      expect(ready.status).toBe(200);
      expect(await injectJson(built.app, { method: 'GET', url: '/openapi.json' })).toMatchObject({
        status: 200,
        body: OPEN_API,
      });
      const user = ledger.signer('utrecht-user1');
      const token = mintToken({
        cert: user.cert,
        key: user.key,
        audience: 'things',
        ttlMs: 60_000,
        nowMs: Date.now(),
      });
      expect(await injectJson(built.app, { method: 'GET', url: '/things', token })).toMatchObject({
        status: 200,
        body: { caller: 'Utrecht' },
      });
    } finally {
      await built.app.close();
    }
  });

  it('refuses an identity of another organisation than ORG, naming both', async () => {
    await expect(create('Utrecht', 'amsterdam-subsidies')).rejects.toThrow(
      'identity amsterdam-subsidies belongs to Amsterdam, not ORG=Utrecht',
    );
  });
});
