import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isName } from '@civic/protocol';
import { OrdererOptionsError } from './errors.js';
import type { OrdererNodeConfig } from './node/orderer-node.js';

/**
 * A process's options: flags first, then environment variables, then defaults from the
 * network folder's manifest (filled in by main.ts). Every value is checked here; a bad one
 * is an OrdererOptionsError naming the option.
 */
export interface OrdererProcessOptions {
  /** NETWORK_DIR / --network: the folder `civic network init` wrote. */
  readonly networkDir: string;
  /** NODE_ID / --node: this consenter's node id (and identity name in the network). */
  readonly nodeId: string;
  /** CHANNEL / --channel: default the network's channel. */
  readonly channel: string | null;
  /** DATA_DIR / --data: default `<network>/data/<node>`. */
  readonly dataDir: string | null;
  /** NATS_URL / --nats: default the network's NATS URL. */
  readonly natsUrl: string | null;
  /** HTTP_PORT / --http-port: health, readiness, metrics, status. 0 picks a free port. Default the manifest's. */
  readonly httpPort: number | null;
  /** HTTP_HOST / --http-host: default 127.0.0.1. */
  readonly httpHost: string;
  /** LOG_LEVEL / --log-level: fatal, error, warn, info, debug, trace. Default info. */
  readonly logLevel: string;
  readonly node: Omit<OrdererNodeConfig, 'channel' | 'nodeId' | 'dataDir'>;
}

export const ORDERER_DEFAULTS = {
  /** 10 minutes: clients resubmit well within it; memory holds the txIds of 10 minutes of traffic. */
  txWindowMs: 600_000,
  /** Clock differences between orderers. */
  txWindowMarginMs: 60_000,
  /** About 1 kB each: 2 M txIds ≈ 200-300 MB at most. */
  dedupEntriesMax: 2_000_000,
  forwardTimeoutMs: 2000,
  forwardsMax: 10_000,
  queuedBatchesMax: 32,
  snapshotWalBytes: 128 * 1024 * 1024,
  snapshotKeepEntries: 64,
  catchUpIdleTimeoutMs: 5000,
} as const;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function int(option: string, text: string | undefined, min: number, fallback: number | null): number | null {
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min)
    throw new OrdererOptionsError(option, `must be an integer ≥ ${min}, got ${JSON.stringify(text)}`);
  return value;
}

export function parseOrdererOptions(argv: readonly string[], env: NodeJS.ProcessEnv): OrdererProcessOptions {
  let flags;
  try {
    flags = parseArgs({
      args: [...argv],
      options: {
        network: { type: 'string' },
        node: { type: 'string' },
        channel: { type: 'string' },
        data: { type: 'string' },
        nats: { type: 'string' },
        'http-port': { type: 'string' },
        'http-host': { type: 'string' },
        'log-level': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new OrdererOptionsError('arguments', (error as Error).message);
  }
  const networkDir = flags.network ?? env.NETWORK_DIR;
  if (!networkDir)
    throw new OrdererOptionsError(
      'NETWORK_DIR (--network)',
      'is required: the folder `civic network init` wrote',
    );
  const nodeId = flags.node ?? env.NODE_ID;
  if (!nodeId || !isName('NODE_ID', nodeId)) {
    throw new OrdererOptionsError(
      'NODE_ID (--node)',
      `must be a node id such as orderer1, got ${JSON.stringify(nodeId ?? '')}`,
    );
  }
  const channel = flags.channel ?? env.CHANNEL ?? null;
  if (channel !== null && !isName('CHANNEL', channel))
    throw new OrdererOptionsError('CHANNEL (--channel)', `bad channel name ${JSON.stringify(channel)}`);
  const logLevel = flags['log-level'] ?? env.LOG_LEVEL ?? 'info';
  if (!LOG_LEVELS.includes(logLevel))
    throw new OrdererOptionsError('LOG_LEVEL (--log-level)', `must be one of ${LOG_LEVELS.join(', ')}`);
  const d = ORDERER_DEFAULTS;
  return {
    networkDir,
    nodeId,
    channel,
    dataDir: flags.data ?? env.DATA_DIR ?? null,
    natsUrl: flags.nats ?? env.NATS_URL ?? null,
    httpPort: int('HTTP_PORT (--http-port)', flags['http-port'] ?? env.HTTP_PORT, 0, null),
    httpHost: flags['http-host'] ?? env.HTTP_HOST ?? '127.0.0.1',
    logLevel,
    node: {
      txWindowMs: int('TX_WINDOW_MS', env.TX_WINDOW_MS, 1000, d.txWindowMs) as number,
      txWindowMarginMs: int('TX_WINDOW_MARGIN_MS', env.TX_WINDOW_MARGIN_MS, 0, d.txWindowMarginMs) as number,
      dedupEntriesMax: int('DEDUP_ENTRIES_MAX', env.DEDUP_ENTRIES_MAX, 1, d.dedupEntriesMax) as number,
      forwardTimeoutMs: int('FORWARD_TIMEOUT_MS', env.FORWARD_TIMEOUT_MS, 1, d.forwardTimeoutMs) as number,
      forwardsMax: d.forwardsMax,
      queuedBatchesMax: int('QUEUED_BATCHES_MAX', env.QUEUED_BATCHES_MAX, 1, d.queuedBatchesMax) as number,
      snapshotWalBytes: int('SNAPSHOT_WAL_BYTES', env.SNAPSHOT_WAL_BYTES, 1024, d.snapshotWalBytes) as number,
      snapshotKeepEntries: int(
        'SNAPSHOT_KEEP_ENTRIES',
        env.SNAPSHOT_KEEP_ENTRIES,
        0,
        d.snapshotKeepEntries,
      ) as number,
      catchUpIdleTimeoutMs: d.catchUpIdleTimeoutMs,
    },
  };
}

/** `<network>/data/<node>` unless given. */
export function defaultDataDir(networkDir: string, nodeId: string, manifestDataDir?: string): string {
  return join(networkDir, manifestDataDir ?? join('data', nodeId));
}
