import { randomUUID } from 'node:crypto';
import type { TableProvisioner } from '../storage/tableService';
import { Pacer } from './pacer';
import { SenderLease } from './senderLease';

/**
 * Teams requests a second the app's paced sends may use (TEAMS_REQUESTS_PER_SECOND): Teams allows
 * about 50 per app per tenant, and 3 are left for what never waits (an urgent alert, replies,
 * progress cards), which are counted in the same window.
 */
export const APP_REQUESTS_PER_SECOND = 47;
/** Requests are counted just before the wire, so the window needs only a little more than a second. */
const REQUEST_MARGIN_MS = 5;
/**
 * Short, so an instance that died mid-campaign is replaced within seconds; renewed every third
 * (BROADCAST_LEASE_MS sets it).
 */
export const SENDER_LEASE_MS = 15_000;

export interface AppSenderOptions {
  requestsPerSecond?: number;
  leaseMs?: number;
  log?: (message: string) => void;
}

/**
 * What every school's broadcast worker in this process shares, because Teams' limit is per app
 * per tenant, not per school: one request budget (the gate every paced Teams request waits for,
 * first come first served, so schools sending at once share it evenly) and one sender lease in a
 * trust-wide row, so only one instance of the app sends at a time. Held while any school's worker
 * here is sending; released when the last one stops, at once, so a restarted or other instance
 * takes over without waiting for it to run out.
 */
export class AppSender {
  readonly gate: Pacer;
  readonly instance = randomUUID();
  private readonly lease: SenderLease;
  private holders = 0;
  private held = false;
  private taking?: Promise<boolean>;
  private renewal?: NodeJS.Timeout;
  private releasing: Promise<void> = Promise.resolve();

  readonly leaseMs: number;
  private readonly log: (message: string) => void;

  /**
   * The one for this store in this process (every school's view of a trust's tables shares it);
   * the options are the process's settings, the same for every school.
   */
  static of(tables: TableProvisioner, options: AppSenderOptions = {}): AppSender {
    return tables.processWide('broadcast.appSender', (unscoped) => new AppSender(unscoped, options));
  }

  private constructor(tables: TableProvisioner, options: AppSenderOptions) {
    this.leaseMs = options.leaseMs ?? SENDER_LEASE_MS;
    this.log = options.log ?? (() => undefined);
    this.lease = new SenderLease(tables, this.instance, this.leaseMs);
    this.gate = new Pacer({ ratePerSecond: options.requestsPerSecond ?? APP_REQUESTS_PER_SECOND, perKeyGapMs: 0, marginMs: REQUEST_MARGIN_MS });
  }

  /** This process holds the lease (false once a renewal found another instance had taken it). */
  get holding(): boolean {
    return this.held;
  }

  /** Takes the lease for one more worker here; false when another instance is sending. */
  async enter(): Promise<boolean> {
    await this.releasing;
    if (this.held) {
      this.holders += 1;
      return true;
    }
    this.taking ??= this.lease.acquire().finally(() => (this.taking = undefined));
    if (!(await this.taking)) return false;
    this.holders += 1;
    if (!this.held) {
      this.held = true;
      // Which instance sends, and when that changes, is what an operator needs after a scale-out or a crash.
      this.log(`broadcast: this instance (${this.instance}) took the sender lease`);
      clearInterval(this.renewal);
      this.renewal = setInterval(() => {
        this.lease.renew().then(
          (ok) => {
            if (this.held && !ok) this.log(`broadcast: this instance (${this.instance}) lost the sender lease to another; its sends stop`);
            this.held &&= ok;
          },
          () => (this.held = false),
        );
      }, this.leaseMs / 3);
      this.renewal.unref();
    }
    return true;
  }

  /** A worker here has stopped sending; the last one out lets the lease go. */
  async leave(): Promise<void> {
    this.holders = Math.max(0, this.holders - 1);
    if (this.holders > 0) return;
    clearInterval(this.renewal);
    if (this.held) this.log(`broadcast: this instance (${this.instance}) released the sender lease`);
    this.held = false;
    this.releasing = this.lease.release();
    await this.releasing;
  }
}
