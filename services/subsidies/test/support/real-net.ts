/**
 * The real network for the multi-process test (`@civic/testkit/mesh`): three orderer processes
 * (Raft), the peer processes rvo-peer and utrecht-peer on PostgreSQL databases of their own, the
 * real NATS; and the three authorities' subsidies services in this process.
 */
import { mintToken, type Gateway } from '@civic/gateway';
import { GATEWAY } from '@civic/service-kit';
import { injectJson } from '@civic/testkit';
import { buildMeshPrograms, startMesh, type Mesh } from '@civic/testkit/mesh';
import { pino } from 'pino';
import { createSubsidiesApp, type SubsidiesApp, type SubsidiesConfig } from '../../src/index.js';
import { ORGS, PEER_OF, testConfig, type Org, type Reply } from './rest-net.js';

export { buildMeshPrograms as buildPrograms };

export interface RealNet {
  readonly mesh: Mesh;
  readonly apps: Readonly<Record<Org, SubsidiesApp>>;
  request(org: Org, method: 'GET' | 'POST', url: string, body?: unknown, user?: string): Promise<Reply>;
  close(): Promise<void>;
}

const quiet = pino({ level: process.env.LOG_LEVEL ?? 'silent' });

export async function startRealNet(): Promise<RealNet> {
  const mesh = await startMesh({ peers: ['rvo-peer', 'utrecht-peer'] });
  const apps = {} as Record<Org, SubsidiesApp>;
  const close = async (): Promise<void> => {
    for (const org of ORGS) await apps[org]?.app.close();
    await mesh.close();
  };
  try {
    for (const org of ORGS) {
      const config: SubsidiesConfig = testConfig(org, mesh.channel.channel, mesh.dir, mesh.natsUrl);
      apps[org] = await createSubsidiesApp({ config, logger: quiet.child({ org }), shutdownHooks: false });
      await apps[org].app.get<Gateway>(GATEWAY).watcher.waitForHeight(0, 30_000);
    }
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
  return {
    mesh,
    apps,
    request(org, method, url, body, user) {
      const signer = mesh.net.identity(user ?? `${org.toLowerCase()}-user1`);
      const token = mintToken({
        cert: signer.cert,
        key: signer.key,
        audience: 'subsidies',
        ttlMs: 600_000,
        nowMs: Date.now(),
      });
      return injectJson(apps[org].app, { method, url, token, ...(body === undefined ? {} : { body }) });
    },
    close,
  };
}

export { PEER_OF };
