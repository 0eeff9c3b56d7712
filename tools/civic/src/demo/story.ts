import type { Output } from '../output.js';
import { CliError } from '../output.js';
import { pick, txOf, type DemoClient, type Reply, type TxRef } from './demo-client.js';

/** What the stories share: the client, the output, a run id for fresh names, and the writes made. */
export class Story {
  /** Every write of the story, with the number of the step that made it. */
  readonly written: (TxRef & { readonly step: number })[] = [];
  #step = 0;

  constructor(
    readonly client: DemoClient,
    readonly out: Output,
    /** Base-36 time of this run: names made with it are new on every run. */
    readonly runId: string,
  ) {}

  section(title: string): void {
    this.out.line('');
    this.out.line(title);
  }

  /**
   * One step: says what is done, makes the call, checks the status, and for a write waits until
   * both peers hold its block and says which block and transaction it is.
   */
  async step(
    title: string,
    call: {
      domain: string;
      mspId: string;
      user: string;
      method: 'GET' | 'POST';
      path: string;
      body?: unknown;
    },
    expectStatus: number,
    describe: (reply: Reply) => string,
  ): Promise<Reply> {
    this.#step += 1;
    this.out.line(`${String(this.#step).padStart(3)}. ${title}`);
    const started = performance.now();
    const reply = await this.client.call(
      call.domain,
      call.mspId,
      call.user,
      call.method,
      call.path,
      call.body,
    );
    const ms = Math.round(performance.now() - started);
    this.out.line(
      `     ${call.method} ${this.client.serviceUrl(call.domain, call.mspId)}${call.path} as ${call.user} → ${reply.status} (${ms} ms)`,
    );
    if (reply.status !== expectStatus) {
      throw new CliError(
        `step ${this.#step} answered ${reply.status}, expected ${expectStatus}: ${JSON.stringify(reply.body).slice(0, 600)}`,
      );
    }
    if (reply.status === 201) {
      const tx = txOf(reply);
      this.written.push({ ...tx, step: this.#step });
      await this.client.untilPeersHave(tx.block);
      const endorsed = tx.endorsedBy.length > 0 ? `, endorsed by ${tx.endorsedBy.join(', ')}` : '';
      this.out.line(`     block ${tx.block}, tx ${tx.txId.slice(0, 16)}…${endorsed}`);
    }
    const said = describe(reply);
    if (said !== '') this.out.line(`     ${said}`);
    return reply;
  }
}

/** EUR amount of integer cents: `EUR 250,000.00`. */
export function euro(cents: unknown): string {
  const n = Number(cents);
  if (!Number.isFinite(n)) return String(cents);
  return `EUR ${(n / 100).toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

export { pick };
