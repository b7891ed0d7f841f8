import { ActionPlanner, OpenAIModel, PromptManager, type Memory, type OpenAIModelOptions, type AzureOpenAIModelOptions } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import type { Settings } from '../../settings';
import { checkAnswer } from './checkAnswer';
import type { GroundingPassage, PhrasedAnswer, Phraser } from './phraser';
import { PROMPT_NAME, passagesText, policyPromptTemplate } from './prompt';

export const DEFAULT_TIMEOUT_MS = 8_000;
const AZURE_API_VERSION = '2024-06-01';
const BACKSTOP_MS = 250;

export interface PhraserOptions {
  /** How long the request may take; past it the quoted card is shown alone. */
  timeoutMs?: number;
  /** Tests route the HTTPS Azure URL to a local server with this. */
  fetch?: NonNullable<OpenAIModelOptions['clientOptions']>['fetch'];
  log?: (message: string) => void;
}

/** A throwaway memory per question: nothing from one person's question can reach another's prompt. */
class TurnMemory implements Memory {
  private readonly values = new Map<string, unknown>();
  deleteValue(path: string) {
    this.values.delete(path);
  }
  hasValue(path: string) {
    return this.values.has(path);
  }
  getValue<T = unknown>(path: string): T {
    return this.values.get(path) as T;
  }
  setValue(path: string, value: unknown) {
    this.values.set(path, value);
  }
}

function modelOptions(ai: NonNullable<Settings['openAI']>, options: PhraserOptions): OpenAIModelOptions | AzureOpenAIModelOptions {
  // One attempt only: a slow answer is worse than the quoted card, which is always correct.
  const clientOptions = { timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, maxRetries: 0, ...(options.fetch ? { fetch: options.fetch } : {}) };
  if (ai.kind === 'azure') {
    return { azureApiKey: ai.apiKey, azureEndpoint: ai.endpoint ?? '', azureDefaultDeployment: ai.model, azureApiVersion: AZURE_API_VERSION, useSystemMessages: true, maxRetries: 0, clientOptions };
  }
  return { apiKey: ai.apiKey, endpoint: ai.endpoint, defaultModel: ai.model, useSystemMessages: true, maxRetries: 0, clientOptions };
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * teams-ai's ActionPlanner with an inline prompt. Throws on settings the client rejects (e.g. an
 * Azure endpoint that is not https), so start-up can say why generation is off.
 */
export function createOpenAIPhraser(ai: NonNullable<Settings['openAI']>, options: PhraserOptions = {}): Phraser {
  const log = options.log ?? (() => undefined);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const model = new OpenAIModel(modelOptions(ai, options));
  const prompts = new PromptManager({ promptsFolder: '' });
  prompts.addPrompt(policyPromptTemplate());
  const planner = new ActionPlanner({ model, prompts, defaultPrompt: PROMPT_NAME, max_repair_attempts: 0 });
  // The planner wants a botbuilder TurnContext only to match its streaming events, and we do not
  // stream; Lantern's Turn is framework-free, so no real context exists here.
  const context = {} as TurnContext;

  return {
    async phrase(question: string, passages: GroundingPassage[]): Promise<PhrasedAnswer | undefined> {
      if (!passages.length) return undefined;
      const memory = new TurnMemory();
      memory.setValue('temp.input', question);
      memory.setValue('temp.passages', passagesText(passages));
      try {
        // The HTTP client times out first; this backstop only covers a hang outside the request.
        const response = await withTimeout(planner.completePrompt<string>(context, memory, PROMPT_NAME), timeoutMs + BACKSTOP_MS);
        if (!response || response.status !== 'success') {
          log(`generative answer: ${response ? response.status : `no reply within ${timeoutMs} ms`}; quoted card only`);
          return undefined;
        }
        const checked = checkAnswer(String(response.message?.content ?? ''), passages);
        if (!checked) log('generative answer: the reply cited no given passage, or one that does not exist; quoted card only');
        return checked;
      } catch (err) {
        log(`generative answer failed: ${(err as Error).message}; quoted card only`);
        return undefined;
      }
    },
  };
}
