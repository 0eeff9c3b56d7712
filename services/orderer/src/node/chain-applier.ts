import { join } from 'node:path';
import type { DeliveredBlock } from '@civic/messaging';
import { EntryType, type Entry } from '@civic/raft';
import {
  blockHashOf,
  parseBlock,
  parseRfc3339Ms,
  txIdOf,
  utf8Text,
  type Block,
  type Hex,
} from '@civic/protocol';
import type { Logger } from 'pino';
import {
  decideBlock,
  decideEntry,
  genesisState,
  stateAfterTip,
  type ChainState,
  type EntryDecision,
} from '../chain/chain-state.js';
import { HeightWatch } from '../delivery/height-watch.js';
import { BlockStoreCorruptError, ChainMismatchError } from '../errors.js';
import { TxIdWindow, type TxIdWindowOptions } from '../intake/txid-window.js';
import { BlockStore } from '../storage/block-store.js';

/** Applied blocks kept parsed for the publisher: the leader publishes right after applying. */
const RECENT_BLOCKS_MAX = 64;

/** A block applied lately: parsed, and its canonical bytes as the store holds them. */
export interface RecentBlock {
  readonly block: Block;
  readonly bytes: Uint8Array;
}

/** A block appended by `apply`, with the Raft entry that carried it. */
export type AppliedBlock = Extract<EntryDecision, { kind: 'append' }> & { readonly entryIndex: number };

/**
 * The chain as this orderer holds it: the block store, the chain state after its tip, the
 * heights waited on by delivery, and the txIds of recent blocks (duplicate refusal). Applying
 * committed entries stores their blocks (one fsync per Ready) before the state moves on.
 */
export class ChainApplier {
  /** The newest applied blocks, parsed and as stored, oldest first (at most RECENT_BLOCKS_MAX). */
  private readonly recent = new Map<number, RecentBlock>();

  private constructor(
    readonly store: BlockStore,
    private stateNow: ChainState,
    /** Raft index of the entry that carried the tip block (0 for genesis). */
    private tipIndex: number,
    readonly window: TxIdWindow,
    readonly watch: HeightWatch,
    private readonly log: Logger,
  ) {}

  /** Opens the store in `dataDir/blocks`, writing the genesis block into an empty one. */
  static async open(
    dataDir: string,
    genesisBytes: Uint8Array,
    windowOptions: TxIdWindowOptions,
    log: Logger,
  ): Promise<ChainApplier> {
    const { store, truncated } = await BlockStore.open(join(dataDir, 'blocks'));
    if (truncated !== null)
      log.warn(
        { ...truncated },
        'block store: dropped a torn last record (it is applied again from the Raft log)',
      );
    const genesis = parseBlock(genesisBytes);
    if (store.height === 0) {
      genesisState(genesis);
      await store.append([{ number: 0, bytes: genesisBytes }]);
    } else if (utf8Text(await store.read(0)) !== utf8Text(genesisBytes)) {
      throw new BlockStoreCorruptError(store.path, "block 0 is not the network's genesis block");
    }
    const tip = parseBlock(await store.read(store.height - 1));
    const configBlock = parseBlock(await store.read(tip.metadata.configNumber));
    const state = stateAfterTip(tip, configBlock);
    return new ChainApplier(
      store,
      state,
      tip.metadata.raft.index,
      new TxIdWindow(windowOptions),
      new HeightWatch(store.height),
      log,
    );
  }

  /** A recently applied block, parsed and as stored (the publisher's fast path), or undefined. */
  recentBlock(number: number): RecentBlock | undefined {
    return this.recent.get(number);
  }

  get state(): ChainState {
    return this.stateNow;
  }

  get tipRaftIndex(): number {
    return this.tipIndex;
  }

  /**
   * Refills the duplicate window from the newest blocks: a transaction can only be a duplicate
   * of one whose txTime is within the window, and a block's txTimes are at most one window
   * after its time, so the scan stops at the first block older than two windows and a margin.
   */
  async rebuildWindow(nowMs: number): Promise<number> {
    const { windowMs, marginMs } = this.window.options;
    let added = 0;
    for (let n = this.store.height - 1; n >= 1; n--) {
      const block = parseBlock(await this.store.read(n));
      if (parseRfc3339Ms(block.header.time) < nowMs - 2 * windowMs - marginMs) break;
      for (const envelope of block.envelopes) {
        const txTimeMs = parseRfc3339Ms(envelope.payload.txTime);
        if (!this.window.covers(txTimeMs, nowMs)) continue;
        this.window.add(txIdOf(envelope.payload), txTimeMs, true);
        added += 1;
      }
    }
    return added;
  }

  /**
   * Applies committed entries: blocks that extend the chain are stored (fsynced once), then the
   * state, the duplicate window and the height move on. Returns the blocks appended.
   * `parsedOf` gives the parsed block for entry data the caller built itself (the leader).
   */
  async apply(
    entries: readonly Entry[],
    parsedOf: (data: Uint8Array) => Block | undefined = () => undefined,
  ): Promise<AppliedBlock[]> {
    let state = this.stateNow;
    const appended: AppliedBlock[] = [];
    let first = true;
    for (const entry of entries) {
      if (entry.type !== EntryType.Normal || entry.data.length === 0) continue;
      // Verifying a large block takes a while: let heartbeats and votes through in between.
      if (!first) await new Promise((resolve) => setImmediate(resolve));
      first = false;
      const decision = decideEntry(state, entry, parsedOf(entry.data));
      if (decision.kind === 'append') {
        appended.push({ ...decision, entryIndex: entry.index });
        state = decision.next;
      } else if (decision.kind === 'ignore') {
        this.log.error(
          { index: entry.index, term: entry.term, reason: decision.reason },
          'ignoring a committed entry: its block does not extend the chain',
        );
        this.onIgnored?.();
      }
    }
    await this.commit(appended, state);
    return appended;
  }

  /** Called for every ignored entry (metrics). */
  onIgnored: (() => void) | null = null;

  private async commit(appended: readonly AppliedBlock[], state: ChainState): Promise<void> {
    if (appended.length === 0) return;
    await this.store.append(appended.map((a) => ({ number: a.block.header.number, bytes: a.bytes })));
    this.stateNow = state;
    this.tipIndex = (appended.at(-1) as AppliedBlock).block.metadata.raft.index;
    for (const a of appended) {
      rememberTxIds(this.window, a.block, a.txIds);
      this.recent.set(a.block.header.number, { block: a.block, bytes: a.bytes });
    }
    for (const number of this.recent.keys()) {
      if (this.recent.size <= RECENT_BLOCKS_MAX) break;
      this.recent.delete(number);
    }
    this.watch.advance(this.store.height);
  }

  /**
   * Brings the store up to a snapshot's chain tip with blocks fetched from other orderers:
   * each must extend the chain and verify, and the last must be the snapshot's tip. Throws
   * ChainMismatchError otherwise (nothing past the last verified block is stored).
   */
  async restoreTo(
    target: ChainState,
    raftIndex: number,
    fetch: (from: number, to: number) => AsyncIterable<DeliveredBlock>,
  ): Promise<number> {
    let state = this.stateNow;
    if (state.height > target.height) {
      // This node is already past the snapshot (it had applied further before a restart).
      const held = parseBlock(await this.store.read(target.tip.number));
      if (blockHashOf(held.header) !== target.tip.hash) {
        throw new ChainMismatchError(
          `block ${target.tip.number} is held with another hash than the snapshot's ${target.tip.hash}`,
        );
      }
      return 0;
    }
    let fetched = 0;
    if (state.height < target.height) {
      const batch: AppliedBlock[] = [];
      for await (const delivered of fetch(state.height, target.tip.number)) {
        const decision = decideBlock(state, delivered.bytes, null);
        if (decision.kind !== 'append') {
          throw new ChainMismatchError(
            `block ${delivered.number} from another orderer does not extend the chain: ${decision.kind === 'ignore' ? decision.reason : 'already held'}`,
          );
        }
        batch.push({ ...decision, entryIndex: decision.block.metadata.raft.index });
        state = decision.next;
        fetched += 1;
        if (batch.length >= 64) {
          await this.commit(batch.splice(0), state);
        }
      }
      await this.commit(batch, state);
    }
    const tipHash: Hex = this.stateNow.tip.number === target.tip.number ? this.stateNow.tip.hash : '';
    if (tipHash !== target.tip.hash) {
      throw new ChainMismatchError(
        `after fetching, block ${target.tip.number} is ${tipHash || 'missing'}, the snapshot says ${target.tip.hash}`,
      );
    }
    this.stateNow = target;
    this.tipIndex = Math.max(this.tipIndex, raftIndex);
    return fetched;
  }

  async close(): Promise<void> {
    this.watch.close();
    await this.store.close();
  }
}

function rememberTxIds(window: TxIdWindow, block: Block, txIds: readonly Hex[]): void {
  block.envelopes.forEach((envelope, i) => {
    window.add(txIds[i] as Hex, parseRfc3339Ms(envelope.payload.txTime), true);
  });
}
