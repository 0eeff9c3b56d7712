/**
 * The parking service for one organisation (`npm start -w @civic/parking`). Environment:
 * NETWORK_DIR, ORG, PEER_ID (required), CHANNEL, IDENTITY, NATS_URL, HTTP_PORT, HTTP_HOST,
 * DATABASE_URL, BODY_LIMIT_BYTES, LOG_LEVEL, OTEL_EXPORTER_OTLP_ENDPOINT, CHECK_AREA,
 * CHECK_LOG_* and HOLDER_TOKEN_TTL_MS (docs/parking.md, "Running the service").
 */
import { listenService, runMain } from '@civic/service-kit';
import { createParkingApp } from './app.js';
import { loadParkingConfig } from './config/parking-config.js';

runMain('parking', async () => {
  const config = loadParkingConfig();
  const { app, logger } = await createParkingApp({ config });
  await listenService(app, config, logger, { role: roleOf(config.mspId) });
});

function roleOf(mspId: string): string {
  if (mspId === 'Assessor') return 'independent assessor (endorses card issues, erases assessment details)';
  if (mspId === 'Police') return 'enforcement';
  return 'municipality (issues; enforcement)';
}
