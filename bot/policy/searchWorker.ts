import { parentPort } from 'node:worker_threads';
import type { PolicyDocument } from './documentLoader';
import { PolicyLibrary, type PolicyAnswer } from './policyLibrary';

/** What the bot's thread sends: a slot's library to build (replacing the one it had), or a question. */
export type ToSearchThread =
  | { load: { id: number; slot: number; directory: string; documents: PolicyDocument[] } }
  | { ask: { id: number; slot: number; question: string } }
  | { drop: number };
export type FromSearchThread = { id: number; loaded: true } | { id: number; answer: PolicyAnswer } | { id: number; error: string };

/**
 * The policy search thread's body (see searchThread.ts): each slot's library, built from the
 * documents the bot's thread read, answering questions one after another.
 */
const port = parentPort!;
const libraries = new Map<number, PolicyLibrary>();

port.on('message', (message: ToSearchThread) => {
  if ('load' in message) {
    // Documents it cannot index take the thread down (a bug, not a question's fault): the bot answers without it.
    const { id, slot, directory, documents } = message.load;
    libraries.set(slot, PolicyLibrary.fromDocuments(directory, documents));
    return void port.postMessage({ id, loaded: true } satisfies FromSearchThread);
  }
  if ('drop' in message) return void libraries.delete(message.drop);
  const { id, slot, question } = message.ask;
  try {
    const library = libraries.get(slot);
    if (!library) throw new Error(`no library for slot ${slot}`);
    port.postMessage({ id, answer: library.answer(question) } satisfies FromSearchThread);
  } catch (err) {
    port.postMessage({ id, error: (err as Error).message } satisfies FromSearchThread);
  }
});
