import { open, readdir, readFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

/**
 * An append-only log of changes, so a write can be acknowledged once its change is in a file
 * rather than once the whole database is. Knows nothing of what a change means: callers pass each
 * change already serialized as JSON (taken when it happened, so a later in-place edit of the same
 * object cannot leak into it) and get them back, parsed, in order.
 *
 * Format: segment files `<prefix>.<n>` (n counting up from 1), one line per write to disk, each
 * line a JSON array of the changes pending when it began (group commit: one fs write for all of
 * them). A line is the unit of all-or-nothing: a kill -9 during a write leaves at most a torn last
 * line, and none of the changes in it were acknowledged, so it is ignored. A bad line anywhere
 * else is damage, and reading stops with an error rather than quietly dropping what follows.
 *
 * Durability class: the write has reached the page cache (no fsync), as the whole-database save
 * it replaces did. That survives the process being killed, not the machine losing power.
 *
 * Replaying segments over a snapshot must be correct even when the snapshot already holds some of
 * their changes (a snapshot is cut while earlier lines are still being written, and the old
 * segment is deleted only after the snapshot is on disk). It is, provided every change assigns
 * state (put this document, delete this key, create or drop this collection) rather than
 * adjusting it: replaying a suffix of history over a state that already includes part of it ends
 * where the history ended.
 */
export class WriteJournal {
  private segment: Segment;
  private pending: string[] = [];
  private appended = 0;
  private written = 0;
  private writing = false;
  private holds = 0;
  private scheduled = false;
  private waiters: { upTo: number; resolve: () => void; reject: (err: Error) => void }[] = [];

  private constructor(
    private readonly dir: string,
    private readonly prefix: string,
    next: number,
    private readonly onError: (err: Error) => void,
  ) {
    this.segment = new Segment(this.fileFor(next), next);
  }

  /** A journal that writes after every segment already in `dir` (replay those first). */
  static async open(dir: string, prefix: string, onError: (err: Error) => void = () => undefined): Promise<WriteJournal> {
    const existing = await segmentsIn(dir, prefix);
    return new WriteJournal(dir, prefix, (existing.at(-1)?.n ?? 0) + 1, onError);
  }

  /** Bytes written to the current segment: the caller's cue to take a snapshot and rotate. */
  get bytes(): number {
    return this.segment.bytes;
  }

  /**
   * Changes appended in one synchronous step always share a line: the write starts on a later
   * turn of the event loop, so a change made of two (an update is a remove and an insert) is never
   * half written.
   */
  append(changeJson: string): void {
    this.pending.push(changeJson);
    this.appended++;
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.kick();
    });
  }

  /** Settles once everything appended so far is in the file; rejects if that write failed. */
  durable(): Promise<void> {
    if (this.written >= this.appended) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ upTo: this.appended, resolve, reject }));
  }

  /**
   * While held, no write starts, so changes that belong together (a batch transaction spans
   * several awaits) are never split across lines. Holds nest.
   */
  hold(): void {
    this.holds++;
  }

  release(): void {
    this.holds = Math.max(0, this.holds - 1);
    // Called in the step that ended the batch, which may not be over yet: write on a later turn.
    setImmediate(() => this.kick());
  }

  /**
   * From now on writes go to a new segment. Resolves with the old segment's number once its last
   * write has finished: once a snapshot cut at this moment is on disk, segments up to it can go.
   */
  async rotate(): Promise<number> {
    const old = this.segment;
    this.segment = new Segment(this.fileFor(old.n + 1), old.n + 1);
    await old.close();
    return old.n;
  }

  /** Waits for pending writes, then closes the segment. */
  async close(): Promise<void> {
    await this.durable().catch(() => undefined);
    await this.segment.close();
  }

  private fileFor(n: number): string {
    return path.join(this.dir, `${this.prefix}.${n}`);
  }

  private kick(): void {
    if (this.writing || this.holds > 0 || this.pending.length === 0) return;
    this.writing = true;
    const lines = this.pending;
    const upTo = this.appended;
    this.pending = [];
    const segment = this.segment;
    segment.append(`[${lines.join(',')}]\n`).then(
      () => this.settle(upTo),
      (err: Error) => {
        // What follows must not land after a possibly torn line: start a fresh segment.
        if (this.segment === segment) this.segment = new Segment(this.fileFor(segment.n + 1), segment.n + 1);
        void segment.close().catch(() => undefined);
        this.settle(upTo, err);
        this.onError(err);
      },
    );
  }

  private settle(upTo: number, err?: Error): void {
    this.written = upTo;
    while (this.waiters.length > 0 && this.waiters[0].upTo <= upTo) {
      const waiter = this.waiters.shift()!;
      if (err) waiter.reject(err);
      else waiter.resolve();
    }
    this.writing = false;
    this.kick();
  }
}

/** One segment file, opened on its first write (a segment nothing was written to never exists). */
class Segment {
  bytes = 0;
  private handle?: Promise<FileHandle>;
  private last: Promise<unknown> = Promise.resolve();

  constructor(
    readonly file: string,
    readonly n: number,
  ) {}

  append(line: string): Promise<void> {
    this.handle ??= open(this.file, 'a');
    const data = Buffer.from(line);
    const done = this.handle.then(async (fh) => {
      let offset = 0;
      while (offset < data.length) offset += (await fh.write(data, offset)).bytesWritten;
      this.bytes += data.length;
    });
    this.last = done.catch(() => undefined);
    return done;
  }

  async close(): Promise<void> {
    await this.last;
    const handle = this.handle;
    this.handle = undefined;
    if (handle) await (await handle.catch(() => undefined))?.close();
  }
}

/** The segment files in `dir`, oldest first: what a start replays before taking requests. */
export async function segmentsIn(dir: string, prefix: string): Promise<{ file: string; n: number }[]> {
  const pattern = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(\\d+)$`);
  const names = await readdir(dir).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? [] : Promise.reject(err)));
  return names
    .map((name) => ({ file: path.join(dir, name), n: Number(pattern.exec(name)?.[1] ?? NaN) }))
    .filter((s) => Number.isInteger(s.n))
    .sort((a, b) => a.n - b.n);
}

/** Every change in `files`, in the order written, each parsed; torn last lines skipped. */
export async function* readJournal(files: string[]): AsyncGenerator<unknown> {
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    const lines = text.split('\n');
    // The piece after the last newline is a write cut short (or empty): never acknowledged.
    lines.pop();
    for (const [i, line] of lines.entries()) {
      let changes: unknown;
      try {
        changes = JSON.parse(line);
      } catch {
        // Only the last line can be cut short; and a line is only whole once its newline is out.
        throw new Error(`write journal ${file} is damaged at line ${i + 1}: it is not JSON`);
      }
      if (!Array.isArray(changes)) throw new Error(`write journal ${file} is damaged at line ${i + 1}: not a list of changes`);
      yield* changes;
    }
  }
}
