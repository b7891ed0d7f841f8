import type http from 'node:http';
import { startLocalServer, type LocalServer } from './localServer';

export interface RecordedCompletion {
  path: string;
  /** Set for Azure's /openai/deployments/<name>/chat/completions. */
  deployment?: string;
  apiVersion?: string;
  headers: http.IncomingHttpHeaders;
  body: { model?: string; messages: Array<{ role: string; content: string }>; [key: string]: unknown };
}

export type FakeReply = { content: string } | { status: number } | { delayMs: number; content: string };

/**
 * An OpenAI-compatible chat completions endpoint on localhost (both the OpenAI path and Azure's
 * deployment path), recording every request and answering with whatever `next` says.
 */
export class FakeOpenAI {
  readonly requests: RecordedCompletion[] = [];
  next: FakeReply = { content: 'The policy does not say.' };
  private server?: LocalServer;

  get url(): string {
    return this.server!.url;
  }

  async start(): Promise<this> {
    this.server = await startLocalServer((req, res) =>
      this.handle(req, res).catch((err: Error) => {
        if (!res.headersSent) res.writeHead(500);
        res.end(err.message);
      }),
    );
    return this;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }

  /** Everything the endpoint was sent in one request, as one string (for "did X leave the school?"). */
  sentText(i = this.requests.length - 1): string {
    return this.requests[i]?.body.messages.map((m) => m.content).join('\n') ?? '';
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://local');
    const azure = /^\/openai\/deployments\/([^/]+)\/chat\/completions$/.exec(url.pathname);
    if (req.method !== 'POST' || (!azure && !/\/chat\/completions$/.test(url.pathname))) {
      send(res, 404, '');
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    this.requests.push({ path: url.pathname, deployment: azure?.[1], apiVersion: url.searchParams.get('api-version') ?? undefined, headers: req.headers, body });
    const reply = this.next;
    if ('status' in reply) {
      send(res, reply.status, { error: { message: 'fake failure', type: 'server_error' } });
      return;
    }
    if ('delayMs' in reply) await new Promise((r) => setTimeout(r, reply.delayMs));
    if (res.destroyed) return;
    send(res, 200, {
      id: `chatcmpl-${this.requests.length}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body.model ?? azure?.[1] ?? 'fake',
      choices: [{ index: 0, message: { role: 'assistant', content: reply.content }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    });
  }
}

// No chaining on writeHead: restify (loaded by the bot) patches ServerResponse and its writeHead returns nothing.
function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  return new FakeOpenAI().start();
}

/** teams-ai's OpenAIModel console.logs every failed call; expected failures need not fill the test output. */
export async function quietly<T>(work: () => Promise<T>): Promise<T> {
  const log = console.log;
  console.log = () => undefined;
  try {
    return await work();
  } finally {
    console.log = log;
  }
}
