import { configIssues, type ConfigIssue } from './validate.js';
import type { ChannelConfig, ConsenterConfig } from './types.js';

/**
 * Config updates (old → new), as the orderer checks them before ordering and every peer
 * before applying: the new config is valid, keeps the channel, has the next sequence, and
 * changes the consenter set by at most one member while keeping a quorum of the old set, so
 * that the Raft cluster can always reconfigure one step at a time without losing its majority.
 * Who signed the update is checked separately (configUpdateSigners, against `admins`).
 */

export class ConfigUpdateError extends Error {
  override readonly name = 'ConfigUpdateError';
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(
      `config update refused (${issues.length} issue${issues.length === 1 ? '' : 's'}):\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`,
    );
  }
}

/** What changes in the consenter set, by nodeId. */
export interface ConsenterChange {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** Same nodeId, other certificate or organisation (a certificate rotation). */
  readonly changed: readonly string[];
}

export function consenterChange(
  current: readonly ConsenterConfig[],
  next: readonly ConsenterConfig[],
): ConsenterChange {
  const before = new Map(current.map((c) => [c.nodeId, c]));
  const after = new Map(next.map((c) => [c.nodeId, c]));
  const added = [...after.keys()].filter((id) => !before.has(id));
  const removed = [...before.keys()].filter((id) => !after.has(id));
  const changed = [...after.keys()].filter((id) => {
    const old = before.get(id);
    const now = after.get(id)!;
    return old !== undefined && (old.cert !== now.cert || old.mspId !== now.mspId);
  });
  return { added, removed, changed };
}

/** Every reason to refuse `next` as the successor of `current`; empty when it may follow. */
export function configUpdateIssues(current: ChannelConfig, next: unknown): ConfigIssue[] {
  const issues = configIssues(next);
  if (issues.length > 0) return issues;
  const config = next as ChannelConfig;
  if (config.channel !== current.channel) {
    issues.push({ path: '$.channel', message: `must stay ${current.channel}, found ${config.channel}` });
  }
  if (config.sequence !== current.sequence + 1) {
    issues.push({
      path: '$.sequence',
      message: `must be ${current.sequence + 1} (the config in force has ${current.sequence}), found ${config.sequence}`,
    });
  }
  const change = consenterChange(current.consenters, config.consenters);
  const touched = change.added.length + change.removed.length + change.changed.length;
  if (touched > 1) {
    issues.push({
      path: '$.consenters',
      message: `at most one consenter may be added, removed or changed per update, found ${describe(change)}`,
    });
  }
  const kept = current.consenters.length - change.removed.length - change.changed.length;
  const quorum = Math.floor(current.consenters.length / 2) + 1;
  if (kept < quorum) {
    issues.push({
      path: '$.consenters',
      message: `keeps ${kept} of the ${current.consenters.length} current consenters unchanged; a quorum of ${quorum} must stay`,
    });
  }
  return issues;
}

function describe(change: ConsenterChange): string {
  const parts = [
    ...change.added.map((id) => `+${id}`),
    ...change.removed.map((id) => `-${id}`),
    ...change.changed.map((id) => `~${id}`),
  ];
  return parts.join(', ');
}

/** Returns the new config typed when it may follow `current`; throws ConfigUpdateError. */
export function checkConfigUpdate(current: ChannelConfig, next: unknown): ChannelConfig {
  const issues = configUpdateIssues(current, next);
  if (issues.length > 0) throw new ConfigUpdateError(issues);
  return next as ChannelConfig;
}
