/**
 * The settings every domain service reads from its environment (docs/service-kit.md). One
 * process serves one organisation: its identity creates and endorses, its peer is read. A
 * service adds its own settings with the same EnvReader (`loadServiceEnv(…, extend)`).
 */
import { resolve } from 'node:path';
import { loadNetwork } from '@civic/identity';
import { EnvReader, type Env } from './env-reader.js';

export interface ServiceEnv {
  /** The service's name (`subsidies`, `parking`, …): token audience, log and metric names. */
  readonly service: string;
  /** Channel (`CHANNEL`, default the network folder's). */
  readonly channel: string;
  /** Development network folder written by `civic network init` (`NETWORK_DIR`, required). */
  readonly networkDir: string;
  /** The organisation this instance acts for (`ORG`, an mspId). */
  readonly mspId: string;
  /** Identity name in network.json (`IDENTITY`, default `<org>-<service>`): creates and endorses. */
  readonly identity: string;
  /** The organisation's own peer (`PEER_ID`): state is read there, its receipts awaited. */
  readonly peerId: string;
  /** NATS (`NATS_URL`, comma-separated; default the network's). */
  readonly natsUrl: string | undefined;
  /** REST port (`HTTP_PORT`; 0 = any free port) and bind address (`HTTP_HOST`, default 127.0.0.1). */
  readonly httpPort: number;
  readonly httpHost: string;
  /**
   * PostgreSQL of the private store (`DATABASE_URL`). Without it private data is kept in memory
   * only (development: lost on restart); the chain holds only salted hashes either way.
   */
  readonly databaseUrl: string | undefined;
  /**
   * Largest request body (`BODY_LIMIT_BYTES`), answered 413 beyond. Small by default: bodies are
   * a handful of fields; a bound here bounds parsing work per request.
   */
  readonly bodyLimitBytes: number;
  /**
   * Longest wait of a request carrying `minBlock` for the own peer to reach that block
   * (`MIN_BLOCK_WAIT_MS`, default 5 000, 0..60 000; ledger/min-block.ts). Long enough to cover a
   * peer a few blocks behind; short enough that a peer that is stuck answers 503 PEER_BEHIND
   * while the caller can still try another instance, instead of holding a connection open.
   */
  readonly minBlockWaitMs: number;
  /** pino level (`LOG_LEVEL`, default info). */
  readonly logLevel: string;
  /** OpenTelemetry collector (`OTEL_EXPORTER_OTLP_ENDPOINT`), passed on to the tracing setup. */
  readonly otlpEndpoint: string | undefined;
}

export interface ServiceEnvDefaults {
  readonly service: string;
  /** Default HTTP_PORT. */
  readonly httpPort: number;
  /** Default BODY_LIMIT_BYTES (64 KiB when not given). */
  readonly bodyLimitBytes?: number;
  readonly channel?: string;
}

export const MSP_ID_PATTERN = /^[A-Za-z][A-Za-z0-9-]{0,63}$/;
export const NODE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;
export const CHANNEL_PATTERN = /^[a-z][a-z0-9-]{0,47}$/;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** Bounds of BODY_LIMIT_BYTES: below 1 KiB no real request fits, above 4 MiB is not an API body. */
const BODY_LIMIT_MIN = 1024;
const BODY_LIMIT_MAX = 4 * 1024 * 1024;
/** Bound of MIN_BLOCK_WAIT_MS: a request held longer than a minute is a stuck peer, not a lag. */
const MIN_BLOCK_WAIT_MAX = 60_000;

/**
 * The common settings, plus the service's own from `extend` (which reads with the same reader
 * so that all problems are reported together). Throws ServiceConfigError listing every problem.
 */
export function loadServiceEnv<X extends object = Record<never, never>>(
  env: Env,
  defaults: ServiceEnvDefaults,
  extend?: (reader: EnvReader, base: ServiceEnv) => X,
): ServiceEnv & X {
  const r = new EnvReader(env);
  const networkDir = r.required('NETWORK_DIR', 'the folder of `civic network init`');
  const mspId = r.matching('ORG', MSP_ID_PATTERN, undefined, 'Utrecht');
  const channel = r.matching('CHANNEL', CHANNEL_PATTERN, defaults.channel ?? channelOf(networkDir), 'civic');
  const peerId = r.matching('PEER_ID', NODE_ID_PATTERN, undefined, 'utrecht-peer');
  const base: ServiceEnv = {
    service: defaults.service,
    channel,
    networkDir: networkDir === undefined ? '' : resolve(networkDir),
    mspId,
    identity: r.text('IDENTITY') ?? `${mspId.toLowerCase()}-${defaults.service}`,
    peerId,
    natsUrl: r.text('NATS_URL'),
    httpPort: r.integer('HTTP_PORT', defaults.httpPort, 0, 65_535),
    httpHost: r.text('HTTP_HOST') ?? '127.0.0.1',
    databaseUrl: r.text('DATABASE_URL'),
    bodyLimitBytes: r.integer(
      'BODY_LIMIT_BYTES',
      defaults.bodyLimitBytes ?? 64 * 1024,
      BODY_LIMIT_MIN,
      BODY_LIMIT_MAX,
    ),
    minBlockWaitMs: r.integer('MIN_BLOCK_WAIT_MS', 5_000, 0, MIN_BLOCK_WAIT_MAX),
    logLevel: r.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    otlpEndpoint: r.text('OTEL_EXPORTER_OTLP_ENDPOINT'),
  };
  const extra = extend ? extend(r, base) : ({} as X);
  r.assertValid(defaults.service);
  return { ...base, ...extra };
}

/** The channel of the network folder when it can be read (the error comes later, with the identity). */
function channelOf(networkDir: string | undefined): string | undefined {
  if (networkDir === undefined) return undefined;
  try {
    return loadNetwork(networkDir).channel;
  } catch {
    return undefined;
  }
}
