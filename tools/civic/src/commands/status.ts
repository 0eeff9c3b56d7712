import type { Command } from 'commander';
import type { CommandContext } from '../main.js';
import { CliError, ExitCode, formatTable, runAction, type Output } from '../output.js';
import { DEFAULT_HOST, nodeUrl, openNetwork } from './client-support.js';

interface StatusOptions {
  readonly network: string;
  readonly host: string;
  readonly allowDown?: boolean;
  readonly json?: boolean;
  readonly timeoutMs: string;
}

/** One node as `civic status` shows it. */
export interface NodeStatus {
  readonly name: string;
  readonly kind: 'orderer' | 'peer';
  readonly url: string;
  readonly up: boolean;
  /** Raft role for orderers; `peer (<phase>)` for peers. */
  readonly role: string;
  /** Blocks held (an orderer's height; a peer's last block + 1); null when unknown. */
  readonly blocks: number | null;
  /** Blocks behind the highest orderer; null when unknown. */
  lag: number | null;
  readonly leader: string | null;
  readonly ready: boolean;
  /** Why not ready, or why down. */
  readonly detail: string;
}

/** `civic status`: each node of the network with its role, height, lag, leader and health. */
export function registerStatus(program: Command, context: CommandContext): void {
  program
    .command('status')
    .description(
      'each orderer and peer of a network: role, blocks, lag, leader, health (exit 1 if one is down)',
    )
    .option(
      '--network <dir>',
      'the network folder (network.json) naming the nodes and their ports',
      'dev-net',
    )
    .option('--host <host>', 'host of the nodes', DEFAULT_HOST)
    .option('--allow-down', 'exit 0 even when a node is down')
    .option('--json', 'print the statuses as JSON')
    .option('--timeout-ms <ms>', 'patience per request', '2000')
    .action(async (options: StatusOptions) => {
      context.exitCode = await runAction(context.output, () => status(context.output, options));
    });
}

type Json = Record<string, unknown>;

async function getJson(
  url: string,
  timeoutMs: number,
): Promise<{ status: number; body: Json | null; text: string }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  const text = await response.text();
  return { status: response.status, body: jsonObject(text), text };
}

function jsonObject(text: string): Json | null {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Json) : null;
  } catch {
    return null;
  }
}

/** `name{label="value"} number` lines of a Prometheus text page. */
export function metricSamples(text: string, name: string): { labels: string; value: number }[] {
  const out: { labels: string; value: number }[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-z_]+)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (match && match[1] === name) out.push({ labels: match[2] ?? '', value: Number(match[3]) });
  }
  return out;
}

function labelOf(labels: string, label: string): string | null {
  return new RegExp(`${label}="([^"]*)"`).exec(labels)?.[1] ?? null;
}

function down(name: string, kind: NodeStatus['kind'], url: string, error: unknown): NodeStatus {
  const cause = (error as { cause?: { code?: string } }).cause?.code;
  return {
    name,
    kind,
    url,
    up: false,
    role: '-',
    blocks: null,
    lag: null,
    leader: null,
    ready: false,
    detail: `down: ${cause ?? (error as Error).message}`,
  };
}

async function ordererStatus(name: string, url: string, timeoutMs: number): Promise<NodeStatus> {
  try {
    const [healthz, readyz] = await Promise.all([
      getJson(`${url}/healthz`, timeoutMs),
      getJson(`${url}/readyz`, timeoutMs),
    ]);
    const ready = readyz.status === 200;
    const detail = ready ? 'ready' : `not ready: ${String(readyz.body?.status ?? readyz.status)}`;
    if (healthz.status !== 200)
      return {
        name,
        kind: 'orderer',
        url,
        up: true,
        role: 'starting',
        blocks: null,
        lag: null,
        leader: null,
        ready,
        detail,
      };
    const st = await getJson(`${url}/status`, timeoutMs).catch(() => null);
    if (st?.status === 200 && st.body) {
      const b = st.body;
      return {
        name,
        kind: 'orderer',
        url,
        up: true,
        role: String(b.role ?? '?'),
        blocks: typeof b.height === 'number' ? b.height : null,
        lag: null,
        leader: typeof b.leader === 'string' ? b.leader : null,
        ready,
        detail,
      };
    }
    // No /status: the Prometheus gauges say as much.
    const metrics = await getJson(`${url}/metrics`, timeoutMs);
    const height = metricSamples(metrics.text, 'civic_orderer_height')[0]?.value ?? null;
    const role = metricSamples(metrics.text, 'civic_orderer_role').find((s) => s.value === 1);
    const leader = metricSamples(metrics.text, 'civic_orderer_leader').find((s) => s.value === 1);
    return {
      name,
      kind: 'orderer',
      url,
      up: true,
      role: role ? (labelOf(role.labels, 'role') ?? '?') : '?',
      blocks: height,
      lag: null,
      leader: leader ? labelOf(leader.labels, 'leader') : null,
      ready,
      detail,
    };
  } catch (error) {
    return down(name, 'orderer', url, error);
  }
}

async function peerStatus(name: string, url: string, timeoutMs: number): Promise<NodeStatus> {
  try {
    const [healthz, readyz] = await Promise.all([
      getJson(`${url}/healthz`, timeoutMs),
      getJson(`${url}/readyz`, timeoutMs),
    ]);
    const h = healthz.body ?? {};
    const r = readyz.body ?? {};
    const height = typeof h.height === 'number' ? h.height : typeof r.height === 'number' ? r.height : null;
    const ready = readyz.status === 200;
    const reasons = Array.isArray(r.reasons) ? r.reasons.map(String) : [];
    return {
      name,
      kind: 'peer',
      url,
      up: true,
      role: `peer (${String(h.phase ?? r.phase ?? '?')})`,
      blocks: height === null ? null : height + 1,
      lag: null,
      leader: null,
      ready,
      detail: ready ? 'ready' : `not ready${reasons.length ? `: ${reasons.join('; ')}` : ''}`,
    };
  } catch (error) {
    return down(name, 'peer', url, error);
  }
}

/** Fills in each node's lag behind the highest orderer (or node) that answered. */
export function withLag(nodes: NodeStatus[]): NodeStatus[] {
  const heights = (kind?: NodeStatus['kind']) =>
    nodes
      .filter((n) => n.blocks !== null && (kind === undefined || n.kind === kind))
      .map((n) => n.blocks as number);
  const orderers = heights('orderer');
  const top = orderers.length > 0 ? Math.max(...orderers) : Math.max(-1, ...heights());
  for (const node of nodes)
    node.lag = node.blocks === null || top < 0 ? null : Math.max(0, top - node.blocks);
  return nodes;
}

async function status(out: Output, options: StatusOptions): Promise<void> {
  const timeoutMs = Number(options.timeoutMs);
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1)
    throw new CliError('--timeout-ms must be a positive integer', ExitCode.USAGE);
  const network = openNetwork(options.network);
  const nodes = withLag(
    await Promise.all([
      ...network.orderers.map((o) => ordererStatus(o.nodeId, nodeUrl(options.host, o.httpPort), timeoutMs)),
      ...network.peers.map((p) => peerStatus(p.peerId, nodeUrl(options.host, p.httpPort), timeoutMs)),
    ]),
  );
  if (options.json) {
    out.line(JSON.stringify(nodes, null, 2));
  } else {
    out.line(`channel ${network.channel} (${network.dir})`);
    out.line(
      formatTable(
        ['NODE', 'KIND', 'URL', 'STATE', 'ROLE', 'BLOCKS', 'LAG', 'LEADER', 'HEALTH'],
        nodes.map((n) => [
          n.name,
          n.kind,
          n.url,
          n.up ? 'up' : 'down',
          n.role,
          n.blocks === null ? '-' : String(n.blocks),
          n.lag === null ? '-' : String(n.lag),
          n.leader ?? '-',
          n.detail,
        ]),
      ),
    );
  }
  const downNodes = nodes.filter((n) => !n.up);
  if (downNodes.length > 0 && options.allowDown !== true) {
    throw new CliError(`${downNodes.length} node(s) down: ${downNodes.map((n) => n.name).join(', ')}`);
  }
}
