import * as restify from 'restify';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';

export interface HttpServer {
  readonly port: number;
  readonly url: string;
  /** Stops accepting requests and resolves when every in-flight turn has finished. */
  close(graceMs?: number): Promise<void>;
}

export interface ServerParts {
  adapter: TeamsAdapter;
  run: (context: TurnContext) => Promise<unknown>;
  /** Throws when storage does not answer. */
  healthCheck: () => Promise<void>;
  log: (message: string) => void;
}

export async function startServer(port: number, parts: ServerParts): Promise<HttpServer> {
  const server = restify.createServer({ name: 'lantern', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: 512 * 1024, mapParams: false }));
  let inFlight = 0;
  let drained: (() => void) | undefined;
  let closing = false;

  server.post('/api/messages', async (req, res) => {
    if (closing) {
      // Teams retries a 503, so the message reaches another instance or this one after restart.
      res.send(503, { error: 'shutting down' });
      return;
    }
    inFlight += 1;
    try {
      await parts.adapter.process(req, res, async (context) => {
        await parts.run(context);
      });
    } catch (err) {
      parts.log(`request failed: ${(err as Error).message}`);
      if (!res.headersSent) res.send(500, { error: 'internal error' });
    } finally {
      inFlight -= 1;
      if (inFlight === 0) drained?.();
    }
  });

  server.get('/healthz', async (_req, res) => {
    try {
      await parts.healthCheck();
      res.send(200, { status: 'ok', storage: 'ok' });
    } catch (err) {
      res.send(503, { status: 'degraded', storage: 'unreachable', detail: (err as Error).message.split('\n')[0] });
    }
  });

  await new Promise<void>((resolve) => server.listen(port, '0.0.0.0', resolve));
  const address = server.address();
  return {
    port: address.port,
    url: `http://127.0.0.1:${address.port}`,
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
