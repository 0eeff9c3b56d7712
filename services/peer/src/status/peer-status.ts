import type { AuditReport } from '@civic/ledger';

export const PeerPhase = {
  STARTING: 'starting',
  AUDITING: 'auditing',
  CATCHING_UP: 'catching-up',
  LIVE: 'live',
  HALTED: 'halted',
  STOPPING: 'stopping',
} as const;
export type PeerPhase = (typeof PeerPhase)[keyof typeof PeerPhase];

export interface ForkAlarm {
  readonly peerId: string;
  readonly height: number;
  readonly ours: string;
  readonly theirs: string;
}

/** Bound on remembered alarms (one per other peer is the expected case). */
const ALARMS_MAX = 64;

/**
 * What the peer is doing and what is wrong, for /healthz and /readyz. Ready = live (caught up
 * with the orderers), audit passed, not halted on a bad block, no fork alarm.
 */
export class PeerStatus {
  phase: PeerPhase = PeerPhase.STARTING;
  halted: { readonly block: number; readonly reason: string } | null = null;
  lastAudit: AuditReport | null = null;
  readonly forkAlarms = new Map<string, ForkAlarm>();

  halt(block: number, reason: string): void {
    this.halted = { block, reason };
    this.phase = PeerPhase.HALTED;
  }

  raiseForkAlarm(alarm: ForkAlarm): void {
    if (this.forkAlarms.size < ALARMS_MAX || this.forkAlarms.has(alarm.peerId))
      this.forkAlarms.set(alarm.peerId, alarm);
  }

  readiness(): { ready: boolean; reasons: string[] } {
    const reasons: string[] = [];
    if (this.halted) reasons.push(`halted on block ${this.halted.block}: ${this.halted.reason}`);
    else if (this.phase !== PeerPhase.LIVE) reasons.push(`phase ${this.phase}`);
    if (this.lastAudit && !this.lastAudit.ok)
      reasons.push(`audit found ${this.lastAudit.problems.length} problem(s)`);
    for (const alarm of this.forkAlarms.values()) {
      reasons.push(
        `peer ${alarm.peerId} has commit hash ${alarm.theirs} at height ${alarm.height}, we have ${alarm.ours}`,
      );
    }
    return { ready: reasons.length === 0, reasons };
  }
}
