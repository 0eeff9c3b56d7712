/**
 * The peer program: `node services/peer/dist/main.js`, configured by environment variables
 * (docs/peer.md). Exit codes: 0 after SIGTERM/SIGINT, 1 bad configuration, 2 cannot start
 * (e.g. the stored chain fails its audit: the log names the block).
 */
import { initTelemetry, shutdownTelemetry, TelemetryConfigError } from '@civic/telemetry/sdk';
import { PeerConfigError } from './config/peer-config.js';
import { startPeer, type RunningPeer } from './start-peer.js';

async function main(): Promise<void> {
  let peer: RunningPeer | undefined;
  try {
    // Traces over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set (docs/telemetry.md).
    await initTelemetry({
      serviceName: 'peer',
      ...(process.env['PEER_ID'] ? { instanceId: process.env['PEER_ID'] } : {}),
      ...(process.env['PEER_MSP_ID'] ? { serviceNamespace: process.env['PEER_MSP_ID'] } : {}),
    });
    peer = await startPeer(undefined, {
      onFatal: () => {
        process.exitCode = 2;
        void peer?.stop().finally(() => process.exit(2));
      },
    });
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(error instanceof PeerConfigError || error instanceof TelemetryConfigError ? 1 : 2);
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`peer: ${signal}, stopping\n`);
    void (peer as RunningPeer).stop().then(
      () => shutdownTelemetry().finally(() => process.exit(0)),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

void main();
