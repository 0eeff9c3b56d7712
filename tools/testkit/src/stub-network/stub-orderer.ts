/**
 * A stand-in for the ordering service in tests of what sits above it: answers `.tx.submit` (parses the
 * envelope, refuses duplicates), cuts a block every `batchMs` from what arrived, signs it as the
 * network's first consenter and publishes it on the blocks stream. No Raft, no intake policy
 * checks (the peer validates). `script` lets a test make it refuse or stay silent first.
 */
import { publishBlock, serveJson, subjects, type Subscriber } from '@civic/messaging';
import {
  blockHashOf,
  buildBlock,
  parseEnvelope,
  signBlock,
  txIdOf,
  type Block,
  type BlockSigner,
  type Envelope,
  type SubmitReply,
} from '@civic/protocol';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';

export interface StubOrdererOptions {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly channel: string;
  readonly genesis: Block;
  readonly consenter: BlockSigner;
  /** A batch is cut this long after its first envelope. */
  readonly batchMs?: number;
  /** How long a 'silent' submission is held before its (unread) reply. */
  readonly silentMs?: number;
}

export type SubmitScript = (n: number, txId: string) => SubmitReply | 'silent' | null;

export class StubOrderer {
  readonly submissions: string[] = [];
  /** What to do with the n-th submission (0-based) before the normal path: reject or ignore. */
  script: SubmitScript | null = null;
  /** When set, a batch is cut only once it holds this many envelopes (or after 3 s): forces a shared block. */
  holdFor: number | null = null;
  readonly blocks: Block[] = [];
  #batch: Envelope[] = [];
  #timer: ReturnType<typeof setTimeout> | null = null;
  #seen = new Set<string>();
  #previous: Block;
  #cutting: Promise<void> = Promise.resolve();
  #server: Subscriber | null = null;

  private constructor(readonly options: StubOrdererOptions) {
    this.#previous = options.genesis;
  }

  static async start(options: StubOrdererOptions): Promise<StubOrderer> {
    const orderer = new StubOrderer(options);
    await publishBlock(options.js, options.channel, options.genesis);
    orderer.blocks.push(options.genesis);
    orderer.#server = serveJson<unknown, SubmitReply>(
      options.nc,
      subjects(options.channel).txSubmit,
      { queue: 'orderers', concurrencyMax: 16 },
      (msg) => orderer.#submit(msg.data),
    );
    return orderer;
  }

  async #submit(raw: unknown): Promise<SubmitReply> {
    let envelope: Envelope;
    try {
      envelope = parseEnvelope(raw);
    } catch (error) {
      return { status: 'REJECTED', code: 'MALFORMED', reason: (error as Error).message };
    }
    const txId = txIdOf(envelope.payload);
    const n = this.submissions.length;
    this.submissions.push(txId);
    const scripted = this.script?.(n, txId) ?? null;
    if (scripted === 'silent') {
      // Answer only after the requester gave up: a lost reply.
      await new Promise((resolve) => setTimeout(resolve, this.options.silentMs ?? 1_500));
      return { status: 'REJECTED', code: 'NOT_READY', reason: 'late reply nobody waits for' };
    }
    if (scripted !== null) return scripted;
    if (this.#seen.has(txId))
      return { status: 'REJECTED', code: 'DUPLICATE_TXID', reason: 'already accepted', txId };
    this.#seen.add(txId);
    this.#batch.push(envelope);
    if (this.holdFor !== null && this.#batch.length < this.holdFor) {
      this.#timer ??= setTimeout(() => this.#cutNow(), 3_000);
      return { status: 'ACCEPTED', txId };
    }
    if (this.holdFor !== null) this.#cutNow();
    else this.#timer ??= setTimeout(() => this.#cutNow(), this.options.batchMs ?? 20);
    return { status: 'ACCEPTED', txId };
  }

  #cutNow(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#cutting = this.#cutting.then(() => this.#cut());
  }

  async #cut(): Promise<void> {
    const envelopes = this.#batch;
    this.#batch = [];
    if (envelopes.length === 0) return;
    const header = this.#previous.header;
    const time = Math.max(Date.now(), Date.parse(header.time));
    const block = signBlock(
      buildBlock({
        channel: this.options.channel,
        number: header.number + 1,
        previousHash: blockHashOf(header),
        envelopes,
        time,
        raft: { term: 1, index: header.number + 1 },
        configNumber: 0,
      }),
      this.options.consenter,
    );
    this.#previous = block;
    this.blocks.push(block);
    await publishBlock(this.options.js, this.options.channel, block);
  }

  async stop(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    await this.#server?.stop();
    await this.#cutting;
  }
}
