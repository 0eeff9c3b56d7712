import { availableParallelism } from 'node:os';
import type { UnsafeKnobs } from '../knobs.js';
import type { CampaignSummary } from './campaign.js';
import { runCampaignParallel, type CampaignOptions } from './parallel.js';
import { runSimulation } from './simulation.js';

const USAGE = `usage: npm run sim -- [options]
  --seed N             run one seed and print its result (replays it exactly)
  --seeds COUNT        run COUNT seeds (from --from, default 1) on all cores
  --from N             first seed of a campaign (default 1)
  --workers K          worker threads for a campaign (default: the cores available)
  --trace              with --seed: print the whole event trace
  --no-faults          no network, crash, pause or partition faults
  --nodes N            cluster size (default: drawn per seed from 1, 3, 5)
  --flow I             flow-control profile (message size, in-flight window), 0..4
  --buggify MODE       on, off or aggressive (crash at delicate moments; default: drawn)
  --unsafe KNOB        TEST ONLY: turn on a deliberately wrong rule
                       (commitPreviousTermByCounting, voteWithoutLogCheck)`;

interface Args {
  seed: number | null;
  seeds: number | null;
  from: number;
  workers: number;
  trace: boolean;
  faults: boolean;
  nodes: number | undefined;
  flowProfile: number | undefined;
  buggify: boolean | 'aggressive' | undefined;
  unsafe: UnsafeKnobs;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = {
    seed: null,
    seeds: null,
    from: 1,
    workers: availableParallelism(),
    trace: false,
    faults: true,
    nodes: undefined,
    flowProfile: undefined,
    buggify: undefined,
    unsafe: {},
  };
  const int = (name: string, value: string | undefined, min: number): number => {
    const n = Number(value);
    if (value === undefined || !Number.isSafeInteger(n) || n < min)
      throw new Error(`${name} needs an integer ≥ ${min}, got ${String(value)}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    switch (arg) {
      case '--seed':
        args.seed = int(arg, argv[++i], 0);
        break;
      case '--seeds':
        args.seeds = int(arg, argv[++i], 1);
        break;
      case '--from':
        args.from = int(arg, argv[++i], 0);
        break;
      case '--workers':
        args.workers = int(arg, argv[++i], 1);
        break;
      case '--nodes':
        args.nodes = int(arg, argv[++i], 1);
        break;
      case '--trace':
        args.trace = true;
        break;
      case '--flow':
        args.flowProfile = int(arg, argv[++i], 0);
        break;
      case '--buggify': {
        const mode = argv[++i];
        if (mode !== 'on' && mode !== 'off' && mode !== 'aggressive') {
          throw new Error(`--buggify needs on, off or aggressive, got ${String(mode)}`);
        }
        args.buggify = mode === 'aggressive' ? mode : mode === 'on';
        break;
      }
      case '--no-faults':
        args.faults = false;
        break;
      case '--unsafe': {
        const knob = argv[++i];
        if (knob !== 'commitPreviousTermByCounting' && knob !== 'voteWithoutLogCheck')
          throw new Error(`unknown unsafe knob ${String(knob)}`);
        args.unsafe = { ...args.unsafe, [knob]: true };
        break;
      }
      case '--help':
      case '-h':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown argument ${String(arg)}`);
    }
  }
  if ((args.seed === null) === (args.seeds === null))
    throw new Error('give either --seed N or --seeds COUNT');
  return args;
}

function simOptions(args: Args): CampaignOptions {
  return {
    faults: args.faults,
    nodes: args.nodes,
    flowProfile: args.flowProfile,
    buggify: args.buggify,
    unsafe: args.unsafe,
  };
}

/** The options to repeat on a replay command line. */
function replayFlags(args: Args): string {
  let flags = args.faults ? '' : ' --no-faults';
  if (args.nodes !== undefined) flags += ` --nodes ${args.nodes}`;
  if (args.flowProfile !== undefined) flags += ` --flow ${args.flowProfile}`;
  if (args.buggify !== undefined)
    flags += ` --buggify ${args.buggify === true ? 'on' : args.buggify === false ? 'off' : args.buggify}`;
  for (const knob of Object.keys(args.unsafe)) flags += ` --unsafe ${knob}`;
  return flags;
}

function runOne(args: Args): number {
  const started = performance.now();
  const result = runSimulation({
    ...simOptions(args),
    seed: args.seed as number,
    keepTrace: args.trace,
    traceTailLines: 200,
  });
  const s = result.scenario;
  if (args.trace) console.log((result.trace ?? []).join('\n'));
  console.log(
    `seed ${result.seed}: ${s.nodes} nodes${s.spareNodes > 0 ? ` (+${s.spareNodes} spare)` : ''}, preVote=${s.preVote}, checkQuorum=${s.checkQuorum}, faults=${s.faults}, cycles=${s.cycles}`,
  );
  console.log(
    `  events ${result.events}, simulated ${(result.simTimeUs / 1e6).toFixed(2)} s, committed entries ${result.committedEntries}, recoveries (ticks) [${result.recoveryTicks.join(', ')}]`,
  );
  console.log(`  ${JSON.stringify(result.stats)}`);
  console.log(`  trace hash ${result.traceHash}   (${((performance.now() - started) / 1000).toFixed(2)} s)`);
  if (result.violation === null) {
    console.log('  no invariant violated');
    return 0;
  }
  if (!args.trace)
    console.log(`--- last ${result.traceTail.length} events ---\n${result.traceTail.join('\n')}`);
  console.log(`VIOLATION (seed ${result.seed}): ${result.violation.message}`);
  console.log(`replay: npm run sim -- --seed ${result.seed} --trace${replayFlags(args)}`);
  return 1;
}

function bar(done: number, total: number, summary: CampaignSummary, startedMs: number): string {
  const width = 30;
  const filled = Math.round((done / total) * width);
  const seconds = (performance.now() - startedMs) / 1000;
  const eta = done === 0 ? 0 : (seconds / done) * (total - done);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} seeds, ${summary.failures.length} violations, ${seconds.toFixed(0)} s elapsed, ~${eta.toFixed(0)} s left`;
}

async function runMany(args: Args): Promise<number> {
  const count = args.seeds as number;
  const options = simOptions(args);
  const started = performance.now();
  const tty = process.stderr.isTTY === true;
  let lastTenth = -1;
  const summary = await runCampaignParallel(args.from, count, options, args.workers, (progress) => {
    if (tty) {
      process.stderr.write(`\r${bar(progress.seeds, count, progress, started)}`);
    } else {
      const tenth = Math.floor((progress.seeds / count) * 10);
      if (tenth !== lastTenth) {
        lastTenth = tenth;
        process.stderr.write(`${bar(progress.seeds, count, progress, started)}\n`);
      }
    }
  });
  if (tty) process.stderr.write('\n');
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `seeds            ${summary.seeds} (${args.from}..${args.from + count - 1}), faults=${args.faults}, ${args.workers} workers`,
  );
  console.log(`events           ${summary.events} (${Math.round(summary.events / seconds)} per second)`);
  console.log(
    `simulated time   ${(summary.simTimeUs / 1e6).toFixed(0)} s, committed entries ${summary.committedEntries}`,
  );
  console.log(
    `heals            ${summary.heals}, longest recovery ${summary.maxRecoveryTicks} ticks (seed ${summary.maxRecoverySeed ?? '-'})`,
  );
  console.log(`violations       ${summary.failures.length}`);
  console.log(`wall time        ${seconds.toFixed(1)} s`);
  for (const failure of summary.failures.slice(0, 20)) {
    console.log(
      `  seed ${failure.seed}: ${failure.message.split('\n')[0]}   replay: npm run sim -- --seed ${failure.seed} --trace${replayFlags(args)}`,
    );
  }
  const first = summary.failures[0];
  if (first !== undefined)
    console.log(`--- seed ${first.seed}, last events ---\n${first.traceTail.slice(-40).join('\n')}`);
  return summary.failures.length === 0 ? 0 : 1;
}

async function main(): Promise<void> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  process.exitCode = args.seed !== null ? runOne(args) : await runMany(args);
}

await main();
