/**
 * Committed entries per CPU second in the simulator, for 3 and 5 nodes, with and without
 * faults (every invariant is checked after every event, as in the campaigns), and the raw
 * state machine under a minimal synchronous driver for comparison.
 *
 *   npm run bench -w @civic/raft        (builds, then runs this file with Node's type stripping)
 */
import { cpuUsage } from 'node:process';
import { MemoryStorage, RaftNode } from '@civic/raft';
import type { Message } from '@civic/raft';
import { runSimulation } from '@civic/raft/sim';

const SEEDS = Number(process.env['BENCH_SEEDS'] ?? 20);

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const used = cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

interface Row {
  readonly name: string;
  readonly entries: number;
  readonly events: number;
  readonly simSeconds: number;
  readonly cpu: number;
}

function simulate(nodes: number, faults: boolean): Row {
  let entries = 0;
  let events = 0;
  let simUs = 0;
  const start = cpuUsage();
  for (let seed = 1; seed <= SEEDS; seed++) {
    const result = runSimulation({
      seed,
      nodes,
      faults,
      proposalsPerSecond: 200,
      membership: false,
      traceTailLines: 0,
    });
    if (result.violation !== null) throw new Error(`seed ${seed}: ${result.violation.message}`);
    entries += result.committedEntries;
    events += result.events;
    simUs += result.simTimeUs;
  }
  return {
    name: `sim ${nodes} nodes, ${faults ? 'faults' : 'no faults'}`,
    entries,
    events,
    simSeconds: simUs / 1e6,
    cpu: cpuSeconds(start),
  };
}

/** The state machine alone: 3 nodes, messages delivered at once, one proposal at a time. */
function core(nodes: number, proposals: number): Row {
  const ids = Array.from({ length: nodes }, (_, i) => `n${i + 1}`);
  const storages = new Map(ids.map((id) => [id, MemoryStorage.bootstrap(ids)]));
  const raft = new Map(
    ids.map((id) => [id, new RaftNode({ id, preVote: false }, storages.get(id) as MemoryStorage)]),
  );
  const queue: Message[] = [];
  let events = 0;
  const drain = (): void => {
    for (let rounds = 0; rounds < 1000; rounds++) {
      for (const [id, node] of raft) {
        while (node.hasReady()) {
          const ready = node.ready();
          const storage = storages.get(id) as MemoryStorage;
          storage.append(ready.entries);
          if (ready.hardState !== null) storage.setHardState(ready.hardState);
          queue.push(...ready.messages);
          node.advance(ready);
        }
      }
      if (queue.length === 0) return;
      for (const message of queue.splice(0)) {
        events++;
        raft.get(message.to)?.step(message);
      }
    }
  };
  const leader = raft.get('n1') as RaftNode;
  leader.campaign();
  drain();
  const data = new Uint8Array(100);
  const start = cpuUsage();
  for (let i = 0; i < proposals; i++) {
    leader.propose(data);
    drain();
    if (i % 1000 === 999) {
      // Keep memory flat, as an application's snapshots would.
      for (const storage of storages.values()) {
        const commit = storage.hardStateNow().commit;
        storage.createSnapshot(commit, { voters: ids, learners: [] }, new Uint8Array());
        storage.compact(commit);
      }
    }
  }
  return {
    name: `core ${nodes} nodes, no checks`,
    entries: leader.status().commit,
    events,
    simSeconds: 0,
    cpu: cpuSeconds(start),
  };
}

const rows: Row[] = [
  simulate(3, false),
  simulate(3, true),
  simulate(5, false),
  simulate(5, true),
  core(3, 20_000),
  core(5, 20_000),
];
console.log(`@civic/raft throughput (${SEEDS} seeds per simulator row; CPU time of this process)`);
console.log(
  'configuration                 committed entries   CPU s   entries / CPU s   events / CPU s   simulated s / CPU s',
);
for (const row of rows) {
  console.log(
    `${row.name.padEnd(30)}${String(row.entries).padStart(17)}${row.cpu.toFixed(2).padStart(8)}${Math.round(
      row.entries / row.cpu,
    )
      .toString()
      .padStart(18)}${Math.round(row.events / row.cpu)
      .toString()
      .padStart(17)}${(row.simSeconds === 0 ? '-' : (row.simSeconds / row.cpu).toFixed(1)).padStart(22)}`,
  );
}
const [sim3, sim3f, sim5, sim5f] = rows;
const perCpu = (row: Row): number => row.entries / row.cpu;
if (sim3 && sim3f && sim5 && sim5f) {
  console.log(
    `entries per CPU second with faults / without: ${(perCpu(sim3f) / perCpu(sim3)).toFixed(2)} (3 nodes), ${(perCpu(sim5f) / perCpu(sim5)).toFixed(2)} (5 nodes)`,
  );
}
