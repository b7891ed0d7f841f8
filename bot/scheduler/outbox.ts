import { DocumentTable } from '../storage/documentTable';
import { ConflictError, StorageUnavailableError } from '../storage/errors';
import type { TableProvisioner } from '../storage/tableService';
import type { Scheduler } from './scheduler';

/** What a task body is given: where it runs, and the one way it does anything with an effect. */
export interface TaskRun {
  /**
   * True in the submitter's own turn (they see the result); false when a tick finishes it later,
   * and in the extra pass made after an inline run for a person told it was running elsewhere
   * (see submit): steps only a non-inline run takes (the receipt to their chat) then run.
   */
  readonly inline: boolean;
  /**
   * Runs `work` once for this task, ever: its result is recorded under `name`, and a retry or a
   * restart returns the recorded result without running it again.
   */
  step<T>(name: string, work: () => Promise<T>): Promise<T>;
}

export type TaskBody<P, R> = (payload: P, run: TaskRun) => Promise<R>;

/**
 * done: finished now or before. running: another instance holds it this minute. interrupted:
 * storage failed after the task was saved, so it will finish (by a retry or a tick) but has not.
 */
export type Submitted<R> = { state: 'done'; result: R } | { state: 'running' } | { state: 'interrupted' };

interface Mark {
  result?: unknown;
  at: string;
}

const DONE = '~done';
/** Someone was answered 'running' and promised the receipt in their chat. */
const WAITING = '~waiting';
/** An inline run finishes in seconds; if its process dies, a tick takes the task over after this. */
const INLINE_LEASE_MS = 60_000;

/**
 * All-or-nothing submits that resume where they stopped. A submit is a task with a stable id (what
 * makes it unique: the draft, the form, the request and step); its payload is written as a
 * Scheduler job before anything else happens, so the pending work is in Tables from the first
 * write. The task runs at once in the submitter's turn; if storage or the process fails part-way,
 * the same submit pressed again (or a Scheduler tick, on any instance) runs it again, and every
 * step already recorded is skipped.
 *
 * Delivery is at least once, never lost: a step's result is recorded after it runs. A result that
 * could not be recorded (storage went down just after a Teams post) is kept in this process and
 * recorded by the retry instead of posting again; only a process dying in that window repeats a
 * message.
 */
export class Outbox {
  private readonly marks: DocumentTable<Mark>;
  private readonly bodies = new Map<string, TaskBody<never, unknown>>();
  /** Results of steps that ran but could not yet be recorded, by task and step. */
  private readonly unrecorded = new Map<string, unknown>();
  private readonly inlineRuns = new Map<string, (result: unknown) => void>();

  constructor(tables: TableProvisioner, private readonly scheduler: Scheduler, private readonly now: () => Date = () => new Date()) {
    this.marks = new DocumentTable(tables, 'outbox');
  }

  /** Registers a kind of task; its Scheduler handler is the same body, run with `inline: false`. */
  define<P extends Record<string, unknown>, R>(kind: string, body: TaskBody<P, R>): void {
    this.bodies.set(kind, body as TaskBody<never, unknown>);
    this.scheduler.handle(kind, (job) => this.execute(kind, job.id, job.payload));
  }

  /** The task's result if it has finished (for showing the receipt again). */
  async result<R>(id: string): Promise<R | undefined> {
    const done = await this.marks.get(id, DONE);
    return done ? (done.value.result as R) : undefined;
  }

  /**
   * Runs task `id` now, or finishes it if an earlier attempt stopped part-way. 'running' means
   * another instance holds it this minute; a tick will finish it, and work for a submitter who is
   * no longer waiting (sending the receipt to their chat) is the body's to do when it sees
   * `inline: false`. Storage failing before the task is saved throws StorageUnavailableError
   * (nothing was saved); failing after it is 'interrupted' (saved, not finished).
   *
   * `forgotten` is for a task pressed again after its marks were forgotten (see forgetFinished):
   * what the stores show of the task as finished (the record it wrote), or undefined. When it
   * answers and the outbox knows nothing of the task (no mark, no job), that is the result, and
   * nothing runs again; without it such a press would run the task as new (the record adopted, but
   * its audit line and notices again).
   */
  async submit<P extends Record<string, unknown>, R>(kind: string, id: string, payload: P, forgotten?: () => Promise<R | undefined>): Promise<Submitted<R>> {
    const finished = await this.marks.get(id, DONE);
    if (finished) return { state: 'done', result: finished.value.result as R };
    if (forgotten) {
      const result = await forgotten();
      if (result !== undefined && !(await this.known(id))) return { state: 'done', result };
    }
    const claim = await this.scheduler.claimNow(kind, id, payload, INLINE_LEASE_MS);
    if (!claim) return this.runningElsewhere<R>(id);
    let result: R | undefined;
    // The Scheduler runs the handler define() registered; this map tells it a submitter is waiting.
    this.inlineRuns.set(id, (r) => (result = r as R));
    try {
      await this.scheduler.runClaimed(claim);
    } catch (err) {
      // With a result the task is done: what failed is the receipt for someone told it was
      // running, which stays claimed for a tick to send.
      if (result !== undefined) return { state: 'done', result };
      if (err instanceof StorageUnavailableError) return { state: 'interrupted' };
      throw err;
    } finally {
      this.inlineRuns.delete(id);
    }
    if (result === undefined) result = await this.result<R>(id);
    return { state: 'done', result: result as R };
  }

  /** Whether anything of task `id` is stored: a mark, or its job. */
  private async known(id: string): Promise<boolean> {
    return (await this.marks.list(id, { limit: 1 })).length > 0 || !!(await this.scheduler.get(id));
  }

  /**
   * Forgets tasks that finished before `before`: every mark of each goes, its done mark last (so a
   * sweep cut short leaves a task still known as finished, and the next one completes it). A task
   * with no done mark may still be retried by a press, and one whose job row is still there (the
   * receipt for someone told 'running' is not yet sent) may still run: both keep every mark.
   * Returns how many tasks were forgotten. Within this table's range only: one school's.
   */
  async forgetFinished(before: Date): Promise<number> {
    const cutoff = before.toISOString();
    let forgotten = 0;
    for (const done of await this.marks.named(DONE)) {
      if (done.value.at >= cutoff) continue;
      const id = done.partitionKey;
      if (await this.scheduler.get(id)) continue;
      for (const mark of await this.marks.list(id)) if (mark.rowKey !== DONE) await this.marks.delete(id, mark.rowKey);
      await this.marks.delete(id, DONE);
      forgotten += 1;
    }
    return forgotten;
  }

  /**
   * Another runner holds the task: typically Teams redelivered the press to a second instance
   * while the first still runs it inline, and that first answer may never be shown (Teams gave up
   * on it). Whoever is told 'running' is promised the receipt in their chat, so a mark asks the
   * inline runner to send it there too; if the task finished meanwhile, its result is the answer.
   * Mark first, then look: the runner records done, then looks for the mark, so one of them sees
   * the other.
   */
  private async runningElsewhere<R>(id: string): Promise<Submitted<R>> {
    await this.marks.create(id, WAITING, { at: this.now().toISOString() }).catch((err) => {
      if (!(err instanceof ConflictError)) throw err;
    });
    const finished = await this.marks.get(id, DONE);
    return finished ? { state: 'done', result: finished.value.result as R } : { state: 'running' };
  }

  private async execute(kind: string, id: string, payload: Record<string, unknown>): Promise<void> {
    const body = this.bodies.get(kind);
    if (!body) throw new Error(`no outbox task kind "${kind}"`);
    const inline = this.inlineRuns.get(id);
    const recorded = new Map((await this.marks.list(id)).map((m) => [m.rowKey, m.value.result]));
    const runAs = (isInline: boolean): TaskRun => ({
      inline: isInline,
      step: async <T>(name: string, work: () => Promise<T>): Promise<T> => {
        if (name.startsWith('~')) throw new Error(`step names starting "~" are reserved`);
        if (recorded.has(name)) return recorded.get(name) as T;
        const key = `${id}\u0000${name}`;
        const result = this.unrecorded.has(key) ? (this.unrecorded.get(key) as T) : await work();
        this.unrecorded.set(key, result);
        const kept = await this.record(id, name, result);
        this.unrecorded.delete(key);
        recorded.set(name, kept);
        return kept as T;
      },
    });
    if (recorded.has(DONE)) {
      inline?.(recorded.get(DONE));
      // Finishes an extra pass (below) that failed part-way; its recorded steps are skipped.
      if (!inline && recorded.has(WAITING)) await body(payload as never, runAs(false));
      return;
    }
    const result = await body(payload as never, runAs(!!inline));
    const kept = await this.record(id, DONE, result);
    inline?.(kept);
    // Every step is recorded now, so this pass runs only what a non-inline run adds (the receipt).
    if (inline && (await this.marks.get(id, WAITING))) await body(payload as never, runAs(false));
  }

  /** Records a step's result; if another runner recorded it first, theirs stands. */
  private async record(id: string, name: string, result: unknown): Promise<unknown> {
    try {
      await this.marks.create(id, name, { result, at: this.now().toISOString() });
      return result;
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      return (await this.marks.require(id, name)).value.result;
    }
  }
}

/**
 * Creates a task's record, or takes it as this task's own if it is already there: the key comes
 * from the task id, so only an earlier attempt of this same task (whose record of the step was
 * lost) can have written it.
 */
export async function createOrAdopt<T>(create: () => Promise<T>, existing: () => Promise<T>): Promise<T> {
  try {
    return await create();
  } catch (err) {
    if (err instanceof ConflictError) return existing();
    throw err;
  }
}
