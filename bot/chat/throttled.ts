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

/**
 * The app's budget of Teams requests (Teams counts them per app per tenant, in a sliding second).
 * A paced request waits for a slot; any other request (an urgent alert, a reply) never waits but
 * is counted, so the paced ones leave it room; a 429 holds every paced request back.
 */
export interface RequestGate {
  admit(): Promise<void>;
  note(): void;
  throttled(retryAfterMs: number): void;
}
