import {
  connect,
  type NatsConnection,
  type NodeConnectionOptions,
  type Status,
} from '@nats-io/transport-node';
import { MessagingArgumentError, NatsConnectError } from './errors.js';

export interface ConnectNatsOptions {
  /** Server URL(s), e.g. `nats://127.0.0.1:4222`. Several = a cluster's seed list. */
  readonly url: string | readonly string[];
  /** Client name shown by the server's monitoring (`orderer-1`, `peer-subsidies`, …). */
  readonly name: string;
  /**
   * Reconnect attempts per server after the connection was lost; -1 (default) never gives up.
   * A service must outlive a NATS restart or a cluster node's loss; a CLI may prefer a bound.
   */
  readonly maxReconnectAttempts?: number;
  /** Wait between reconnect attempts to one server. Default 1000 ms: quick recovery, low load. */
  readonly reconnectTimeWaitMs?: number;
  /**
   * Upper bound of the random delay added to each wait. Default 1000 ms: spreads out the
   * reconnects of many services after a NATS restart (no thundering herd), at up to 1 s more
   * downtime.
   */
  readonly reconnectJitterMs?: number;
  /** Time for the first TCP connect and handshake. Default 5000 ms: fail fast with a clear error. */
  readonly connectTimeoutMs?: number;
  /**
   * Interval of client pings; with `maxPingOut` unanswered pings the connection is declared
   * stale and reconnected. Default 20 000 ms × 3: a dead server is noticed within a minute
   * without chatter on idle links.
   */
  readonly pingIntervalMs?: number;
  readonly maxPingOut?: number;
  /** Credentials when the server wants them (token, or user and password). */
  readonly token?: string;
  readonly user?: string;
  readonly pass?: string;
  /** Called with each connection status change (disconnect, reconnect, errors) for logs/metrics. */
  readonly onStatus?: (status: Status) => void;
}

const DEFAULTS = {
  maxReconnectAttempts: -1,
  reconnectTimeWaitMs: 1000,
  reconnectJitterMs: 1000,
  connectTimeoutMs: 5000,
  pingIntervalMs: 20_000,
  maxPingOut: 3,
} as const;

function serverList(url: string | readonly string[]): string[] {
  const list = typeof url === 'string' ? url.split(',') : [...url];
  const servers = list.map((s) => s.trim()).filter((s) => s.length > 0);
  if (servers.length === 0) throw new MessagingArgumentError('connectNats: url names no server');
  return servers;
}

/**
 * Connects to NATS with settings fit for a long-running service: reconnects forever with
 * jitter, pings to detect dead links. If the first connect fails it throws
 * {@link NatsConnectError}, which names the URL and how to get a server, instead of retrying
 * silently: a service misconfigured at start must say so.
 */
export async function connectNats(options: ConnectNatsOptions): Promise<NatsConnection> {
  if (typeof options.name !== 'string' || options.name.length === 0) {
    throw new MessagingArgumentError('connectNats: name must be a non-empty string');
  }
  const servers = serverList(options.url);
  const natsOptions: NodeConnectionOptions = {
    servers,
    name: options.name,
    maxReconnectAttempts: options.maxReconnectAttempts ?? DEFAULTS.maxReconnectAttempts,
    reconnectTimeWait: options.reconnectTimeWaitMs ?? DEFAULTS.reconnectTimeWaitMs,
    reconnectJitter: options.reconnectJitterMs ?? DEFAULTS.reconnectJitterMs,
    timeout: options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
    pingInterval: options.pingIntervalMs ?? DEFAULTS.pingIntervalMs,
    maxPingOut: options.maxPingOut ?? DEFAULTS.maxPingOut,
    ...(options.token === undefined ? {} : { token: options.token }),
    ...(options.user === undefined ? {} : { user: options.user, pass: options.pass ?? '' }),
  };
  let nc: NatsConnection;
  try {
    nc = await connect(natsOptions);
  } catch (err) {
    throw new NatsConnectError(servers, { cause: err });
  }
  if (options.onStatus) void forwardStatus(nc, options.onStatus);
  return nc;
}

async function forwardStatus(nc: NatsConnection, onStatus: (status: Status) => void): Promise<void> {
  // The iterator ends when the connection closes; a throwing listener must not kill the loop.
  for await (const status of nc.status()) {
    try {
      onStatus(status);
    } catch {
      // Listener errors are the listener's business.
    }
  }
}

/**
 * Drains and closes: subscriptions deliver what they have, pending publishes are flushed,
 * then the socket closes. Safe to call twice or on a connection that closed already.
 */
export async function closeNats(nc: NatsConnection): Promise<void> {
  if (nc.isClosed()) return;
  if (nc.isDraining()) {
    await nc.closed();
    return;
  }
  try {
    await nc.drain();
  } catch {
    // Drain fails when the link is down; close without flushing then.
    await nc.close();
  }
}
