import { cpus } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The peer's settings, from environment variables (twelve-factor: the same binary runs on a
 * laptop, in compose and in Kubernetes). Every problem is reported at once, naming the variable.
 */
export interface PeerConfig {
  /** Channel whose chain this peer keeps (`CHANNEL`, required). */
  readonly channel: string;
  /** This peer's node id (`PEER_ID`, required): its query subject, its commits subject, its logs. */
  readonly peerId: string;
  /**
   * Dev-network folder written by `civic network init` (`NETWORK_DIR`): the peer finds its
   * certificate and key there by its id, and the genesis block. Either this or the explicit
   * PEER_CERT/PEER_KEY/PEER_MSP_ID.
   */
  readonly networkDir?: string;
  /** PEM certificate and private key of the peer identity (role `peer`), used to sign checkpoints. */
  readonly certFile?: string;
  readonly keyFile?: string;
  readonly mspId?: string;
  /**
   * Genesis block file (`GENESIS_FILE`): the trust anchor. Block 0 from the stream must be
   * byte-identical to it. Without one (and no NETWORK_DIR) the peer trusts the first block 0
   * it receives, as an SSH client trusts a first host key: convenient, weaker.
   */
  readonly genesisFile?: string;
  /** PostgreSQL (`DATABASE_URL`); when unset, embedded PGlite in `dataDir`. */
  readonly databaseUrl?: string;
  /** PGlite data folder (`DATA_DIR`, default `./data/<peerId>`). */
  readonly dataDir: string;
  /** NATS server(s) (`NATS_URL`, comma-separated). */
  readonly natsUrl: string;
  /** REST port (`HTTP_PORT`, default 8081; 0 = any free port, printed in the log). */
  readonly httpPort: number;
  /** REST bind address (`HTTP_HOST`, default 127.0.0.1: a dev machine does not expose it). */
  readonly httpHost: string;
  /**
   * What the start-up audit re-verifies (`AUDIT_ON_START`): `full` (default) replays the whole
   * chain, `off` skips it (faster restarts of large chains; the chain is then trusted as stored).
   */
  readonly auditOnStart: 'full' | 'off';
  /**
   * Signature verification threads (`VERIFY_WORKERS`, default the number of cores, 0 = verify
   * on the main thread). Ed25519 verification is the CPU bottleneck of a commit.
   */
  readonly verifyWorkers: number;
  /** Pino level (`LOG_LEVEL`, default info). */
  readonly logLevel: string;
  /**
   * REST authentication (`PEER_REST_AUTH`, default `on`): every route but /healthz, /readyz,
   * /metrics and /openapi.json needs a bearer token (audience `peer`) of a caller the channel's
   * `readers` policy admits. `off` opens them to anyone who reaches the port: local experiments
   * only (the chain's content is then as public as the port).
   */
  readonly restAuth: 'on' | 'off';
}

export class PeerConfigError extends Error {
  override readonly name = 'PeerConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`peer configuration is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const CHANNEL_PATTERN = /^[a-z][a-z0-9-]{0,47}$/;
const NODE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

type Env = Readonly<Record<string, string | undefined>>;

export function loadPeerConfig(env: Env = process.env): PeerConfig {
  const problems: string[] = [];
  const text = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^[0-9]+$/.test(raw) || value < min || value > max) {
      problems.push(`${name} must be an integer in ${min}..${max}, got ${JSON.stringify(raw)}`);
      return fallback;
    }
    return value;
  };

  const channel = text('CHANNEL') ?? '';
  if (!CHANNEL_PATTERN.test(channel))
    problems.push(`CHANNEL must match ${CHANNEL_PATTERN.source}, got ${JSON.stringify(channel)}`);
  const peerId = text('PEER_ID') ?? '';
  if (!NODE_ID_PATTERN.test(peerId))
    problems.push(`PEER_ID must match ${NODE_ID_PATTERN.source}, got ${JSON.stringify(peerId)}`);

  const networkDir = text('NETWORK_DIR');
  const certFile = text('PEER_CERT');
  const keyFile = text('PEER_KEY');
  const mspId = text('PEER_MSP_ID');
  const explicit = [certFile, keyFile, mspId].filter((v) => v !== undefined).length;
  if (!networkDir && explicit !== 3) {
    problems.push(
      'set NETWORK_DIR, or all of PEER_CERT, PEER_KEY and PEER_MSP_ID (the peer signs its checkpoints)',
    );
  }

  const auditOnStart = text('AUDIT_ON_START') ?? 'full';
  if (auditOnStart !== 'full' && auditOnStart !== 'off') {
    problems.push(`AUDIT_ON_START must be full or off, got ${JSON.stringify(auditOnStart)}`);
  }
  const restAuth = text('PEER_REST_AUTH') ?? 'on';
  if (restAuth !== 'on' && restAuth !== 'off') {
    problems.push(`PEER_REST_AUTH must be on or off, got ${JSON.stringify(restAuth)}`);
  }
  const logLevel = text('LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const config: PeerConfig = {
    channel,
    peerId,
    networkDir: networkDir ? resolve(networkDir) : undefined,
    certFile: certFile ? resolve(certFile) : undefined,
    keyFile: keyFile ? resolve(keyFile) : undefined,
    mspId,
    genesisFile: text('GENESIS_FILE') ? resolve(text('GENESIS_FILE') as string) : undefined,
    databaseUrl: text('DATABASE_URL'),
    dataDir: resolve(text('DATA_DIR') ?? join('data', peerId || 'peer')),
    natsUrl: text('NATS_URL') ?? 'nats://127.0.0.1:4222',
    httpPort: integer('HTTP_PORT', 8081, 0, 65_535),
    httpHost: text('HTTP_HOST') ?? '127.0.0.1',
    auditOnStart: auditOnStart === 'off' ? 'off' : 'full',
    verifyWorkers: integer('VERIFY_WORKERS', cpus().length, 0, 64),
    logLevel,
    restAuth: restAuth === 'off' ? 'off' : 'on',
  };
  if (problems.length > 0) throw new PeerConfigError(problems);
  return config;
}
