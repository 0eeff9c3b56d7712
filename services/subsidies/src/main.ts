/**
 * The subsidies service for one organisation. Environment: NETWORK_DIR, ORG, PEER_ID (required),
 * CHANNEL, IDENTITY, NATS_URL, HTTP_PORT, HTTP_HOST, DATABASE_URL, BODY_LIMIT_BYTES, LOG_LEVEL
 * (docs/subsidies.md, "Running the service").
 */
import { createSubsidiesApp } from './app.js';
import { loadServiceConfig, ServiceConfigError } from './config/service-config.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadServiceConfig();
  } catch (error) {
    if (error instanceof ServiceConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const { app, logger } = await createSubsidiesApp({ config });
  await app.listen({ port: config.httpPort, host: config.httpHost });
  logger.info(
    { url: await app.getUrl(), peer: config.peerId, identity: config.identity },
    'subsidies service listening',
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `subsidies service failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
