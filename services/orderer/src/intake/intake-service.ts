import type { Msg, NatsConnection, Subscription } from '@nats-io/nats-core';
import { extractTraceContext, QueueGroup, subjects, traceHeaders } from '@civic/messaging';
import { contextWithSpan, endSpan, SpanKind, startSpan } from '@civic/telemetry';
import { canonicalBytes, SubmitCode, type SubmitReply } from '@civic/protocol';
import type { Logger } from 'pino';
import { rejected } from '../codes.js';
import type { OrdererMetrics } from '../metrics.js';
import { endIntakeSpan } from '../telemetry/tx-traces.js';

/** What intake asks of the node. */
export interface IntakeHandler {
  /** The leader this node knows (itself included), or null. */
  leader(): string | null;
  /** Orders the envelope here (this node leads): the reply to send. */
  submitHere(bytes: Uint8Array): SubmitReply;
}

export interface IntakeOptions {
  /** How long a follower waits for the leader's answer to a forwarded envelope. */
  readonly forwardTimeoutMs: number;
  /** Forwards waiting for the leader at once; beyond it envelopes get OVERLOADED. */
  readonly forwardsMax: number;
  /** Envelopes received and not yet checked; beyond it they get OVERLOADED. */
  readonly queueMax: number;
  /** Most time spent checking envelopes before the event loop gets a turn. */
  readonly sliceMs: number;
}

/**
 * Transaction intake on NATS: `….tx.submit` in the queue group `orderers` (any orderer takes
 * an envelope) and this node's `….tx.forward.<nodeId>`. The leader checks and admits; a
 * follower forwards the raw bytes to the leader it knows and relays the answer, or answers
 * NO_LEADER (retryable) when it knows none or the leader does not answer in time. A forwarded
 * envelope is never forwarded again (NOT_LEADER instead), so a stale view cannot loop.
 */
export class IntakeService {
  private subs: Subscription[] = [];
  private forwards = 0;
  private readonly queue: { msg: Msg; forwarded: boolean }[] = [];
  private draining = false;

  constructor(
    private readonly nc: NatsConnection,
    private readonly channel: string,
    private readonly nodeId: string,
    private readonly handler: IntakeHandler,
    private readonly log: Logger,
    private readonly metrics: OrdererMetrics,
    private readonly options: IntakeOptions,
  ) {}

  start(): void {
    if (this.subs.length > 0) return;
    this.subs.push(
      this.nc.subscribe(subjects(this.channel).txSubmit, {
        queue: QueueGroup.ORDERERS,
        callback: (error, msg) => {
          if (error === null) this.enqueue(msg, false);
        },
      }),
      this.nc.subscribe(subjects(this.channel).txForward(this.nodeId), {
        callback: (error, msg) => {
          if (error === null) this.enqueue(msg, true);
        },
      }),
    );
  }

  stop(): void {
    for (const sub of this.subs) sub.unsubscribe();
    this.subs = [];
  }

  /**
   * Checking an envelope costs a signature verification. NATS hands over every message of a
   * socket read at once, so they are queued and checked in slices of at most `sliceMs`, with
   * the event loop free in between: Raft's ticks, heartbeats and votes are never held up by a
   * burst of submissions (a leader that stalls for an election timeout is deposed).
   */
  private enqueue(msg: Msg, forwarded: boolean): void {
    if (this.queue.length >= this.options.queueMax) {
      this.reply(
        msg,
        this.count(
          rejected({ code: SubmitCode.OVERLOADED, reason: 'too many envelopes wait to be checked' }),
        ),
      );
      return;
    }
    this.queue.push({ msg, forwarded });
    if (!this.draining) {
      this.draining = true;
      setImmediate(() => this.drain());
    }
  }

  private drain(): void {
    const until = performance.now() + this.options.sliceMs;
    while (this.queue.length > 0 && performance.now() < until) {
      const { msg, forwarded } = this.queue.shift() as { msg: Msg; forwarded: boolean };
      if (forwarded) this.onForwarded(msg);
      else this.onSubmit(msg);
    }
    if (this.queue.length > 0) setImmediate(() => this.drain());
    else this.draining = false;
  }

  private onSubmit(msg: Msg): void {
    const leader = this.handler.leader();
    if (leader === this.nodeId) {
      this.reply(msg, this.admit(msg));
      return;
    }
    if (leader === null) {
      this.reply(
        msg,
        this.count(rejected({ code: SubmitCode.NO_LEADER, reason: 'no leader is known; retry shortly' })),
      );
      return;
    }
    void this.forward(msg, leader);
  }

  private onForwarded(msg: Msg): void {
    if (this.handler.leader() !== this.nodeId) {
      this.reply(
        msg,
        this.count(
          rejected({ code: SubmitCode.NOT_LEADER, reason: `${this.nodeId} does not lead; retry shortly` }),
        ),
      );
      return;
    }
    this.reply(msg, this.admit(msg));
  }

  /** Checks and admits here, in a span continuing the submitter's trace (docs/telemetry.md). */
  private admit(msg: Msg): SubmitReply {
    const span = startSpan('orderer intake', {
      kind: SpanKind.SERVER,
      parent: extractTraceContext(msg.headers),
      attributes: { 'civic.orderer': this.nodeId },
    });
    const reply = this.handler.submitHere(msg.data);
    endIntakeSpan(span, reply);
    return reply;
  }

  private async forward(msg: Msg, leader: string): Promise<void> {
    if (this.forwards >= this.options.forwardsMax) {
      this.reply(
        msg,
        this.count(
          rejected({ code: SubmitCode.OVERLOADED, reason: 'too many envelopes wait for the leader' }),
        ),
      );
      return;
    }
    this.forwards += 1;
    const parent = extractTraceContext(msg.headers);
    const span = startSpan('orderer forward', {
      kind: SpanKind.CLIENT,
      parent,
      attributes: { 'civic.orderer': this.nodeId, 'civic.leader': leader },
    });
    try {
      const answer = await this.nc.request(subjects(this.channel).txForward(leader), msg.data, {
        timeout: this.options.forwardTimeoutMs,
        headers: traceHeaders(contextWithSpan(span, parent)),
      });
      this.metrics.forwarded.inc({ outcome: 'answered' });
      if (msg.reply) msg.respond(answer.data);
    } catch (error) {
      this.metrics.forwarded.inc({ outcome: 'failed' });
      this.log.debug({ err: error, leader }, 'forward to the leader failed');
      this.reply(
        msg,
        this.count(
          rejected({ code: SubmitCode.NO_LEADER, reason: `leader ${leader} did not answer; retry shortly` }),
        ),
      );
    } finally {
      this.forwards -= 1;
      endSpan(span);
    }
  }

  private count(reply: SubmitReply): SubmitReply {
    if (reply.status === 'REJECTED') this.metrics.rejected.inc({ code: reply.code });
    return reply;
  }

  private reply(msg: Msg, reply: SubmitReply): void {
    if (!msg.reply) return;
    try {
      msg.respond(canonicalBytes(reply));
    } catch (error) {
      this.log.debug({ err: error }, 'could not reply to a submission');
    }
  }
}
