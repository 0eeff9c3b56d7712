/**
 * @civic/raft/sim: the deterministic simulator of @civic/raft (see docs/raft.md).
 */
export type { SimOptions, Scenario } from './scenario.js';
export { makeScenario, RECOVERY_BOUND_TICKS } from './scenario.js';
export type { SimResult, SimStats } from './simulation.js';
export { runSimulation, Simulation } from './simulation.js';
export { Invariant, InvariantViolation } from './invariants.js';
