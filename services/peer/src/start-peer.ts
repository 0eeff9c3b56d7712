import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadPeerConfig, type PeerConfig } from './config/peer-config.js';
import { loadPeerIdentity } from './identity/peer-identity.js';
import { createPeerLogger, type Logger } from './observability/logger.js';
import { PeerMetrics } from './observability/metrics.js';
import { PeerModule } from './peer.module.js';
import { PeerRuntime } from './peer-runtime.service.js';
import { PeerStatus } from './status/peer-status.js';

/** A running peer: its HTTP address, its state, and how to stop it. */
export interface RunningPeer {
  readonly config: PeerConfig;
  readonly url: string;
  readonly app: NestFastifyApplication;
  readonly status: PeerStatus;
  /** Settles when the peer is up (audit passed, ledger open, transports running). */
  readonly started: Promise<void>;
  stop(): Promise<void>;
}

export interface StartPeerOptions {
  /** Called when the peer cannot start (failed audit, unreachable database). */
  readonly onFatal?: (error: unknown) => void;
  readonly logger?: Logger;
}

/** Builds and starts a peer from its config (`loadPeerConfig()` reads the environment). */
export async function startPeer(
  config: PeerConfig = loadPeerConfig(),
  options: StartPeerOptions = {},
): Promise<RunningPeer> {
  const logger =
    options.logger ??
    createPeerLogger({ peerId: config.peerId, channel: config.channel, level: config.logLevel });
  const identity = loadPeerIdentity(config);
  const metrics = new PeerMetrics({ peerId: config.peerId, channel: config.channel });
  const app = await NestFactory.create<NestFastifyApplication>(
    PeerModule.forRoot({ config, identity, logger, metrics }),
    new FastifyAdapter(),
    { logger: false, abortOnError: false },
  );
  const runtime = app.get(PeerRuntime);
  runtime.onFatal = options.onFatal;
  await app.listen(config.httpPort, config.httpHost);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.httpPort;
  const url = `http://${config.httpHost}:${port}`;
  logger.info({ url, restAuth: config.restAuth }, 'HTTP API listening');
  if (config.restAuth === 'off') {
    logger.warn(
      'PEER_REST_AUTH=off: the REST API answers anyone who reaches its port (local experiments only)',
    );
  }
  return {
    config,
    url,
    app,
    status: app.get(PeerStatus),
    started: runtime.started,
    stop: () => app.close(),
  };
}
