/**
 * Waiters for the block height to reach a value (delivery waiting for blocks not yet cut).
 * Bounded: at most `waitersMax` wait at once; more are refused.
 */
export class HeightWatch {
  private heightNow: number;
  private readonly waiters = new Set<{
    min: number;
    resolve: (reached: boolean) => void;
    timer: NodeJS.Timeout;
  }>();

  constructor(
    height: number,
    readonly waitersMax = 1024,
  ) {
    this.heightNow = height;
  }

  get height(): number {
    return this.heightNow;
  }

  /** The store reached `height`: wakes those waiting for it. */
  advance(height: number): void {
    if (height <= this.heightNow) return;
    this.heightNow = height;
    for (const waiter of this.waiters) {
      if (height >= waiter.min) this.settle(waiter, true);
    }
  }

  /** Resolves true once the height is at least `min`, false after `timeoutMs` or on close. */
  wait(min: number, timeoutMs: number): Promise<boolean> {
    if (this.heightNow >= min) return Promise.resolve(true);
    if (this.waiters.size >= this.waitersMax) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter = { min, resolve, timer: setTimeout(() => this.settle(waiter, false), timeoutMs) };
      this.waiters.add(waiter);
    });
  }

  /** Ends every wait (shutdown). */
  close(): void {
    for (const waiter of this.waiters) this.settle(waiter, false);
  }

  private settle(
    waiter: { resolve: (reached: boolean) => void; timer: NodeJS.Timeout },
    reached: boolean,
  ): void {
    clearTimeout(waiter.timer);
    this.waiters.delete(waiter as never);
    waiter.resolve(reached);
  }
}
