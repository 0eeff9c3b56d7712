import { loadNetwork, NetworkFileError } from '@civic/identity';
import { CliError, formatTable, type Output } from '../output.js';
import { DemoClient, type PeerBlock } from './demo-client.js';
import { parkingStory } from './parking-story.js';
import { Story } from './story.js';
import { subsidiesStory } from './subsidies-story.js';
import { transportStory } from './transport-story.js';

/** How long the peers may take to reach the same height at the end. */
const CONVERGE_TIMEOUT_MS = 20_000;
/** Blocks listed at most (a busy mesh may cut many blocks meanwhile). */
const BLOCKS_SHOWN_MAX = 200;

/**
 * `civic demo`: a scripted story through the REST APIs of the running development mesh
 * (`civic dev up`), then the blocks it produced as both peers hold them, and both peers' height
 * and commit hash, which must be equal (CliError, exit 1, otherwise). Names are fresh on every
 * run (a run id from the clock), so the demo can run again on the same mesh.
 */
export async function runDemo(out: Output, networkDir: string, nowMs: number): Promise<void> {
  let network;
  try {
    network = loadNetwork(networkDir);
  } catch (error) {
    if (error instanceof NetworkFileError)
      throw new CliError(`${error.message}; start the mesh first with npm start`, undefined, {
        cause: error,
      });
    throw error;
  }
  const client = new DemoClient(network);
  const start = await Promise.all(
    client.peers.map(async (p) => {
      try {
        return await client.height(p.url);
      } catch {
        throw new CliError(
          `peer ${p.peerId} does not answer on ${p.url}: start the mesh first with npm start`,
        );
      }
    }),
  );
  if (!(await client.domainRuns('subsidies')))
    throw new CliError('the subsidies services do not answer: start the mesh first with npm start');
  const story = new Story(client, out, nowMs.toString(36));
  out.line(`Civic Ledger demo on channel ${network.channel} (run ${story.runId})`);
  out.line(`peers: ${client.peers.map((p, i) => `${p.peerId} at block ${start[i]!.height}`).join(', ')}`);

  await subsidiesStory(story);
  for (const [domain, tell] of [
    ['parking', parkingStory],
    ['transport', transportStory],
  ] as const) {
    if (await client.domainRuns(domain)) await tell(story);
    else out.line(`\n(${domain}: its services are not running, skipped; npm start runs them all)`);
  }

  const fromBlock = Math.min(...start.map((s) => s.height)) + 1;
  const last = await converge(client);
  await printBlocks(out, client, story, fromBlock, last.height);
  out.line('');
  for (const [i, peer] of client.peers.entries())
    out.line(`${peer.peerId.padEnd(14)} height ${last.heights[i]}  commit hash ${last.commitHashes[i]}`);
  if (new Set(last.commitHashes).size !== 1)
    throw new CliError(`the peers' commit hashes differ at block ${last.height}: a fork or a bug`);
  out.line(
    `both peers at block ${last.height} with the same commit hash: they agree on every block and code`,
  );
}

/** Waits (bounded) until every peer has the same height; then their commit hashes there. */
async function converge(client: DemoClient) {
  const deadline = performance.now() + CONVERGE_TIMEOUT_MS;
  for (;;) {
    const heights = await Promise.all(client.peers.map((p) => client.height(p.url)));
    const top = Math.max(...heights.map((h) => h.height));
    if (heights.every((h) => h.height === top) || performance.now() > deadline) {
      // Compare at the lowest height both have: a block still arriving is not a fork.
      const height = Math.min(...heights.map((h) => h.height));
      const blocks = await Promise.all(client.peers.map((p) => client.block(p.url, height)));
      return {
        height,
        heights: heights.map((h) => h.height),
        commitHashes: blocks.map((b) => b?.commitHash ?? 'missing'),
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function printBlocks(
  out: Output,
  client: DemoClient,
  story: Story,
  from: number,
  to: number,
): Promise<void> {
  const stepOf = new Map(story.written.map((t) => [t.txId, t.step]));
  const first = Math.max(from, to - BLOCKS_SHOWN_MAX + 1);
  const rows: string[][] = [];
  for (let n = first; n <= to; n++) {
    const copies = await Promise.all(client.peers.map((p) => client.block(p.url, n)));
    const [a] = copies;
    if (a === null || a === undefined) continue;
    const agree = copies.every((c) => c !== null && sameCodes(c, a));
    rows.push([
      String(n),
      a.txIds
        .map((id) => `${id.slice(0, 12)}… (${stepOf.has(id) ? `step ${stepOf.get(id)}` : 'other'})`)
        .join(' '),
      a.codes.join(' '),
      agree ? 'same on both peers' : 'DIFFERENT',
    ]);
    if (!agree) throw new CliError(`block ${n}: the peers disagree on its transactions or codes`);
  }
  out.line('');
  out.line(
    `Blocks ${first}..${to} (from the peers' query API; "other": written by the services on their own, e.g. batched access logs)`,
  );
  out.line(formatTable(['block', 'transactions', 'codes', 'peers'], rows));
  const notValid = story.written.filter((t) => !rows.some((r) => r[0] === String(t.block)));
  if (notValid.length > 0)
    throw new CliError(`blocks of ${notValid.length} writes are missing from the peers`);
}

function sameCodes(x: PeerBlock, y: PeerBlock): boolean {
  return x.txIds.join() === y.txIds.join() && x.codes.join() === y.codes.join();
}
