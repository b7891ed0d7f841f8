import path from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * A worker thread running `<dir>/<name>.js`, or `.ts` when this process runs from the sources
 * (tests, tsx scripts), in which case the thread needs the TypeScript loader registered first.
 * `from` is the caller's own `__filename`: the worker file sits beside it and shares its extension.
 */
export function startThread(from: string, name: string, workerData: unknown): Worker {
  const file = path.join(path.dirname(from), `${name}${path.extname(from)}`);
  return file.endsWith('.ts')
    ? new Worker(`require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register(); require(${JSON.stringify(file)});`, { eval: true, workerData })
    : new Worker(file, { workerData });
}
