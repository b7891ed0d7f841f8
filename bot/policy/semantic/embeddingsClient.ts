import { OpenAIRequestError, operationUrl, postJson, type OpenAIConfig, type RequestOptions } from './openAIRequest';

export const EMBEDDING_TIMEOUT_MS = 5_000;
// Older Azure embedding deployments accept at most 16 inputs per request.
export const EMBEDDING_BATCH = 16;
// Well inside the models' 8,191-token input limit; a policy section is rarely a tenth of this.
const MAX_INPUT_CHARS = 8_000;

export interface EmbeddingsClient {
  /** One unit-length vector per text, in order. Throws OpenAIRequestError. */
  embed(texts: string[]): Promise<Float32Array[]>;
}

export interface EmbeddingsOptions extends Partial<RequestOptions> {
  batch?: number;
}

function unit(values: number[]): Float32Array {
  const v = Float32Array.from(values);
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] /= norm;
  return v;
}

/** The reply must hold exactly one numeric vector per input, all of one length; anything else is unusable. */
function vectorsOf(reply: unknown, count: number): Float32Array[] {
  const data = (reply as { data?: unknown })?.data;
  if (!Array.isArray(data) || data.length !== count) throw new OpenAIRequestError('bad-reply', `expected ${count} embeddings, got ${Array.isArray(data) ? data.length : 'none'}`);
  const out: Array<Float32Array | undefined> = new Array(count);
  data.forEach((item: { index?: unknown; embedding?: unknown }, i) => {
    const at = typeof item?.index === 'number' ? item.index : i;
    const e = item?.embedding;
    if (!Number.isInteger(at) || at < 0 || at >= count || out[at]) throw new OpenAIRequestError('bad-reply', 'embedding indexes do not match the inputs');
    if (!Array.isArray(e) || e.length === 0 || !e.every((x) => typeof x === 'number' && Number.isFinite(x))) throw new OpenAIRequestError('bad-reply', 'an embedding is not a list of numbers');
    out[at] = unit(e as number[]);
  });
  const dims = out[0]!.length;
  if (out.some((v) => v!.length !== dims)) throw new OpenAIRequestError('bad-reply', 'embeddings of different lengths');
  return out as Float32Array[];
}

/** Azure OpenAI (deployment path) or OpenAI-compatible embeddings, in batches, one attempt each. */
export function createEmbeddingsClient(ai: OpenAIConfig, deployment: string, options: EmbeddingsOptions = {}): EmbeddingsClient {
  const url = operationUrl(ai, deployment, 'embeddings');
  const request = { timeoutMs: options.timeoutMs ?? EMBEDDING_TIMEOUT_MS, fetch: options.fetch };
  const batch = options.batch ?? EMBEDDING_BATCH;
  return {
    async embed(texts) {
      const out: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += batch) {
        const input = texts.slice(i, i + batch).map((t) => t.slice(0, MAX_INPUT_CHARS) || ' ');
        const body = ai.kind === 'azure' ? { input } : { input, model: deployment };
        out.push(...vectorsOf(await postJson(ai, url, body, request), input.length));
      }
      return out;
    },
  };
}
