import { NotLeaderError, ProposalDroppedError, type ProposalResult } from '@civic/raft';
import {
  formatRfc3339Ms,
  parseRfc3339Ms,
  SubmitCode,
  type Block,
  type BlockSigner,
  type ChainTip,
  type Hex,
} from '@civic/protocol';
import type { Logger } from 'pino';
import { assembleSignedBlock } from '../chain/assemble.js';
import type { ChainState } from '../chain/chain-state.js';
import { type Rejection } from '../codes.js';
import { BlockCutter, type BatchLimits } from '../cutter/block-cutter.js';
import type { CheckedEnvelope } from '../intake/check-envelope.js';

/**
 * The leader's side of ordering: accepted envelopes go to the block cutter; cut batches wait
 * in a bounded queue; at most `inflightMax` blocks are proposed and not yet applied. Each block
 * is numbered after the last one proposed (or applied), chained, timed, signed, and proposed as
 * one Raft entry whose position the block's metadata states. A config block goes alone, only
 * when nothing is in flight, and nothing follows it until it is applied (so every block names
 * the config in force). Only active while this node leads and has applied its whole log;
 * `deactivate` (deposed) drops everything pending: clients resubmit on timeout.
 */
export interface PipelineItem {
  readonly checked: CheckedEnvelope;
  readonly size: number;
  readonly isConfig: boolean;
}

export interface PipelineDeps {
  readonly channel: string;
  readonly signer: BlockSigner;
  readonly clock: () => number;
  /** Where the next proposal will land (the leader's last index + 1, its term). */
  readonly nextPosition: () => ProposalResult;
  readonly propose: (data: Uint8Array) => ProposalResult;
  readonly log: Logger;
  readonly onCut: (envelopes: number, bytes: number, limits: BatchLimits) => void;
  readonly onCommitted: (latencyMs: number) => void;
}

interface Inflight {
  readonly index: number;
  readonly term: number;
  readonly number: number;
  readonly txIds: readonly Hex[];
  readonly proposedAtMs: number;
  readonly isConfig: boolean;
}

export class LeaderPipeline {
  private active = false;
  private cutter: BlockCutter<PipelineItem>;
  private readyBatches: PipelineItem[][] = [];
  private inflight: Inflight[] = [];
  private readonly pending = new Set<Hex>();
  private tip: ChainTip | null = null;
  private configNumber = 0;
  private inflightMax: number;
  private configPending = false;
  private timer: NodeJS.Timeout | null = null;
  /** Blocks proposed, by the identity of their bytes (entries keep the proposed array). */
  private readonly built = new WeakMap<Uint8Array, Block>();

  constructor(
    private readonly deps: PipelineDeps,
    limits: BatchLimits,
    inflightMax: number,
    /** Cut batches waiting for a proposal slot; beyond it intake answers OVERLOADED. */
    private readonly queuedBatchesMax: number,
  ) {
    this.cutter = new BlockCutter(limits);
    this.inflightMax = inflightMax;
  }

  get isActive(): boolean {
    return this.active;
  }

  get pendingEnvelopes(): number {
    return this.pending.size;
  }

  get inflightBlocks(): number {
    return this.inflight.length;
  }

  /** A config transaction is cut or in flight: another must wait. */
  get hasConfigPending(): boolean {
    return this.configPending;
  }

  /**
   * The block this leader built for these exact entry bytes (same object), as parseBlock would
   * give it: applying it need not parse it again.
   */
  builtBlock(data: Uint8Array): Block | undefined {
    return this.built.get(data);
  }

  isPending(txId: Hex): boolean {
    return this.pending.has(txId);
  }

  /** This node leads and has applied its whole log: order after `chain`. */
  activate(chain: ChainState, limits: BatchLimits, inflightMax: number): void {
    this.clearAll();
    this.active = true;
    this.tip = chain.tip;
    this.configNumber = chain.configNumber;
    this.cutter.setLimits(limits);
    this.inflightMax = inflightMax;
  }

  /** Deposed (or stopping): drops the pending batch, queued batches and in-flight tracking. */
  deactivate(): number {
    const dropped = this.pending.size;
    this.active = false;
    this.clearAll();
    return dropped;
  }

  /**
   * A config block put new limits in force. Batches cut under the old ones and not proposed
   * yet are cut again: every block proposed from now on must fit the limits followers check.
   */
  setLimits(limits: BatchLimits, inflightMax: number): void {
    const waiting = [...this.readyBatches.flat(), ...this.cutter.clear()];
    this.readyBatches = [];
    this.cutter.setLimits(limits);
    this.inflightMax = inflightMax;
    const now = this.deps.clock();
    for (const item of waiting) this.readyBatches.push(...this.cutter.add(item, now));
    this.armTimer();
  }

  /** Takes an envelope that passed intake; a rejection when it cannot be taken now. */
  admit(checked: CheckedEnvelope): Rejection | null {
    if (!this.active)
      return { code: SubmitCode.NOT_READY, reason: 'the leader is not ready to order', txId: checked.txId };
    if (this.pending.has(checked.txId)) {
      return {
        code: SubmitCode.DUPLICATE_TXID,
        reason: 'already accepted and waiting to be ordered',
        txId: checked.txId,
      };
    }
    const isConfig = checked.nextConfig !== null;
    if (isConfig && this.configPending) {
      return {
        code: SubmitCode.CONFIG_PENDING,
        reason: 'another config transaction is being ordered',
        txId: checked.txId,
      };
    }
    if (this.readyBatches.length >= this.queuedBatchesMax) {
      return {
        code: SubmitCode.OVERLOADED,
        reason: `${this.readyBatches.length} blocks wait to be proposed`,
        txId: checked.txId,
      };
    }
    this.pending.add(checked.txId);
    if (isConfig) this.configPending = true;
    const now = this.deps.clock();
    this.readyBatches.push(...this.cutter.add({ checked, size: checked.bytes.length, isConfig }, now));
    this.pump();
    this.armTimer();
    return null;
  }

  /** A block was applied (by anyone's proposal): settles what this leader had in flight. */
  onApplied(chain: ChainState, entryIndex: number, txIds: readonly Hex[]): void {
    for (const txId of txIds) this.pending.delete(txId);
    if (!this.active) return;
    while (this.inflight.length > 0 && (this.inflight[0] as Inflight).index <= entryIndex) {
      const done = this.inflight.shift() as Inflight;
      if (done.index === entryIndex) this.deps.onCommitted(this.deps.clock() - done.proposedAtMs);
      if (done.isConfig) this.configPending = false;
    }
    this.configNumber = chain.configNumber;
    if (this.inflight.length === 0 && this.tip !== null && this.tip.hash !== chain.tip.hash) {
      // The chain did not become what was proposed (a block was ignored): start over from it.
      this.deps.log.error(
        { proposedTip: this.tip.number, chainTip: chain.tip.number },
        'proposed blocks were not applied; resynchronising',
      );
      this.tip = chain.tip;
    }
    this.pump();
  }

  /** Cuts the pending batch if its timeout passed. */
  onTimer(): void {
    this.timer = null;
    if (!this.active) return;
    const batch = this.cutter.cutIfDue(this.deps.clock());
    if (batch !== null) this.readyBatches.push(batch);
    this.pump();
    this.armTimer();
  }

  private armTimer(): void {
    if (this.timer !== null || !this.active) return;
    const due = this.cutter.deadline();
    if (due === null) return;
    this.timer = setTimeout(() => this.onTimer(), Math.max(0, due - this.deps.clock()));
  }

  /** Proposes queued batches while the in-flight bound allows. */
  pump(): void {
    while (this.active && this.readyBatches.length > 0 && this.inflight.length < this.inflightMax) {
      const batch = this.readyBatches[0] as PipelineItem[];
      const isConfig = batch.length === 1 && (batch[0] as PipelineItem).isConfig;
      // A config block waits for an empty pipeline, and blocks it until applied.
      if (isConfig && this.inflight.length > 0) return;
      if (this.inflight.some((i) => i.isConfig)) return;
      if (!this.proposeBatch(batch, isConfig)) return;
      this.readyBatches.shift();
    }
  }

  private proposeBatch(batch: readonly PipelineItem[], isConfig: boolean): boolean {
    const tip = this.tip as ChainTip;
    const position = this.deps.nextPosition();
    const now = this.deps.clock();
    const time = formatRfc3339Ms(Math.max(now, parseRfc3339Ms(tip.time)));
    const block = assembleSignedBlock(
      {
        channel: this.deps.channel,
        number: tip.number + 1,
        previousHash: tip.hash,
        time,
        raft: { term: position.term, index: position.index },
        configNumber: this.configNumber,
        envelopes: batch.map((item) => item.checked),
      },
      this.deps.signer,
    );
    let result: ProposalResult;
    try {
      result = this.deps.propose(block.bytes);
    } catch (error) {
      if (error instanceof ProposalDroppedError) return false; // retried after the next apply
      if (error instanceof NotLeaderError) {
        this.deactivate();
        return false;
      }
      throw error;
    }
    if (result.index !== position.index || result.term !== position.term) {
      this.deps.log.error(
        { expected: position, got: result },
        'proposal landed elsewhere than predicted; its block will be ignored',
      );
    }
    const bytes = batch.reduce((sum, item) => sum + item.size, 0);
    this.deps.onCut(batch.length, bytes, this.cutter.currentLimits);
    this.inflight.push({
      index: result.index,
      term: result.term,
      number: block.header.number,
      txIds: batch.map((item) => item.checked.txId),
      proposedAtMs: now,
      isConfig,
    });
    this.tip = { channel: this.deps.channel, number: block.header.number, hash: block.blockHash, time };
    this.built.set(block.bytes, {
      header: block.header,
      envelopes: batch.map((item) => item.checked.envelope),
      metadata: block.metadata,
    });
    return true;
  }

  private clearAll(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.cutter.clear();
    this.readyBatches = [];
    this.inflight = [];
    this.pending.clear();
    this.configPending = false;
  }
}
