import type { PostedMessage } from '../chat/address';
import { ThrottledError, type RequestGate } from '../chat/throttled';
import type { Outbound } from '../chat/turn';
import type { Scheduler } from '../scheduler/scheduler';
import type { Stored } from '../storage/documentTable';
import type { TableProvisioner } from '../storage/tableService';
import { BroadcastQueue, type Batch, type Delivery } from './broadcastQueue';
import { AppSender } from './appSender';
import { DueRows } from './dueRows';
import { jittered, Pacer, type PacerOptions } from './pacer';

/** What a kind of batch sends to one person, and what it does with the outcome. */
export interface BatchKind {
  /** Undefined: nothing to send any more (they left the roster, the round closed). */
  render(batch: Batch, person: string): Promise<{ to: { aadObjectId?: string; email?: string }; message: Outbound } | undefined>;
  delivered?(batch: Batch, person: string, posted: PostedMessage): Promise<void>;
  /** The row gave up: the person is "not reached". */
  failed?(batch: Batch, person: string, reason: string): Promise<void>;
}

/** `gate`: the app's request budget, which each Teams request of the send waits for. */
export type SendToPerson = (to: { aadObjectId?: string; email?: string }, message: Outbound, gate: RequestGate) => Promise<PostedMessage | undefined>;

export interface WorkerOptions {
  /** This school's own pace (its cards a second, and the gap between two to one person). */
  pace: PacerOptions;
  /** The app's Teams requests a second, shared by every school and instance (see AppSender). */
  appRequestsPerSecond?: number;
  /** How long the app's sender lease holds without a renewal (see AppSender). */
  senderLeaseMs?: number;
  /** Tries per row before it is reported as not reached. */
  maxAttempts: number;
  /** First wait after an unreachable person; doubles each time. */
  retryBaseMs: number;
  /** Sends in flight at once (each waits for the pacer first). */
  concurrency: number;
  now: () => Date;
  log: (message: string) => void;
}

export const DEFAULT_WORKER: Omit<WorkerOptions, 'now' | 'log' | 'pace'> = { maxAttempts: 5, retryBaseMs: 60_000, concurrency: 8 };

export const KICK_JOB = { kind: 'broadcast.kick', id: 'broadcast-kick' } as const;
const ROW_LEASE_MS = 2 * 60_000;
/** How soon a kick that found another instance sending is tried again (any instance may take it). */
const HELD_ELSEWHERE_MS = 2_000;
/** Retries due within this long are picked up by a timer here, not left to the scheduler's tick. */
const SOON_MS = 30_000;
/** Throttled tries do not count as attempts, up to this many (Teams is slow, not refusing). */
const MAX_THROTTLES = 30;

export interface DrainReport {
  sent: number;
  retried: number;
  failed: number;
  throttled: number;
}

/** This process's counts, with the rows it found mid-attempt after another sender died. */
export interface WorkerTotals extends DrainReport {
  uncertain: number;
}

/**
 * Works the queue: takes the sender lease, then sends due rows through the pacer, a few in
 * flight. Started by the scheduler's `broadcast.kick` job (on any instance), and it schedules
 * that job again for the next retry, so a restart or a dead instance loses nothing: the rows are
 * the work. Urgent alerts never pass through here, and the pace leaves them room under the limit.
 */
export class BroadcastWorker {
  readonly queue: BroadcastQueue;
  private readonly kinds = new Map<string, BatchKind>();
  private readonly pacer: Pacer;
  /** Shared by every school's worker in this process: the app's pace and sender lease. */
  private readonly app: AppSender;
  private running?: Promise<DrainReport>;
  private stopping = false;
  private again = false;
  private soon?: NodeJS.Timeout;
  /** Counted over this process's life, for the benchmark and logs. */
  readonly totals: WorkerTotals = { sent: 0, retried: 0, failed: 0, throttled: 0, uncertain: 0 };

  constructor(tables: TableProvisioner, private readonly scheduler: Scheduler, private readonly send: SendToPerson, private readonly options: WorkerOptions) {
    this.queue = new BroadcastQueue(tables);
    this.pacer = new Pacer(options.pace);
    this.app = AppSender.of(tables, { requestsPerSecond: options.appRequestsPerSecond, leaseMs: options.senderLeaseMs, log: options.log });
    scheduler.handle(KICK_JOB.kind, async () => {
      // While this instance sends, the job is its watchdog: put it back before the scheduler
      // deletes it, or a kill now would leave no job to bring another instance in.
      if (this.running && this.app.holding) await this.watchdog();
      void this.drain().catch((err) => options.log(`broadcast: working the queue failed: ${(err as Error).message}`));
    });
  }

  define(kind: string, handler: BatchKind): void {
    this.kinds.set(kind, handler);
  }

  /** Asks any instance's scheduler to work the queue at `at` (now by default). */
  async kick(at: Date = this.options.now()): Promise<void> {
    await this.scheduler.schedule(KICK_JOB.kind, at, {}, KICK_JOB.id);
  }

  /** Sends everything due now; resolves when nothing due is left (or another instance holds the lease). */
  drain(): Promise<DrainReport> {
    if (this.stopping) return Promise.resolve({ sent: 0, retried: 0, failed: 0, throttled: 0 });
    // Rows queued while a drain is finishing must not wait for the next kick.
    if (this.running) this.again = true;
    this.running ??= this.work().finally(() => (this.running = undefined));
    return this.running;
  }

  /** Lets sends in flight finish and stops taking new ones; the rest stays queued. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.soon);
    await this.running?.catch(() => undefined);
  }

  private async work(): Promise<DrainReport> {
    const report: DrainReport = { sent: 0, retried: 0, failed: 0, throttled: 0 };
    if (!(await this.app.enter())) {
      // Another instance is sending for the app. This job is looked at again soon: when the
      // holder's scheduler takes it, the holder works this school's rows beside its own; if the
      // holder died, its lease runs out and whoever takes the job next sends.
      await this.kick(new Date(this.options.now().getTime() + HELD_ELSEWHERE_MS));
      return report;
    }
    await this.watchdog();
    try {
      await this.reconcile();
      const rows = new DueRows(this.queue, this.options.now, () => {
        const again = this.again;
        this.again = false;
        return again;
      });
      // Lanes pull from one stream of due rows, refilled before it runs dry, so the pace never
      // waits for a page of rows to finish or for the next query.
      const lanes = Array.from({ length: this.options.concurrency }, async () => {
        while (this.app.holding && !this.stopping) {
          const row = await rows.next();
          if (!row) return;
          try {
            await this.deliver(row, report);
          } finally {
            rows.done(row);
          }
        }
      });
      await Promise.all(lanes);
    } finally {
      await this.app.leave();
    }
    // Stopping with rows left (they were put back): the lease is released, and this job lets
    // another instance's scheduler take over at its next tick rather than at the watchdog.
    if (this.stopping) await this.kick();
    else await this.scheduleNext();
    return report;
  }

  /**
   * If this process dies mid-way, this job brings another instance in to finish, as soon as the
   * lease it can no longer renew has run out.
   */
  private async watchdog(): Promise<void> {
    await this.kick(new Date(this.options.now().getTime() + this.app.leaseMs));
  }

  /**
   * Rows a dead sender claimed and never finished are sent again now rather than after their
   * claim runs out: the only way a person can get a card twice is if that sender's send had
   * reached Teams before it died (see README, "Exactly once, and what a crash can do").
   */
  private async reconcile(): Promise<void> {
    for (const row of await this.queue.midAttempt(this.app.instance)) {
      if (await this.queue.requeueUncertain(row, this.options.now().getTime())) {
        this.totals.uncertain += 1;
        this.options.log(`broadcast: ${row.value.batch}/${row.value.person} was mid-send when its sender stopped; sending again`);
      }
    }
  }

  /** The durable kick for the next row due, and a timer in this process for one due soon. */
  private async scheduleNext(): Promise<void> {
    const nextDue = await this.queue.nextDue();
    clearTimeout(this.soon);
    if (nextDue === undefined) return void (await this.scheduler.cancel(KICK_JOB.id));
    const wait = nextDue - this.options.now().getTime();
    await this.kick(new Date(Math.max(nextDue, this.options.now().getTime())));
    // A throttled card retries in a second or two: waiting for the scheduler's tick would idle.
    if (wait < SOON_MS) {
      this.soon = setTimeout(() => void this.drain().catch((err) => this.options.log(`broadcast: working the queue failed: ${(err as Error).message}`)), Math.max(0, wait));
      this.soon.unref();
    }
  }

  private async deliver(row: Stored<Delivery>, report: DrainReport): Promise<void> {
    const count = (key: keyof DrainReport) => {
      report[key] += 1;
      this.totals[key] += 1;
    };
    // Claimed first, then paced: the send leaves the moment the pacer says, not a table write later.
    const claimed = await this.queue.claim(row, this.app.instance, this.options.now().getTime() + ROW_LEASE_MS);
    if (!claimed) return;
    await this.pacer.take(row.value.person);
    if (this.stopping) return void (await this.queue.retryAt(claimed, this.options.now().getTime(), 'stopped before sending', { attempts: claimed.value.attempts - 1 }));
    const batch = await this.queue.batch(claimed.value.batch);
    const kind = batch && this.kinds.get(batch.kind);
    if (!batch || !kind) return void (await this.queue.finish(claimed, { state: 'skipped', error: 'no sender for this batch' }, this.options.now()));
    const giveUpOrRetry = async (error: string, waitMs: number, throttled = false) => {
      const throttles = (claimed.value.throttles ?? 0) + (throttled ? 1 : 0);
      if (throttled ? throttles > MAX_THROTTLES : claimed.value.attempts >= this.options.maxAttempts) {
        count('failed');
        await this.queue.finish(claimed, { state: 'failed', error }, this.options.now());
        await kind.failed?.(batch, claimed.value.person, error);
      } else {
        count('retried');
        await this.queue.retryAt(claimed, this.options.now().getTime() + waitMs, error, throttled ? { attempts: claimed.value.attempts - 1, throttles } : {});
      }
    };
    try {
      const what = await kind.render(batch, claimed.value.person);
      if (!what) return void (await this.queue.finish(claimed, { state: 'skipped', error: 'no longer needed' }, this.options.now()));
      const posted = await this.send(what.to, what.message, this.app.gate);
      if (!posted) return void (await giveUpOrRetry('Teams could not reach them (not in a team with Lantern, or refused)', jittered(this.options.retryBaseMs * 2 ** (claimed.value.attempts - 1))));
      count('sent');
      await this.queue.finish(claimed, { state: 'sent', posted }, this.options.now());
      await kind.delivered?.(batch, claimed.value.person, posted);
    } catch (err) {
      if (err instanceof ThrottledError) {
        count('throttled');
        const wait = jittered(err.retryAfterMs);
        this.pacer.pause(wait);
        return void (await giveUpOrRetry('Teams kept throttling', wait, true));
      }
      this.options.log(`broadcast: sending ${claimed.value.batch}/${claimed.value.person} failed: ${(err as Error).message}`);
      await giveUpOrRetry((err as Error).message, jittered(this.options.retryBaseMs * 2 ** (claimed.value.attempts - 1))).catch(() => undefined);
    }
  }
}
