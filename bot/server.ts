import * as restify from 'restify';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import type { IncomingMessage } from 'node:http';

export interface HttpServer {
  readonly port: number;
  /** Where a client on this machine reaches the server. */
  readonly url: string;
  /** The address the socket is bound to, as the operating system reports it ("127.0.0.1:3978"). */
  readonly boundTo: string;
  /** Bound to 0.0.0.0 or ::, so reachable from the network. */
  readonly allInterfaces: boolean;
  /** Stops accepting requests and resolves when every in-flight turn has finished. */
  close(graceMs?: number): Promise<void>;
}

/** What the token check concluded; a failure to reach Microsoft's key endpoint is not the caller's fault. */
export type TokenVerdict = 'valid' | 'invalid' | 'keys-unavailable';

export interface ServerParts {
  adapter: TeamsAdapter;
  run: (context: TurnContext) => Promise<unknown>;
  /** Throws when storage does not answer. */
  healthCheck: () => Promise<void>;
  /** Checks the Authorization header alone; absent in local mode (no BOT_ID). */
  verifyToken?: (authorization: string) => Promise<TokenVerdict>;
  log: (message: string) => void;
}

const MAX_BODY_BYTES = 512 * 1024;

class BadRequest extends Error {}

/** Reads the body only after the caller is known, so an anonymous request costs nothing to refuse. */
async function readActivity(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BadRequest('body too large');
    chunks.push(chunk as Buffer);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new BadRequest('body is not JSON');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new BadRequest('body is not an activity object');
  const type = (body as { type?: unknown }).type;
  if (typeof type !== 'string' || !type.trim()) throw new BadRequest('activity has no type');
  return body as Record<string, unknown>;
}

export async function startServer(port: number, host: string, parts: ServerParts): Promise<HttpServer> {
  const server = restify.createServer({ name: 'lantern', handleUncaughtExceptions: false });
  let inFlight = 0;
  let drained: (() => void) | undefined;
  let closing = false;

  server.post('/api/messages', async (req: restify.Request, res: restify.Response) => {
    if (closing) {
      // Teams retries a 503, so the message reaches another instance or this one after restart.
      res.send(503, { error: 'shutting down' });
      return;
    }
    inFlight += 1;
    try {
      if (parts.verifyToken) {
        const verdict = await parts.verifyToken(String(req.headers.authorization ?? ''));
        if (verdict === 'keys-unavailable') {
          parts.log('refused a request: the Bot Framework signing keys could not be loaded');
          res.send(503, { error: 'authentication unavailable' });
          return;
        }
        if (verdict !== 'valid') {
          parts.log(`refused a request without a valid Bot Framework token from ${req.socket.remoteAddress ?? 'unknown address'}`);
          res.send(401, { error: 'unauthorized' });
          return;
        }
      }
      (req as { body?: unknown }).body = await readActivity(req);
      await parts.adapter.process(req, res, async (context) => {
        await parts.run(context);
      });
    } catch (err) {
      if (err instanceof BadRequest) {
        if (!res.headersSent) res.send(400, { error: err.message });
        return;
      }
      parts.log(`request failed: ${(err as Error).message}`);
      // Input never earns a 500: Teams would retry it, and logs would hide what happened.
      if (!res.headersSent) res.send(400, { error: 'request could not be processed' });
    } finally {
      inFlight -= 1;
      if (inFlight === 0) drained?.();
    }
  });

  server.get('/healthz', async (_req, res) => {
    try {
      await parts.healthCheck();
      res.send(200, { status: 'ok' });
    } catch (err) {
      // Unauthenticated endpoint: the reason goes to the log, never to the caller.
      parts.log(`health check: storage unavailable: ${(err as Error).message.split('\n')[0]}`);
      res.send(503, { status: 'unavailable' });
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const wildcard = address.address === '0.0.0.0' || address.address === '::';
  const local = wildcard ? '127.0.0.1' : address.address.includes(':') ? `[${address.address}]` : address.address;
  return {
    port: address.port,
    url: `http://${local}:${address.port}`,
    boundTo: `${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`,
    allInterfaces: wildcard,
    async close(graceMs = 15_000) {
      closing = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      if (inFlight > 0) {
        await Promise.race([
          new Promise<void>((resolve) => (drained = resolve)),
          new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref()),
        ]);
      }
      // Idle keep-alive sockets would otherwise hold close() open until they time out.
      (server.server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      await stopped;
    },
  };
}
