import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/**
 * Requests that only read: everything else may change the database and waits for its change to be
 * on disk. (A read may see a change still being written; anything acknowledged after it was
 * written after it too, since the journal is appended in order.)
 */
const READ_ONLY = new Set(['GET', 'HEAD', 'OPTIONS']);

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Holds back the answer to every write request until `durable` says every change made so far is
 * on disk, so a client (and through it, a user) is never told "saved" about something a `kill -9`
 * would lose. The whole response is held, not just its end: a body written early would let a
 * client with a Content-Length finish reading before the change is written. A failed write
 * destroys the connection, which the client sees as a transient fault and retries; it never sees
 * a success.
 */
export function answerWritesWhenDurable(server: Server, durable: () => Promise<void>): void {
  const listeners = server.listeners('request') as Listener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!READ_ONLY.has(req.method ?? 'GET')) holdUntilDurable(res, durable);
    for (const listener of listeners) listener(req, res);
  });
}

function holdUntilDurable(res: ServerResponse, durable: () => Promise<void>): void {
  const chunks: unknown[][] = [];
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.write = ((...args: unknown[]) => {
    chunks.push(args);
    return true;
  }) as ServerResponse['write'];
  res.end = ((...args: unknown[]) => {
    durable().then(
      () => {
        for (const args of chunks) write(...args);
        end(...args);
      },
      (err: unknown) => res.destroy(err instanceof Error ? err : new Error(String(err))),
    );
    return res;
  }) as ServerResponse['end'];
}
