import { ConfChangeType, type ConfChange, type NodeId } from '@civic/raft';

/**
 * The Raft membership follows the config's consenters, one change at a time: the leader
 * compares the two after applying and proposes the next step. Pure.
 */
export function nextMembershipChange(
  consenters: readonly NodeId[],
  voters: readonly NodeId[],
): ConfChange | null {
  const want = new Set(consenters);
  const have = new Set(voters);
  const toAdd = consenters.filter((id) => !have.has(id)).sort();
  if (toAdd.length > 0) return { type: ConfChangeType.AddVoter, nodeId: toAdd[0] as NodeId };
  const toRemove = voters.filter((id) => !want.has(id)).sort();
  if (toRemove.length > 0) return { type: ConfChangeType.RemoveNode, nodeId: toRemove[0] as NodeId };
  return null;
}

/**
 * Whether the cluster keeps a reachable quorum after changing its voters to `next`: the
 * leader counts itself and the members `isReachable` says it heard from lately (a new member
 * has not been heard from: it starts empty and must catch up first). Refusing otherwise is what keeps a
 * consenter change from leaving the cluster without a quorum (e.g. adding a fourth voter
 * while one of three is down: 2 of 4 cannot commit).
 */
export function keepsReachableQuorum(
  leaderId: NodeId,
  next: readonly NodeId[],
  isReachable: (id: NodeId) => boolean,
): {
  readonly ok: boolean;
  readonly reachable: number;
  readonly quorum: number;
  readonly unreachable: readonly NodeId[];
} {
  const quorum = Math.floor(next.length / 2) + 1;
  const unreachable = next.filter((id) => id !== leaderId && !isReachable(id));
  const reachable = next.length - unreachable.length;
  return { ok: reachable >= quorum, reachable, quorum, unreachable };
}
