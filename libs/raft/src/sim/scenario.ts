import type { UnsafeKnobs } from '../knobs.js';
import { Prng } from '../prng.js';

/** What a caller may fix; everything else is drawn from the seed. */
export interface SimOptions {
  readonly seed: number;
  /** Network, crash, pause and partition faults (default true). */
  readonly faults?: boolean;
  /** Cluster size (default drawn from 1, 3, 5). */
  readonly nodes?: number;
  /** Fault/heal cycles (default drawn from 1 to 3). */
  readonly cycles?: number;
  /** Membership changes during the run (default drawn). */
  readonly membership?: boolean;
  /** Proposals per second per client, on average (default drawn). */
  readonly proposalsPerSecond?: number;
  /** Index into FLOW_PROFILES (message size and in-flight window); default drawn. */
  readonly flowProfile?: number;
  /**
   * Buggify fault points: off, on (rates drawn), or 'aggressive' (high rates, to hunt rare
   * interleavings such as Figure 8's). Default: on in half of the seeds with faults.
   */
  readonly buggify?: boolean | 'aggressive';
  /** Keep every trace line (for --trace); otherwise only the last `traceTailLines`. */
  readonly keepTrace?: boolean;
  readonly traceTailLines?: number;
  /** Deliberately wrong rules (tests only). */
  readonly unsafe?: UnsafeKnobs;
}

/** The complete, seed-derived description of one run. */
export interface Scenario {
  readonly seed: number;
  readonly faults: boolean;
  readonly nodes: number;
  readonly spareNodes: number;
  readonly cycles: number;
  readonly tickUs: number;
  readonly electionTicks: number;
  readonly heartbeatTicks: number;
  readonly preVote: boolean;
  readonly checkQuorum: boolean;
  readonly maxSizePerMsgBytes: number;
  readonly maxInflightMsgs: number;
  readonly snapshotEveryEntries: number;
  readonly compactionKeepEntries: number;
  readonly payloadBytesMax: number;
  readonly clients: number;
  readonly proposalIntervalUs: number;
  readonly useCodec: boolean;
  /**
   * Buggify (FoundationDB style): fault points at moments known to be delicate. Probability
   * that a new leader crashes after persisting its first Ready but before sending it, and that
   * a leader crashes in the event its commit index first advances in its term.
   */
  readonly crashAfterElectionRate: number;
  readonly crashOnFirstCommitRate: number;
  /** Per node clock rate (1 ± skew). */
  readonly clockRates: readonly number[];
  readonly faultPhaseUs: readonly number[];
  readonly calmPhaseUs: number;
  /** Liveness: ticks after a heal within which one stable leader must have every node caught up. */
  readonly recoveryBoundTicks: number;
  readonly unsafe: UnsafeKnobs;
  readonly keepTrace: boolean;
  readonly traceTailLines: number;
}

/**
 * Recovery bound after a heal, in ticks of electionTicks = 10. An election needs at most a few
 * randomized timeouts (10–20 ticks each) when split votes repeat; catching up is bounded by the
 * entries written during the fault phase. The longest recovery measured over 10,000 seeds is
 * reported by the campaign summary (see docs/raft.md); the bound leaves a wide margin.
 */
export const RECOVERY_BOUND_TICKS = 300;

export const FLOW_PROFILES = [
  // One entry per message at most (an empty entry is 24 bytes): the most partial states.
  { maxSizePerMsgBytes: 40, maxInflightMsgs: 16 },
  { maxSizePerMsgBytes: 128, maxInflightMsgs: 8 },
  { maxSizePerMsgBytes: 512, maxInflightMsgs: 1 },
  { maxSizePerMsgBytes: 4096, maxInflightMsgs: 4 },
  { maxSizePerMsgBytes: 64 * 1024, maxInflightMsgs: 256 },
] as const;

export function makeScenario(options: SimOptions): Scenario {
  const rng = new Prng(options.seed, 'scenario');
  const faults = options.faults ?? true;
  const nodes = options.nodes ?? rng.pick([1, 3, 3, 3, 5, 5]);
  const membership = options.membership ?? (nodes > 1 && rng.chance(0.35));
  const cycles = options.cycles ?? rng.between(1, 3);
  const clockRates: number[] = [];
  const spareNodes = membership ? 2 : 0;
  for (let i = 0; i < nodes + spareNodes; i++) clockRates.push(faults ? 1 + (rng.float() - 0.5) * 0.1 : 1);
  const faultPhaseUs: number[] = [];
  for (let i = 0; i < cycles; i++) faultPhaseUs.push(rng.between(800, 2500) * 1000);
  const perSecond = options.proposalsPerSecond ?? rng.pick([20, 50, 100, 200]);
  // Message size and in-flight window go together: each profile still moves several entries
  // per round trip, so that a node far behind catches up within the recovery bound.
  const flow = FLOW_PROFILES[options.flowProfile ?? rng.below(FLOW_PROFILES.length)];
  if (flow === undefined) throw new RangeError(`no flow profile ${String(options.flowProfile)}`);
  const buggifyDraw = rng.chance(0.5);
  const buggify = faults && (options.buggify ?? buggifyDraw) !== false;
  const aggressive = options.buggify === 'aggressive';
  return {
    seed: options.seed,
    faults,
    nodes,
    spareNodes,
    cycles,
    tickUs: 10_000,
    electionTicks: 10,
    heartbeatTicks: rng.pick([1, 1, 2]),
    preVote: rng.chance(0.7),
    checkQuorum: rng.chance(0.7),
    maxSizePerMsgBytes: flow.maxSizePerMsgBytes,
    maxInflightMsgs: flow.maxInflightMsgs,
    snapshotEveryEntries: rng.pick([8, 32, 128, 100_000]),
    compactionKeepEntries: rng.between(0, 8),
    payloadBytesMax: Math.min(rng.pick([16, 64, 96]), flow.maxSizePerMsgBytes - 24),
    clients: rng.between(1, 3),
    proposalIntervalUs: Math.round(1_000_000 / perSecond),
    useCodec: rng.chance(0.3),
    crashAfterElectionRate: !buggify ? 0 : aggressive ? 0.5 : rng.pick([0.05, 0.25]),
    crashOnFirstCommitRate: !buggify ? 0 : aggressive ? 0.5 : rng.pick([0.05, 0.3]),
    clockRates,
    faultPhaseUs,
    calmPhaseUs: rng.between(100, 400) * 1000,
    recoveryBoundTicks: RECOVERY_BOUND_TICKS,
    unsafe: options.unsafe ?? {},
    keepTrace: options.keepTrace ?? false,
    traceTailLines: options.traceTailLines ?? 300,
  };
}
