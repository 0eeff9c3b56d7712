import { checkNodeId } from './config.js';
import { InvalidConfChangeError, RaftConfigError } from './errors.js';
import { bcastAppend, maybeCommit } from './leader.js';
import type { Raft } from './raft.js';
import type { ProgressTracker } from './tracker.js';
import type { ConfChange } from './types.js';
import { ConfChangeType, Role } from './types.js';

const CHANGE_TYPES: readonly string[] = Object.values(ConfChangeType);

/**
 * Refuses a membership change that makes no sense against the current membership (which is
 * also the membership it will be applied to: one change at a time).
 */
export function checkConfChange(tracker: ProgressTracker, change: ConfChange): void {
  if (change === null || typeof change !== 'object')
    throw new InvalidConfChangeError('membership change must be an object');
  if (!CHANGE_TYPES.includes(change.type))
    throw new InvalidConfChangeError(`unknown membership change type ${String(change.type)}`);
  try {
    checkNodeId('nodeId', change.nodeId);
  } catch (cause) {
    if (cause instanceof RaftConfigError)
      throw new InvalidConfChangeError(`bad node id in membership change: ${cause.message}`, { cause });
    throw cause;
  }
  if (change.context !== undefined && !(change.context instanceof Uint8Array)) {
    throw new InvalidConfChangeError('membership change context must be a Uint8Array');
  }
  const id = change.nodeId;
  switch (change.type) {
    case ConfChangeType.AddVoter:
      if (tracker.voters.has(id)) throw new InvalidConfChangeError(`${id} is already a voter`);
      break;
    case ConfChangeType.AddLearner:
      if (tracker.voters.has(id))
        throw new InvalidConfChangeError(`${id} is a voter; demotion is not supported`);
      if (tracker.learners.has(id)) throw new InvalidConfChangeError(`${id} is already a learner`);
      break;
    case ConfChangeType.RemoveNode:
      if (!tracker.isMember(id)) throw new InvalidConfChangeError(`${id} is not a member`);
      if (tracker.voters.has(id) && tracker.voters.size === 1)
        throw new InvalidConfChangeError(`cannot remove the last voter ${id}`);
      break;
  }
}

/**
 * Applies a committed membership change (every node does so when it applies the entry, so all
 * agree). A change that no longer makes sense is skipped the same way on every node.
 */
export function applyConfChange(r: Raft, change: ConfChange): void {
  try {
    checkConfChange(r.tracker, change);
  } catch (error) {
    if (error instanceof InvalidConfChangeError) return;
    throw error;
  }
  const next = r.log.lastIndex() + 1;
  if (change.type === ConfChangeType.AddVoter) r.tracker.addVoter(change.nodeId, next);
  else if (change.type === ConfChangeType.AddLearner) r.tracker.addLearner(change.nodeId, next);
  else r.tracker.remove(change.nodeId);
  if (r.role !== Role.Leader) return;
  if (!r.tracker.isMember(r.id)) {
    // A removed leader steps down; the others elect a new one after their election timeout.
    r.becomeFollower(r.term, null);
    return;
  }
  if (r.leadTransferee !== null && !r.tracker.voters.has(r.leadTransferee)) r.leadTransferee = null;
  // A smaller quorum may commit pending entries; a new member needs its first append.
  maybeCommit(r);
  bcastAppend(r);
}
