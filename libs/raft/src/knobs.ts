import type { RaftConfig } from './config.js';

/**
 * Deliberately wrong rules, for tests only: they let the simulator prove that it finds the
 * violation they cause. Never exported from the package's public entry.
 */
export interface UnsafeKnobs {
  /** Commit an entry of an earlier term once a majority stores it (violates Figure 8). */
  readonly commitPreviousTermByCounting?: boolean;
  /** Grant votes without the log up-to-date check (violates leader completeness). */
  readonly voteWithoutLogCheck?: boolean;
}

const UNSAFE_KNOBS = Symbol('raft.unsafeKnobs');

type ConfigWithKnobs = RaftConfig & { readonly [UNSAFE_KNOBS]?: UnsafeKnobs };

/** A copy of `config` carrying test-only knobs (a symbol key: invisible to JSON and users). */
export function withUnsafeKnobs(config: RaftConfig, knobs: UnsafeKnobs): RaftConfig {
  const copy: ConfigWithKnobs = { ...config, [UNSAFE_KNOBS]: knobs };
  return copy;
}

export function unsafeKnobsOf(config: RaftConfig): UnsafeKnobs {
  return (config as ConfigWithKnobs)[UNSAFE_KNOBS] ?? {};
}
