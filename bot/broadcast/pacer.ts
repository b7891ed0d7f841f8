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

const MIN_RATE = 0.5;
/** Share of the configured rate won back per quiet second after a cut. */
const RECOVERY_PER_SECOND = 0.05;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Pacer {
  private tokens: number;
  private last = performance.now();
  private pausedUntil = 0;
  private readonly lastByKey = new Map<string, number>();
  /** Waiters in arrival order, so concurrent senders share the rate fairly. */
  private queue: Promise<void> = Promise.resolve();

  /** The rate now: cut at each 429, grown back towards the configured rate while Teams is quiet. */
  private rate: number;

  constructor(private readonly options: PacerOptions) {
    this.tokens = options.burst;
    this.rate = options.ratePerSecond;
  }

  get currentRate(): number {
    return this.rate;
  }

  /** Waits until one send to `key` may go. */
  take(key: string): Promise<void> {
    const turn = this.queue.then(() => this.wait(key));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Teams said "retry after": nothing goes before then, whoever it is for. */
  pause(ms: number): void {
    const now = performance.now();
    this.refill(now);
    this.pausedUntil = Math.max(this.pausedUntil, now + ms);
    // Over the limit means the set rate is too high for this tenant now: slow down, then grow back.
    this.rate = Math.max(MIN_RATE, this.rate * 0.7);
    this.tokens = Math.min(this.tokens, 0);
    this.last = this.pausedUntil;
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.tokens = Math.min(this.options.burst, this.tokens + elapsed * this.rate);
    this.rate = Math.min(this.options.ratePerSecond, this.rate + elapsed * this.options.ratePerSecond * RECOVERY_PER_SECOND);
    this.last = Math.max(this.last, now);
  }

  private async wait(key: string): Promise<void> {
    for (;;) {
      const now = performance.now();
      this.refill(now);
      const paused = this.pausedUntil - now;
      const keyGap = (this.lastByKey.get(key) ?? -Infinity) + this.options.perKeyGapMs - now;
      const tokenGap = this.tokens >= 1 ? 0 : ((1 - this.tokens) / this.rate) * 1000;
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
