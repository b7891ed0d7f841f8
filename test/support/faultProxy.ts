import http from 'node:http';
import { startLocalServer, type LocalServer } from './localServer';

/**
 * A pass-through HTTP proxy in front of a table server that can be told to fail every request
 * after the k-th: the storage outage that starts at the worst moment. Failed requests never reach
 * the server (503, which the bot treats as transient, or a dropped connection), so what was
 * stored is exactly what the first k requests wrote.
 */
export class FaultProxy {
  private server?: LocalServer;
  private target!: URL;
  /** Requests that reached the server since the last `count()` reset. */
  private passed = 0;
  /** Method and path of each request that passed, since the last reset (to see what k cut). */
  readonly seen: string[] = [];
  private allowance = Infinity;
  /** Fails requests matching `pattern` from the `from`-th match on (to cut one write, not all storage). */
  private matching?: { pattern: RegExp; from: number; seen: number };
  private mode: 'fail' | 'drop' = 'fail';
  private readonly agent = new http.Agent({ keepAlive: true });

  async start(targetConnectionString: string): Promise<this> {
    const endpoint = /TableEndpoint=([^;]+)/.exec(targetConnectionString)?.[1];
    if (!endpoint) throw new Error('the connection string names no TableEndpoint');
    this.target = new URL(endpoint);
    this.server = await startLocalServer((req, res) => this.forward(req, res));
    this.connectionString = targetConnectionString.replace(endpoint, `${this.server.url}${this.target.pathname}`);
    return this;
  }

  /** The connection string to give the bot: the same account, through this proxy. */
  connectionString = '';

  /** Starts counting from zero, all requests passing. */
  reset(): void {
    this.passed = 0;
    this.seen.length = 0;
    this.allowance = Infinity;
  }

  get count(): number {
    return this.passed;
  }

  /** Lets `k` more requests through, then fails every one until `restore()`. */
  failAfter(k: number, mode: 'fail' | 'drop' = 'fail'): void {
    this.passed = 0;
    this.seen.length = 0;
    this.allowance = k;
    this.mode = mode;
  }

  /** Fails every request whose "METHOD path" matches `pattern`, from the `from`-th such request on, until `restore()`. */
  failMatching(pattern: RegExp, from = 1): void {
    this.matching = { pattern, from, seen: 0 };
  }

  restore(): void {
    this.allowance = Infinity;
    this.matching = undefined;
  }

  async stop(): Promise<void> {
    this.agent.destroy();
    await this.server?.stop();
  }

  private forward(req: http.IncomingMessage, res: http.ServerResponse): void {
    const line = `${req.method} ${decodeURIComponent(req.url ?? '').replace(this.target.pathname, '').slice(0, 90)}`;
    const cut = this.matching && this.matching.pattern.test(line) && ++this.matching.seen >= this.matching.from;
    if (cut || this.passed >= this.allowance) {
      req.resume();
      if (this.mode === 'drop') return void res.socket?.destroy();
      res.writeHead(503, { 'content-type': 'application/json' });
      return void res.end('{"odata.error":{"code":"ServerBusy","message":{"value":"fault proxy: storage is down"}}}');
    }
    this.passed += 1;
    this.seen.push(line);
    const upstream = http.request(
      { host: this.target.hostname, port: this.target.port, method: req.method, path: req.url, headers: { ...req.headers, host: this.target.host }, agent: this.agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.socket?.destroy());
    req.pipe(upstream);
  }
}
