import { isTransient, StorageUnavailableError } from './errors';

export interface RetryOptions {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 4, baseDelayMs: 50, maxDelayMs: 1000 };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `op`, retrying transient failures with jittered exponential backoff. Non-transient errors
 * (404, 409, 412, validation) surface at once: retrying them would only hide a real conflict.
 */
export async function withRetry<T>(op: () => Promise<T>, what: string, options: RetryOptions = DEFAULT_RETRY): Promise<T> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    try {
      return await op();
    } catch (err) {
      if (!isTransient(err)) throw err;
      lastError = err;
      if (attempt === options.attempts) break;
      const delay = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
      await sleep(delay / 2 + Math.random() * (delay / 2));
    }
  }
  throw new StorageUnavailableError(`storage did not answer for ${what}`, lastError);
}
