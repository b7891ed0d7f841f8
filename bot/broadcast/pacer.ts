/**
 * A token bucket kept below Teams' limits, plus a floor between two sends to one conversation.
 * It reads performance.now(), not Date: the school's clock can be set by hand (tests, catch-up)
 * and pacing must still follow real time.
 */
export interface PacerOptions {
  /** Sends per second this instance may make, sustained. */
  ratePerSecond: number;
  /** Sends allowed at once after a quiet spell; small, so a second's window never overshoots. */
  burst: number;
  /** Least time between two sends to the same conversation. */
  perKeyGapMs: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Pacer {
  private tokens: number;
  private last = performance.now();
  private pausedUntil = 0;
  private readonly lastByKey = new Map<string, number>();
  /** Waiters in arrival order, so concurrent senders share the rate fairly. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: PacerOptions) {
    this.tokens = options.burst;
  }

  /** Waits until one send to `key` may go. */
  take(key: string): Promise<void> {
    const turn = this.queue.then(() => this.wait(key));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Teams said "retry after": nothing goes before then, whoever it is for. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, performance.now() + ms);
    this.tokens = Math.min(this.tokens, 0);
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.options.burst, this.tokens + ((now - this.last) / 1000) * this.options.ratePerSecond);
    this.last = now;
  }

  private async wait(key: string): Promise<void> {
    for (;;) {
      const now = performance.now();
      this.refill(now);
      const paused = this.pausedUntil - now;
      const keyGap = (this.lastByKey.get(key) ?? -Infinity) + this.options.perKeyGapMs - now;
      const tokenGap = this.tokens >= 1 ? 0 : ((1 - this.tokens) / this.options.ratePerSecond) * 1000;
      const delay = Math.max(paused, keyGap, tokenGap);
      if (delay <= 0) break;
      await sleep(Math.ceil(delay));
    }
    this.tokens -= 1;
    this.lastByKey.set(key, performance.now());
    if (this.lastByKey.size > 10_000) this.lastByKey.clear();
  }
}

/** A wait of `ms` stretched by up to `spread` (0.3 = +30%), so many senders do not return at once. */
export function jittered(ms: number, spread = 0.3): number {
  return ms * (1 + Math.random() * spread);
}
