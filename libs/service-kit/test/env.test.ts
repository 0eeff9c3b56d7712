import { describe, expect, it } from 'vitest';
import { loadServiceEnv, ServiceConfigError } from '../src/index.js';

const defaults = { service: 'parking', httpPort: 3200, channel: 'civic' };

describe('loadServiceEnv', () => {
  it('reads the common settings with their defaults', () => {
    const config = loadServiceEnv(
      { NETWORK_DIR: '/tmp/net', ORG: 'Utrecht', PEER_ID: 'utrecht-peer' },
      defaults,
    );
    expect(config).toEqual({
      service: 'parking',
      channel: 'civic',
      networkDir: '/tmp/net',
      mspId: 'Utrecht',
      identity: 'utrecht-parking',
      peerId: 'utrecht-peer',
      natsUrl: undefined,
      httpPort: 3200,
      httpHost: '127.0.0.1',
      databaseUrl: undefined,
      bodyLimitBytes: 65_536,
      minBlockWaitMs: 5_000,
      logLevel: 'info',
      otlpEndpoint: undefined,
    });
  });

  it('reports every problem at once, the service’s own included', () => {
    let error: unknown;
    try {
      loadServiceEnv(
        {
          ORG: 'not an org',
          PEER_ID: 'Bad_Peer',
          HTTP_PORT: '70000',
          MIN_BLOCK_WAIT_MS: '-1',
          LOG_LEVEL: 'loud',
          BATCH: 'x',
        },
        defaults,
        (r) => ({ batch: r.integer('BATCH', 10, 1, 100) }),
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ServiceConfigError);
    const { problems, message } = error as ServiceConfigError;
    expect(problems).toEqual([
      'NETWORK_DIR is required (the folder of `civic network init`)',
      'ORG must match ^[A-Za-z][A-Za-z0-9-]{0,63}$ (e.g. Utrecht), got "not an org"',
      'PEER_ID must match ^[a-z0-9][a-z0-9-]{0,63}$ (e.g. utrecht-peer), got "Bad_Peer"',
      'HTTP_PORT must be an integer in 0..65535, got "70000"',
      'MIN_BLOCK_WAIT_MS must be an integer in 0..60000, got "-1"',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
      'BATCH must be an integer in 1..100, got "x"',
    ]);
    expect(message).toMatch(/^parking service configuration is invalid:\n {2}- NETWORK_DIR/);
  });

  it('adds the service’s own settings', () => {
    const config = loadServiceEnv(
      { NETWORK_DIR: 'net', ORG: 'Police', PEER_ID: 'rvo-peer', IDENTITY: 'police-x', BATCH: '50' },
      defaults,
      (r) => ({ batch: r.integer('BATCH', 10, 1, 100) }),
    );
    expect(config.batch).toBe(50);
    expect(config.identity).toBe('police-x');
  });
});
