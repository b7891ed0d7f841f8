import type { Worker } from 'node:worker_threads';
import { startThread } from '../startThread';
import type { PolicyAnswer, PolicyLibrary } from './policyLibrary';
import type { FromSearchThread, ToSearchThread } from './searchWorker';

/** A thread that died this recently is not started again yet: answers are worked out here meanwhile. */
const RESTART_AFTER_MS = 60_000;

/** One school's library in the search thread. */
export interface SearchSlot {
  /**
   * Has the thread build `library` (at start, and after the policies change). Resolves once it
   * has, or once it is known that it cannot (then questions are answered on the bot's thread).
   */
  prepare(library: PolicyLibrary): Promise<void>;
  /**
   * What `library.answer(question)` gives: worked out on the search thread once it holds this
   * library, and here until then (while the thread starts or builds it), so no question waits.
   */
  answer(library: PolicyLibrary, question: string): Promise<PolicyAnswer>;
  /** Lets the thread forget the library (the capability stopped). */
  close(): void;
}

/**
 * Policy search off the bot's event loop. Ranking a question against a school's policies is the
 * one piece of a turn that is pure CPU (about a millisecond, and a fifth of a policy answer's
 * time on the bot's thread), so with many staff asking at once every other turn queued behind it.
 * The thread builds each school's library from the documents the bot read (the same input, so
 * the same answers) and answers one question after another. If the thread fails, questions are
 * answered on the bot's thread as before, and a new thread is started a minute later.
 */
export class PolicySearchThread {
  private worker?: Worker;
  /** Counts threads started: a slot's library is sent again to each new one. */
  private incarnation = 0;
  private diedAt = -Infinity;
  private stopped = false;
  private nextId = 1;
  private nextSlot = 1;
  private readonly waiting = new Map<number, { resolve(value: unknown): void; reject(err: Error): void }>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  slot(log: (line: string) => void = () => undefined): SearchSlot {
    const id = this.nextSlot++;
    /** The library last sent for this slot, to which thread, and whether that thread has built it. */
    let sent: { incarnation: number; library: PolicyLibrary; built: Promise<void>; ready: boolean } | undefined;
    const failed = (err: unknown) => log(`policies: the search thread failed (${(err as Error).message}); answering on the bot's thread`);
    const prepare = (library: PolicyLibrary): Promise<void> => {
      const worker = this.running();
      if (!worker) return Promise.resolve();
      if (sent?.incarnation !== this.incarnation || sent.library !== library) {
        const load: ToSearchThread = { load: { id: this.nextId++, slot: id, directory: library.directory, documents: library.sourceDocuments() } };
        const entry = { incarnation: this.incarnation, library, built: Promise.resolve(), ready: false };
        entry.built = this.request(worker, load.load.id, load).then(() => void (entry.ready = true), failed);
        sent = entry;
      }
      return sent.built;
    };
    return {
      prepare: async (library) => {
        try {
          await prepare(library);
        } catch (err) {
          failed(err); // the thread could not be started
        }
      },
      answer: async (library, question) => {
        try {
          void prepare(library);
          const worker = this.worker;
          if (worker && sent?.ready && sent.library === library && sent.incarnation === this.incarnation) {
            const ask = this.nextId++;
            return (await this.request(worker, ask, { ask: { id: ask, slot: id, question } })) as PolicyAnswer;
          }
        } catch (err) {
          // Whatever went wrong there (the thread failed to start or died mid-question), the question is answered here.
          failed(err);
        }
        return library.answer(question);
      },
      close: () => {
        if (sent?.incarnation === this.incarnation) this.worker?.postMessage({ drop: id } satisfies ToSearchThread);
        sent = undefined;
      },
    };
  }

  /** Ends the thread; questions asked afterwards are answered on the bot's thread. */
  async stop(): Promise<void> {
    this.stopped = true;
    const worker = this.worker;
    this.worker = undefined;
    this.failWaiting('the search thread was stopped');
    await worker?.terminate();
  }

  private failWaiting(reason: string): void {
    for (const waiting of this.waiting.values()) waiting.reject(new Error(reason));
    this.waiting.clear();
  }

  /** Sends `message` and resolves with the thread's reply to `id`. */
  private request(worker: Worker, id: number, message: ToSearchThread): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      // Held open only while it owes replies: a script awaiting one must not exit first.
      if (this.waiting.size === 1) worker.ref();
      worker.postMessage(message);
    });
  }

  private running(): Worker | undefined {
    if (this.worker || this.stopped || this.now() - this.diedAt < RESTART_AFTER_MS) return this.worker;
    const worker = startThread(__filename, 'searchWorker', undefined);
    this.incarnation += 1;
    worker.unref();
    worker.on('message', (message: FromSearchThread) => {
      const waiting = this.waiting.get(message.id);
      if (!waiting) return;
      this.waiting.delete(message.id);
      if (this.waiting.size === 0) worker.unref();
      if ('error' in message) waiting.reject(new Error(message.error));
      else waiting.resolve('answer' in message ? message.answer : undefined);
    });
    const died = (reason: string) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.diedAt = this.now();
      this.failWaiting(reason);
    };
    worker.on('error', (err) => died(err.message));
    worker.on('exit', (code) => died(`its thread exited with code ${code}`));
    this.worker = worker;
    return worker;
  }
}

let shared: PolicySearchThread | undefined;

/** The process's one search thread, shared by every school's policies. */
export function sharedSearchThread(): PolicySearchThread {
  shared ??= new PolicySearchThread();
  return shared;
}
