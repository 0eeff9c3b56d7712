import type { SimOptions } from './scenario.js';
import type { SimResult } from './simulation.js';
import { runSimulation } from './simulation.js';

/** One failing seed, with what is needed to replay it. */
export interface SeedFailure {
  readonly seed: number;
  readonly invariant: string;
  readonly message: string;
  readonly traceHash: string;
  readonly traceTail: readonly string[];
}

/** What a run of many seeds found. */
export interface CampaignSummary {
  seeds: number;
  events: number;
  committedEntries: number;
  simTimeUs: number;
  failures: SeedFailure[];
  maxRecoveryTicks: number;
  maxRecoverySeed: number | null;
  heals: number;
}

export function emptySummary(): CampaignSummary {
  return {
    seeds: 0,
    events: 0,
    committedEntries: 0,
    simTimeUs: 0,
    failures: [],
    maxRecoveryTicks: 0,
    maxRecoverySeed: null,
    heals: 0,
  };
}

export function addResult(summary: CampaignSummary, result: SimResult): void {
  summary.seeds++;
  summary.events += result.events;
  summary.committedEntries += result.committedEntries;
  summary.simTimeUs += result.simTimeUs;
  summary.heals += result.recoveryTicks.length;
  for (const ticks of result.recoveryTicks) {
    if (ticks > summary.maxRecoveryTicks) {
      summary.maxRecoveryTicks = ticks;
      summary.maxRecoverySeed = result.seed;
    }
  }
  if (result.violation !== null) {
    summary.failures.push({
      seed: result.seed,
      invariant: result.violation.invariant,
      message: result.violation.message,
      traceHash: result.traceHash,
      traceTail: result.traceTail,
    });
  }
}

export function mergeSummaries(into: CampaignSummary, from: CampaignSummary): void {
  into.seeds += from.seeds;
  into.events += from.events;
  into.committedEntries += from.committedEntries;
  into.simTimeUs += from.simTimeUs;
  into.heals += from.heals;
  into.failures.push(...from.failures);
  const tieToSmallerSeed =
    from.maxRecoveryTicks === into.maxRecoveryTicks &&
    (from.maxRecoverySeed ?? Infinity) < (into.maxRecoverySeed ?? Infinity);
  if (from.maxRecoveryTicks > into.maxRecoveryTicks || tieToSmallerSeed) {
    into.maxRecoveryTicks = from.maxRecoveryTicks;
    into.maxRecoverySeed = from.maxRecoverySeed;
  }
}

/** Runs seeds [from, from + count) in this thread. */
export function runSeeds(
  from: number,
  count: number,
  options: Omit<SimOptions, 'seed'> = {},
  onSeed?: (result: SimResult) => void,
): CampaignSummary {
  const summary = emptySummary();
  for (let seed = from; seed < from + count; seed++) {
    const result = runSimulation({ ...options, seed });
    addResult(summary, result);
    onSeed?.(result);
  }
  return summary;
}
