/**
 * The transport service for one organisation (`npm start -w @civic/transport`). Environment:
 * NETWORK_DIR, ORG, PEER_ID (required), CHANNEL, IDENTITY, NATS_URL, HTTP_PORT, HTTP_HOST,
 * DATABASE_URL, BODY_LIMIT_BYTES, LOG_LEVEL, OTEL_EXPORTER_OTLP_ENDPOINT, ACCESS_LOG_* and
 * SHARE_* (docs/transport.md, "Running the service").
 */
import { listenService, runMain } from '@civic/service-kit';
import { createTransportApp, roleOf } from './app.js';
import { loadTransportConfig } from './config/transport-config.js';

runMain('transport', async () => {
  const config = loadTransportConfig();
  const { app, logger } = await createTransportApp({ config });
  await listenService(app, config, logger, { role: roleOf(config.mspId) });
});
