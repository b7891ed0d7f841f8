/**
 * Teams answered "too many requests" (429) and its own client gave up retrying. Not a refusal:
 * the message can be sent later, and a sender pacing many messages slows down for `retryAfterMs`.
 */
export class ThrottledError extends Error {
  constructor(readonly retryAfterMs: number, cause?: unknown) {
    super(`Teams is throttling Lantern; retry after ${Math.round(retryAfterMs)} ms`);
    this.name = 'ThrottledError';
    this.cause = cause;
  }
}
