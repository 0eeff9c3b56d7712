/**
 * The real network for the multi-process test (`@civic/testkit/mesh`): three orderer processes
 * (Raft), the peer processes rvo-peer and utrecht-peer on PostgreSQL databases of their own, the
 * real NATS; and the three authorities' subsidies services in this process (testkit's service
 * instances).
 */
import { memberTokens } from '@civic/gateway/testing';
import { startServiceInstances } from '@civic/testkit';
import { buildMeshPrograms, startMesh, type Mesh } from '@civic/testkit/mesh';
import { pino } from 'pino';
import { createSubsidiesApp, type SubsidiesApp } from '../../src/index.js';
import { ORGS, testConfig, type Org, type Reply } from './rest-net.js';

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
  const instances = await startServiceInstances({
    orgs: ORGS,
    token: memberTokens((user) => mesh.net.identity(user), 'subsidies'),
    create: (org) =>
      createSubsidiesApp({
        config: testConfig(org, mesh.channel.channel, mesh.dir, mesh.natsUrl),
        logger: quiet.child({ org }),
        shutdownHooks: false,
      }),
  }).catch(async (error: unknown) => {
    await mesh.close().catch(() => undefined);
    throw error;
  });
  return {
    mesh,
    apps: instances.apps,
    request: (org, method, url, body, user) =>
      instances.call(org, method, url, {
        ...(user === undefined ? {} : { user }),
        ...(body === undefined ? {} : { body }),
      }),
    async close() {
      await instances.close();
      await mesh.close();
    },
  };
}
