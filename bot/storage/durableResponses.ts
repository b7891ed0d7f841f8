import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** Requests that only read: everything else may change the database and must be saved first. */
const READ_ONLY = new Set(['GET', 'HEAD', 'OPTIONS']);

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Holds back the answer to every write request until `save` has put the database on disk, so a
 * client (and through it, a user) is never told "saved" about something a `kill -9` would lose.
 * The whole response is held, not just its end: a body written early would let a client with a
 * Content-Length finish reading before the save. A failed save destroys the connection, which the
 * client sees as a transient fault and retries; it never sees a success.
 */
export function answerWritesAfterSave(server: Server, save: () => Promise<void>): void {
  const listeners = server.listeners('request') as Listener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!READ_ONLY.has(req.method ?? 'GET')) holdUntilSaved(res, save);
    for (const listener of listeners) listener(req, res);
  });
}

function holdUntilSaved(res: ServerResponse, save: () => Promise<void>): void {
  const chunks: unknown[][] = [];
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.write = ((...args: unknown[]) => {
    chunks.push(args);
    return true;
  }) as ServerResponse['write'];
  res.end = ((...args: unknown[]) => {
    save().then(
      () => {
        for (const args of chunks) write(...args);
        end(...args);
      },
      (err: unknown) => res.destroy(err instanceof Error ? err : new Error(String(err))),
    );
    return res;
  }) as ServerResponse['end'];
}
