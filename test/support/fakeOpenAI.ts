import type http from 'node:http';
import { CANDIDATES_HEADING } from '../../bot/policy/semantic/rerankPrompt';
import { analyse } from '../../bot/policy/textAnalysis';
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

export interface RecordedEmbedding {
  path: string;
  deployment?: string;
  apiVersion?: string;
  headers: http.IncomingHttpHeaders;
  input: string[];
}

export const STAND_IN_DIMENSIONS = 256;

/**
 * The stand-in's embedding: a hashed bag of the text's stemmed words (signed, so collisions cancel rather than
 * pile up), unit length. Deterministic and meaningless beyond shared words, except for the words a test says
 * mean the same (`meanings`: stem → the stem it counts as), which is what a real model knows and a word index does not.
 */
export function standInVector(text: string, meanings: ReadonlyMap<string, string> = new Map(), dims = STAND_IN_DIMENSIONS): number[] {
  const v = new Array<number>(dims).fill(0);
  for (const stem of analyse(text)) {
    const word = meanings.get(stem) ?? stem;
    let h = 0x811c9dc5;
    for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193) >>> 0;
    v[h % dims] += h & 0x80000000 ? -1 : 1;
  }
  const norm = Math.sqrt(v.reduce((n, x) => n + x * x, 0)) || 1;
  return v.map((x) => x / norm);
}

const cosine = (a: number[], b: number[]) => a.reduce((n, x, i) => n + x * b[i], 0);

/**
 * An OpenAI-compatible chat completions endpoint on localhost (both the OpenAI path and Azure's
 * deployment path), recording every request and answering with whatever `next` says.
 */
export class FakeOpenAI {
  readonly requests: RecordedCompletion[] = [];
  next: FakeReply = { content: 'The policy does not say.' };
  readonly embeddingRequests: RecordedEmbedding[] = [];
  /** 'vectors': standInVector of each input; a status fails the request. */
  embeddings: 'vectors' | { status: number } = 'vectors';
  /**
   * The reply to a re-rank request (one whose instructions list candidates). Unset: the candidates the stand-in's
   * own vectors find closest to the question, best first, as {"order": [...]}. 'as-offered': every id in the order given.
   */
  rerank?: FakeReply | 'as-offered';
  private readonly meanings = new Map<string, string>();
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

  /** Every request of any kind the stand-in has received. */
  get calls(): number {
    return this.requests.length + this.embeddingRequests.length;
  }

  /** The chat requests that asked for a re-rank. */
  get rerankRequests(): RecordedCompletion[] {
    return this.requests.filter((r) => isRerank(r.body));
  }

  /** From now on these words embed as one (as a real model puts "moped" near "motorbike"). */
  sameMeaning(...words: string[]): this {
    const [first, ...rest] = words.flatMap((w) => analyse(w));
    for (const w of rest) this.meanings.set(w, first);
    return this;
  }

  /** Everything the endpoint was sent in one request, as one string (for "did X leave the school?"). */
  sentText(i = this.requests.length - 1): string {
    return this.requests[i]?.body.messages.map((m) => m.content).join('\n') ?? '';
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://local');
    const embedding = /^\/openai\/deployments\/([^/]+)\/embeddings$/.exec(url.pathname);
    if (req.method === 'POST' && (embedding || /\/embeddings$/.test(url.pathname))) {
      this.embed(req, res, url, embedding?.[1], JSON.parse(Buffer.concat(chunks).toString('utf8')));
      return;
    }
    const azure = /^\/openai\/deployments\/([^/]+)\/chat\/completions$/.exec(url.pathname);
    if (req.method !== 'POST' || (!azure && !/\/chat\/completions$/.test(url.pathname))) {
      send(res, 404, '');
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    this.requests.push({ path: url.pathname, deployment: azure?.[1], apiVersion: url.searchParams.get('api-version') ?? undefined, headers: req.headers, body });
    const reply = isRerank(body) ? this.rerankReply(body) : this.next;
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

  private embed(req: http.IncomingMessage, res: http.ServerResponse, url: URL, deployment: string | undefined, body: { input: string | string[] }): void {
    const input = Array.isArray(body.input) ? body.input : [body.input];
    this.embeddingRequests.push({ path: url.pathname, deployment, apiVersion: url.searchParams.get('api-version') ?? undefined, headers: req.headers, input });
    if (this.embeddings !== 'vectors') {
      send(res, this.embeddings.status, { error: { message: 'fake failure', type: 'server_error' } });
      return;
    }
    send(res, 200, { object: 'list', data: input.map((text, index) => ({ object: 'embedding', index, embedding: standInVector(text, this.meanings) })), usage: { prompt_tokens: 1, total_tokens: 1 } });
  }

  private rerankReply(body: RecordedCompletion['body']): FakeReply {
    if (this.rerank && this.rerank !== 'as-offered') return this.rerank;
    const candidates = rerankCandidates(body);
    if (this.rerank === 'as-offered') return { content: JSON.stringify({ order: candidates.map((c) => c.id) }) };
    const question = standInVector(body.messages.at(-1)!.content, this.meanings);
    const scored = candidates.map((c) => ({ id: c.id, score: cosine(question, standInVector(`${c.title}\n${c.text}`, this.meanings)) }));
    return { content: JSON.stringify({ order: scored.filter((c) => c.score > 0).sort((a, b) => b.score - a.score).map((c) => c.id) }) };
  }
}

/** The candidates a re-rank request offered the model, as it was sent them. */
export function rerankCandidates(body: RecordedCompletion['body']): Array<{ id: number; title: string; text: string }> {
  const system = body.messages[0].content;
  return JSON.parse(system.slice(system.indexOf(CANDIDATES_HEADING) + CANDIDATES_HEADING.length));
}

const isRerank = (body: RecordedCompletion['body']) => body.messages?.[0]?.role === 'system' && body.messages[0].content.includes(CANDIDATES_HEADING);

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
