import type { Settings } from '../../settings';

export type OpenAIConfig = NonNullable<Settings['openAI']>;

// The generative answers use the same version; it serves both chat completions and embeddings.
export const AZURE_API_VERSION = '2024-06-01';

export type OpenAIFailure = 'timeout' | 'network' | 'http' | 'bad-reply';

/** Why a call to the model endpoint gave nothing usable; the caller falls back to the lexical answer. */
export class OpenAIRequestError extends Error {
  constructor(readonly kind: OpenAIFailure, message: string, readonly status?: number) {
    super(message);
    this.name = 'OpenAIRequestError';
  }
}

export interface RequestOptions {
  timeoutMs: number;
  /** Tests may route requests elsewhere; the global fetch otherwise. */
  fetch?: typeof fetch;
}

/** Azure addresses a deployment in the path and takes `api-key`; OpenAI names the model in the body and takes a bearer token. */
export function operationUrl(ai: OpenAIConfig, deployment: string, operation: 'embeddings' | 'chat/completions'): string {
  if (ai.kind === 'azure') {
    const base = (ai.endpoint ?? '').replace(/\/+$/, '');
    return `${base}/openai/deployments/${encodeURIComponent(deployment)}/${operation}?api-version=${AZURE_API_VERSION}`;
  }
  return `${(ai.endpoint ?? 'https://api.openai.com/v1').replace(/\/+$/, '')}/${operation}`;
}

/** One POST, one attempt: a slow or failed call costs the asker nothing but the semantic help. */
export async function postJson(ai: OpenAIConfig, url: string, body: Record<string, unknown>, options: RequestOptions): Promise<unknown> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (ai.kind === 'azure') headers['api-key'] = ai.apiKey;
  else headers.authorization = `Bearer ${ai.apiKey}`;
  let res: Response;
  try {
    res = await (options.fetch ?? fetch)(url, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(options.timeoutMs) });
  } catch (err) {
    const e = err as Error;
    if (e.name === 'TimeoutError' || e.name === 'AbortError') throw new OpenAIRequestError('timeout', `no answer within ${options.timeoutMs} ms`);
    throw new OpenAIRequestError('network', e.message);
  }
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    const e = err as Error;
    throw new OpenAIRequestError(e.name === 'TimeoutError' ? 'timeout' : 'network', e.message);
  }
  // The error body may echo the request; only the status goes to the log.
  if (!res.ok) throw new OpenAIRequestError('http', `HTTP ${res.status}`, res.status);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new OpenAIRequestError('bad-reply', 'the reply is not JSON');
  }
}
