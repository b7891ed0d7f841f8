import { randomUUID } from 'node:crypto';
import { DocumentTable, type Stored } from '../storage/documentTable';
import { ConflictError } from '../storage/errors';
import type { TableProvisioner } from '../storage/tableService';

export interface Job<P = Record<string, unknown>> {
  id: string;
  kind: string;
  due: string;
  payload: P;
  attempts: number;
}

export type JobHandler = (job: Job) => Promise<void>;

interface JobRow extends Job {
  /** When the job may next be picked: its due time, or the end of a running claim's lease. */
  nextRun: number;
  /** The instance whose claim's lease `nextRun` is, while one holds it. */
  claimedBy?: string;
}

/** A job claimed to run now, in the caller's own turn (see claimNow). */
export type ClaimedJob = Stored<JobRow>;

export interface SchedulerOptions {
  intervalMs: number;
  /** How long a claim holds before another instance may retry a job whose runner died. */
  leaseMs?: number;
  now?: () => Date;
  log?: (message: string) => void;
}

const MAX_ATTEMPTS = 8;

/** The scheduler's last tick, for the setup check: a stopped scheduler sends no reminders. */
export interface Heartbeat {
  at: string;
  instance: string;
  ran: number;
}

/**
 * Durable timers (escalations, reminders, expiries) in Tables. Each due job is claimed with an
 * ETag write before it runs, so two instances never both send it, and a job whose runner died is
 * picked up again when its lease runs out: a restart loses nothing.
 */
export class Scheduler {
  private readonly table: DocumentTable<JobRow>;
  private readonly heartbeat: DocumentTable<Heartbeat>;
  private readonly handlers = new Map<string, JobHandler>();
  private readonly instance = randomUUID();
  /** Jobs this process is running now: a claim of ours not in here is one whose runner failed. */
  private readonly active = new Set<string>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private readonly leaseMs: number;
  private readonly now: () => Date;
  private readonly log: (message: string) => void;

  constructor(tables: TableProvisioner, private readonly options: SchedulerOptions) {
    this.table = new DocumentTable(tables, 'jobs');
    this.heartbeat = new DocumentTable(tables, 'jobs');
    this.leaseMs = options.leaseMs ?? 5 * 60_000;
    this.now = options.now ?? (() => new Date());
    this.log = options.log ?? (() => undefined);
  }

  handle(kind: string, handler: JobHandler): void {
    if (this.handlers.has(kind)) throw new Error(`a handler for job kind "${kind}" is already registered`);
    this.handlers.set(kind, handler);
  }

  /**
   * Schedules (or moves) a job. A stable `id` makes scheduling idempotent: the same escalation
   * scheduled twice is one job.
   */
  async schedule<P extends Record<string, unknown>>(kind: string, due: Date, payload: P, id: string = randomUUID()): Promise<Job<P>> {
    const job: JobRow = { id, kind, due: due.toISOString(), payload, attempts: 0, nextRun: due.getTime() };
    await this.table.upsert('job', id, job, { nextRun: job.nextRun, kind });
    return job as unknown as Job<P>;
  }

  async cancel(id: string): Promise<void> {
    await this.table.delete('job', id);
  }

  async get(id: string): Promise<Job | undefined> {
    return (await this.table.get('job', id))?.value;
  }

  /** Jobs not yet done, soonest first (for tests and the admin view). */
  async pending(kind?: string): Promise<Job[]> {
    const rows = kind ? await this.table.where('kind', kind) : await this.table.list('job');
    return rows.map((r) => r.value).sort((a, b) => a.due.localeCompare(b.due));
  }

  async lastRun(): Promise<Heartbeat | undefined> {
    return (await this.heartbeat.get('heartbeat', 'last'))?.value;
  }

  /**
   * Creates or claims job `id` to run at once in the caller's turn, so a person waiting for a
   * receipt need not wait for a tick. Undefined when another runner holds a live claim on it. A
   * claim of this instance's whose run failed (storage went down mid-way) is taken over at once:
   * nothing else can be running it. The job row is the pending work: if the caller dies, the
   * lease runs out and any instance's tick finishes it.
   */
  async claimNow<P extends Record<string, unknown>>(kind: string, id: string, payload: P, leaseMs: number): Promise<ClaimedJob | undefined> {
    const now = this.now().getTime();
    const claimed = (row: JobRow): JobRow => ({ ...row, attempts: row.attempts + 1, nextRun: now + leaseMs, claimedBy: this.instance });
    for (;;) {
      const row = await this.table.get('job', id);
      if (!row) {
        const fresh: JobRow = { id, kind, due: new Date(now).toISOString(), payload, attempts: 0, nextRun: now };
        try {
          return await this.table.create('job', id, claimed(fresh), { nextRun: now + leaseMs, kind, claimedBy: this.instance });
        } catch (err) {
          if (err instanceof ConflictError) continue;
          throw err;
        }
      }
      const held = row.value.nextRun > now && row.value.claimedBy !== undefined;
      if (held && (row.value.claimedBy !== this.instance || this.active.has(id))) return undefined;
      const next = claimed(row.value);
      try {
        return await this.table.replace('job', id, next, row.etag, { nextRun: next.nextRun, kind: next.kind, claimedBy: this.instance });
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
  }

  /** Runs a job claimed with claimNow; its error is thrown to the caller, and the job stays for a retry. */
  async runClaimed(row: ClaimedJob): Promise<void> {
    await this.execute(row, true);
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.runDue().catch((err) => this.log(`scheduler tick failed: ${(err as Error).message}`)), this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Runs every job that is due now; returns how many ran. Ticks never overlap in one process. */
  runDue(): Promise<number> {
    if (!this.running) {
      this.running = this.tick().finally(() => {
        this.running = undefined;
      });
    }
    return this.running;
  }

  private async tick(): Promise<number> {
    const now = this.now().getTime();
    const due = (await this.table.list('job')).filter((r) => r.value.nextRun <= now).sort((a, b) => a.value.nextRun - b.value.nextRun);
    let ran = 0;
    for (const row of due) {
      const claimed = await this.claim(row, now);
      if (!claimed) continue;
      ran += 1;
      await this.execute(claimed);
    }
    await this.heartbeat.upsert('heartbeat', 'last', { at: new Date(now).toISOString(), instance: this.instance, ran });
    return ran;
  }

  private async claim(row: Stored<JobRow>, now: number): Promise<Stored<JobRow> | undefined> {
    const claimed: JobRow = { ...row.value, attempts: row.value.attempts + 1, nextRun: now + this.leaseMs, claimedBy: this.instance };
    try {
      return await this.table.replace('job', row.rowKey, claimed, row.etag, { nextRun: claimed.nextRun, kind: claimed.kind, claimedBy: this.instance });
    } catch (err) {
      if (err instanceof ConflictError) return undefined; // another instance has it
      throw err;
    }
  }

  private async execute(row: Stored<JobRow>, rethrow = false): Promise<void> {
    const job = row.value;
    const handler = this.handlers.get(job.kind);
    this.active.add(job.id);
    try {
      if (!handler) throw new Error(`no handler for job kind "${job.kind}"`);
      await handler({ id: job.id, kind: job.kind, due: job.due, payload: job.payload, attempts: job.attempts });
      await this.table.delete('job', job.id, row.etag).catch((err) => {
        // The handler rescheduled this same id (a repeating job): the new row must stay.
        if (!(err instanceof ConflictError)) throw err;
      });
    } catch (err) {
      this.log(`job ${job.kind}/${job.id} failed (attempt ${job.attempts}): ${(err as Error).message}`);
      if (rethrow) throw err; // the claim's lease stands: a tick retries it if the caller does not
      if (job.attempts >= MAX_ATTEMPTS) {
        this.log(`job ${job.kind}/${job.id} gave up after ${job.attempts} attempts`);
        await this.table.delete('job', job.id, row.etag).catch(() => undefined);
        return;
      }
      const retryAt = this.now().getTime() + Math.min(60 * 60_000, 30_000 * 2 ** (job.attempts - 1));
      await this.table
        .replace('job', job.id, { ...job, nextRun: retryAt, claimedBy: undefined }, row.etag, { nextRun: retryAt, kind: job.kind })
        .catch(() => undefined); // rescheduled meanwhile: the newer row wins
    } finally {
      this.active.delete(job.id);
    }
  }
}
