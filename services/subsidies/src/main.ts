/**
 * The subsidies service for one organisation. Environment (docs/service-kit.md, "Settings"):
 * NETWORK_DIR, ORG, PEER_ID (required), CHANNEL, IDENTITY, NATS_URL, HTTP_PORT, HTTP_HOST,
 * DATABASE_URL, BODY_LIMIT_BYTES, LOG_LEVEL.
 */
import { listenService, runMain } from '@civic/service-kit';
import { createSubsidiesApp } from './app.js';
import { loadSubsidiesConfig, SUBSIDIES_SERVICE } from './config.js';

runMain(SUBSIDIES_SERVICE, async () => {
  const config = loadSubsidiesConfig();
  const { app, logger } = await createSubsidiesApp({ config });
  await listenService(app, config, logger);
});
