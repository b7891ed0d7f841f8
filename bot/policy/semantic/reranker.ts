import { OpenAIRequestError, operationUrl, postJson, type OpenAIConfig, type RequestOptions } from './openAIRequest';
import { rerankMessages, type RerankCandidate } from './rerankPrompt';

export const RERANK_TIMEOUT_MS = 8_000;

export interface Reranker {
  /**
   * The offered candidates' ids that answer the question, best first; [] when the model says none does.
   * Throws OpenAIRequestError when the call fails or the reply cannot be read as such a list.
   */
  rank(question: string, candidates: RerankCandidate[]): Promise<number[]>;
}

/**
 * Reads {"order": [...]} out of the model's text (models sometimes wrap it in prose or a code fence). Ids that
 * were not offered are ignored, repeats count once; a reply naming only ids never offered is not an order at all.
 */
export function parseOrder(content: string, offered: readonly number[]): number[] {
  const json = /\{[\s\S]*\}/.exec(content)?.[0];
  let order: unknown;
  try {
    order = json ? (JSON.parse(json) as { order?: unknown }).order : undefined;
  } catch {
    order = undefined;
  }
  if (!Array.isArray(order)) throw new OpenAIRequestError('bad-reply', 'the reply holds no {"order": [...]}');
  const allowed = new Set(offered);
  const ids: number[] = [];
  for (const item of order) {
    const id = typeof item === 'number' ? item : typeof item === 'string' && /^\s*\d+\s*$/.test(item) ? Number(item) : NaN;
    if (allowed.has(id) && !ids.includes(id)) ids.push(id);
  }
  if (order.length > 0 && ids.length === 0) throw new OpenAIRequestError('bad-reply', 'the reply names no candidate that was offered');
  return ids;
}

export function createReranker(ai: OpenAIConfig, options: Partial<RequestOptions> = {}): Reranker {
  const url = operationUrl(ai, ai.model, 'chat/completions');
  const request = { timeoutMs: options.timeoutMs ?? RERANK_TIMEOUT_MS, fetch: options.fetch };
  return {
    async rank(question, candidates) {
      const body = { messages: rerankMessages(question, candidates), temperature: 0, max_tokens: 60, ...(ai.kind === 'openai' ? { model: ai.model } : {}) };
      const reply = (await postJson(ai, url, body, request)) as { choices?: Array<{ message?: { content?: unknown } }> };
      const content = reply?.choices?.[0]?.message?.content;
      if (typeof content !== 'string') throw new OpenAIRequestError('bad-reply', 'the reply has no message');
      return parseOrder(content, candidates.map((c) => c.id));
    },
  };
}
