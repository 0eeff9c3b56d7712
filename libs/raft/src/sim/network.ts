import type { Prng } from '../prng.js';
import type { Message, NodeId } from '../types.js';

/** How the network misbehaves right now; the fault scheduler changes it over time. */
export interface NetworkConditions {
  dropRate: number;
  duplicateRate: number;
  /** Base one-way latency and uniform jitter on top (jitter reorders messages). */
  latencyUs: number;
  jitterUs: number;
  /** Probability that a message is held back for up to longDelayUs (heavy reordering). */
  longDelayRate: number;
  longDelayUs: number;
}

export const CALM_NETWORK: NetworkConditions = {
  dropRate: 0,
  duplicateRate: 0,
  latencyUs: 500,
  jitterUs: 1500,
  longDelayRate: 0,
  longDelayUs: 0,
};

/** Where the network may deliver a message, and when: `deliverAt` offsets from now. */
export interface Delivery {
  readonly message: Message;
  readonly delayUs: number;
}

/**
 * The simulated network: drops, delays, duplicates and reorders messages, and cuts links
 * (partitions are sets of one-way cuts). A cut is checked when a message is sent and again
 * when it arrives, so a partition also swallows what was in flight.
 */
export class SimNetwork {
  conditions: NetworkConditions = { ...CALM_NETWORK };
  private readonly cuts = new Set<string>();
  sent = 0;
  dropped = 0;
  duplicated = 0;

  constructor(private readonly rng: Prng) {}

  cut(from: NodeId, to: NodeId): void {
    this.cuts.add(`${from}>${to}`);
  }

  /** Cuts both directions between every node of `a` and every node of `b`. */
  split(a: readonly NodeId[], b: readonly NodeId[]): void {
    for (const x of a) {
      for (const y of b) {
        this.cut(x, y);
        this.cut(y, x);
      }
    }
  }

  healLinks(): void {
    this.cuts.clear();
  }

  isCut(from: NodeId, to: NodeId): boolean {
    return this.cuts.size > 0 && this.cuts.has(`${from}>${to}`);
  }

  describeCuts(): string {
    return [...this.cuts].sort().join(',');
  }

  /** The deliveries one send turns into: none (dropped), one, or two (duplicated). */
  route(message: Message): Delivery[] {
    this.sent++;
    const c = this.conditions;
    if (this.isCut(message.from, message.to) || this.rng.chance(c.dropRate)) {
      this.dropped++;
      return [];
    }
    const deliveries = [{ message, delayUs: this.delay() }];
    if (this.rng.chance(c.duplicateRate)) {
      this.duplicated++;
      deliveries.push({ message, delayUs: this.delay() });
    }
    return deliveries;
  }

  private delay(): number {
    const c = this.conditions;
    let delay = c.latencyUs + this.rng.below(c.jitterUs + 1);
    if (this.rng.chance(c.longDelayRate)) delay += this.rng.below(c.longDelayUs + 1);
    return delay;
  }
}
