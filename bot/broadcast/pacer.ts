import type { RequestGate } from '../chat/throttled';

/**
 * Paces a broadcast under Teams' limits. Teams counts requests in a sliding second, so the pacer
 * does too: at most `ratePerSecond` sends start in any window of a second (plus a small margin for
 * the time a request takes to reach Teams), spaced so a catch-up after a late timer is never a
 * burst of more than twice the rate. That keeps a campaign at the limit it was set to without the
 * bursts a token bucket allows after a quiet spell, which were what Teams answered 429 to.
 * It reads performance.now(), not Date: the school's clock can be set by hand (tests, catch-up)
 * and pacing must still follow real time.
 */
export interface PacerOptions {
  /** Sends per second this instance may start, in any sliding second. */
  ratePerSecond: number;
  /** Least time between two sends to the same conversation. */
  perKeyGapMs: number;
  /**
   * How much longer than a second the window is: sends leave here a little before Teams counts
   * them. 25 ms for a card (its requests follow one another); less for a request at the wire.
   */
  marginMs?: number;
}

const MIN_RATE = 0.5;
/** Share of the configured rate won back per quiet second after a cut. */
const RECOVERY_PER_SECOND = 0.1;
/** A 429 means the app is over Teams' limit: this share of the rate is kept, then grown back. */
const CUT = 0.9;
/**
 * Requests leave here a little before Teams counts them, and a slow moment bunches them up: the
 * window is this much longer than a second, widened at each 429 and narrowed again while quiet.
 */
const SKEW_MS = 25;
const SKEW_STEP_MS = 20;
const MAX_SKEW_MS = 200;
const SKEW_BACK_PER_SECOND = 2;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Pacer implements RequestGate {
  private pausedUntil = 0;
  private readonly lastByKey = new Map<string, number>();
  /** When the sends of the current window started, oldest first. */
  private readonly starts: number[] = [];
  private lastStart = -Infinity;
  private lastRecovery = performance.now();
  /** Waiters in arrival order, so concurrent senders share the rate fairly. */
  private queue: Promise<void> = Promise.resolve();
  /** The rate now: cut at each 429, grown back towards the configured rate while Teams is quiet. */
  private rate: number;
  private skew = SKEW_MS;

  private readonly margin: number;

  constructor(private readonly options: PacerOptions) {
    this.rate = options.ratePerSecond;
    this.margin = options.marginMs ?? SKEW_MS;
    this.skew = this.margin;
  }

  /** As a request gate (one key: the app): a paced request's turn. */
  admit(): Promise<void> {
    return this.take('');
  }

  /** A request that did not wait (an urgent alert, a reply) still fills the window. */
  note(): void {
    this.starts.push(performance.now());
  }

  throttled(retryAfterMs: number): void {
    this.pause(retryAfterMs);
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

  /** Teams said "retry after": nothing goes before then, whoever it is for, and the rate is cut. */
  pause(ms: number): void {
    const now = performance.now();
    this.recover(now);
    this.pausedUntil = Math.max(this.pausedUntil, now + ms);
    this.rate = Math.max(MIN_RATE, this.rate * CUT);
    this.skew = Math.min(MAX_SKEW_MS, this.skew + SKEW_STEP_MS);
    this.lastRecovery = this.pausedUntil;
  }

  private recover(now: number): void {
    const quiet = Math.max(0, now - this.lastRecovery) / 1000;
    this.rate = Math.min(this.options.ratePerSecond, this.rate + quiet * this.options.ratePerSecond * RECOVERY_PER_SECOND);
    this.skew = Math.max(this.margin, this.skew - quiet * SKEW_BACK_PER_SECOND);
    this.lastRecovery = Math.max(this.lastRecovery, now);
  }

  /** How many sends a window holds, and how long that window is, at the current rate. */
  private window(): { cap: number; ms: number } {
    const cap = Math.max(1, Math.floor(this.rate));
    return { cap, ms: (1000 * cap) / this.rate + this.skew };
  }

  private async wait(key: string): Promise<void> {
    for (;;) {
      const now = performance.now();
      this.recover(now);
      const { cap, ms } = this.window();
      while (this.starts.length && this.starts[0] <= now - ms) this.starts.shift();
      const paused = this.pausedUntil - now;
      const keyGap = (this.lastByKey.get(key) ?? -Infinity) + this.options.perKeyGapMs - now;
      const full = this.starts.length >= cap ? this.starts[this.starts.length - cap] + ms - now : 0;
      const spacing = this.lastStart + 500 / this.rate - now;
      const delay = Math.max(paused, keyGap, full, spacing);
      if (delay <= 0) break;
      await sleep(Math.ceil(delay));
    }
    const at = performance.now();
    this.starts.push(at);
    this.lastStart = at;
    this.lastByKey.set(key, at);
    if (this.lastByKey.size > 10_000) this.lastByKey.clear();
  }
}

/** A wait of `ms` stretched by up to `spread` (0.3 = +30%), so many senders do not return at once. */
export function jittered(ms: number, spread = 0.3): number {
  return ms * (1 + Math.random() * spread);
}
