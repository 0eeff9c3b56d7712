import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadNetwork, loadSigner, readGenesisBytes } from '@civic/identity';
import { initTelemetry, shutdownTelemetry } from '@civic/telemetry/sdk';
import { OrdererOptionsError } from './errors.js';
import { createOrdererLogger } from './log.js';
import { OrdererMetrics } from './metrics.js';
import { OrdererModule } from './nest/orderer.module.js';
import { defaultDataDir, parseOrdererOptions } from './options.js';

/**
 * The orderer process: `node services/orderer/dist/main.js --network DIR --node orderer1`
 * (or NETWORK_DIR, NODE_ID, … in the environment; see docs/orderer.md).
 */
async function main(): Promise<void> {
  const options = parseOrdererOptions(process.argv.slice(2), process.env);
  const network = loadNetwork(options.networkDir);
  const entry = network.orderers.find((o) => o.nodeId === options.nodeId);
  const channel = options.channel ?? network.channel;
  const signer = loadSigner(network, entry?.identity ?? options.nodeId);
  const log = createOrdererLogger({ nodeId: options.nodeId, channel, level: options.logLevel });
  // Traces over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set (docs/telemetry.md).
  await initTelemetry({ serviceName: 'orderer', serviceNamespace: signer.mspId, instanceId: options.nodeId });
  const metrics = new OrdererMetrics({ nodeId: options.nodeId, channel });
  const dataDir = options.dataDir ?? defaultDataDir(network.dir, options.nodeId, entry?.dataDir);
  const natsUrl = options.natsUrl ?? network.nats.url;
  const onFatal = (error: unknown) => {
    log.fatal({ err: error }, 'stopping after a fatal error');
    // Flush the log line, then leave without waiting on anything that may hang.
    setTimeout(() => process.exit(1), 50);
  };
  const app = await NestFactory.create<NestFastifyApplication>(
    OrdererModule.forRoot({
      settings: {
        node: { ...options.node, channel, nodeId: options.nodeId, dataDir },
        signer: { nodeId: options.nodeId, mspId: signer.mspId, cert: signer.cert, key: signer.key },
        genesisBytes: readGenesisBytes(network),
        onFatal,
      },
      natsUrl,
      log,
      metrics,
    }),
    new FastifyAdapter(),
    { logger: ['error', 'warn'] },
  );
  // A graceful stop ends with code 0 (Nest's own hooks would re-raise the signal).
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'stopping');
    app.close().then(
      () => shutdownTelemetry().finally(() => process.exit(0)),
      (error: unknown) => onFatal(error),
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  const port = options.httpPort ?? entry?.httpPort ?? 0;
  await app.listen(port, options.httpHost);
  const address = app.getHttpServer().address();
  const bound = typeof address === 'object' && address !== null ? address.port : port;
  log.info(
    { event: 'listening', httpPort: bound, natsUrl, dataDir },
    `orderer ${options.nodeId} of ${channel} listening on http://${options.httpHost}:${bound}`,
  );
}

main().catch((error: unknown) => {
  const message =
    error instanceof OrdererOptionsError
      ? error.message
      : error instanceof Error
        ? (error.stack ?? error.message)
        : String(error);
  process.stderr.write(`orderer: ${message}\n`);
  process.exit(1);
});
