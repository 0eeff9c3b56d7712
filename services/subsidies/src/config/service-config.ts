/**
 * The subsidies service's settings, from environment variables. One process serves one
 * organisation (its identity signs and endorses); several instances of the same organisation
 * share its endorsement requests through the NATS queue group. Every problem is reported at once.
 */
import { resolve } from 'node:path';
import { loadNetwork } from '@civic/identity';

export interface ServiceConfig {
  /** Channel (`CHANNEL`, default the network's). */
  readonly channel: string;
  /** Development network folder written by `civic network init` (`NETWORK_DIR`, required). */
  readonly networkDir: string;
  /** The organisation this instance acts for (`ORG`, e.g. RVO, Utrecht, Amsterdam). */
  readonly mspId: string;
  /** Identity name in network.json (`IDENTITY`, default `<org>-subsidies`): creates and endorses. */
  readonly identity: string;
  /** The organisation's own peer (`PEER_ID`): state is read there, its receipts awaited. */
  readonly peerId: string;
  /** NATS (`NATS_URL`, comma-separated; default the network's). */
  readonly natsUrl: string | undefined;
  /** REST port (`HTTP_PORT`, default 3100; 0 = any free port) and bind address (`HTTP_HOST`). */
  readonly httpPort: number;
  readonly httpHost: string;
  /**
   * PostgreSQL for the private store of undertaking names (`DATABASE_URL`). Without it names are
   * kept in memory only (development): the chain holds only their salted hashes either way.
   */
  readonly databaseUrl: string | undefined;
  /** Largest request body (`BODY_LIMIT_BYTES`, default 64 KiB): a split lists at most 2000 grants. */
  readonly bodyLimitBytes: number;
  readonly logLevel: string;
}

export class ServiceConfigError extends Error {
  override readonly name = 'ServiceConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`subsidies service configuration is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const MSP_ID = /^[A-Za-z][A-Za-z0-9-]{0,63}$/;
const NODE_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const CHANNEL = /^[a-z][a-z0-9-]{0,47}$/;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

type Env = Readonly<Record<string, string | undefined>>;

export function loadServiceConfig(
  env: Env = process.env,
  defaults: { channel?: string } = {},
): ServiceConfig {
  const problems: string[] = [];
  const text = (name: string): string | undefined => env[name]?.trim() || undefined;
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      problems.push(`${name} must be an integer in ${min}..${max}, got ${JSON.stringify(raw)}`);
      return fallback;
    }
    return Number(raw);
  };
  const networkDir = text('NETWORK_DIR');
  if (networkDir === undefined) problems.push('NETWORK_DIR is required (the folder of `civic network init`)');
  const mspId = text('ORG') ?? '';
  if (!MSP_ID.test(mspId)) problems.push(`ORG must be an mspId (e.g. RVO), got ${JSON.stringify(mspId)}`);
  const channel = text('CHANNEL') ?? defaults.channel ?? channelOf(networkDir) ?? '';
  if (!CHANNEL.test(channel))
    problems.push(`CHANNEL must match ${CHANNEL.source}, got ${JSON.stringify(channel)}`);
  const peerId = text('PEER_ID') ?? '';
  if (!NODE_ID.test(peerId))
    problems.push(`PEER_ID must match ${NODE_ID.source}, got ${JSON.stringify(peerId)}`);
  const logLevel = text('LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const httpPort = integer('HTTP_PORT', 3100, 0, 65_535);
  const bodyLimitBytes = integer('BODY_LIMIT_BYTES', 64 * 1024, 1024, 4 * 1024 * 1024);
  if (problems.length > 0) throw new ServiceConfigError(problems);
  return {
    channel,
    networkDir: resolve(networkDir!),
    mspId,
    identity: text('IDENTITY') ?? `${mspId.toLowerCase()}-subsidies`,
    peerId,
    natsUrl: text('NATS_URL'),
    httpPort,
    httpHost: text('HTTP_HOST') ?? '127.0.0.1',
    databaseUrl: text('DATABASE_URL'),
    bodyLimitBytes,
    logLevel,
  };
}

/** The channel of the network folder, when it can be read (the error comes later, with the identity). */
function channelOf(networkDir: string | undefined): string | undefined {
  if (networkDir === undefined) return undefined;
  try {
    return loadNetwork(networkDir).channel;
  } catch {
    return undefined;
  }
}
