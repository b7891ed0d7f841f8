/**
 * Teams' Bot Connector limits, played by the fake connector: above `perSecond` requests in any
 * second for the app, or above a conversation's own limits, it answers 429 with Retry-After.
 */
export interface ThrottleLimits {
  perSecond: number;
  perConversationPerSecond: number;
  perConversationPer30s: number;
  retryAfterSeconds: number;
}

export const TEAMS_LIKE: ThrottleLimits = { perSecond: 50, perConversationPerSecond: 7, perConversationPer30s: 60, retryAfterSeconds: 1 };

export class Throttle {
  /** Every request taken (not throttled), with its time in ms. */
  readonly accepted: number[] = [];
  throttled = 0;
  /** 429s by the limit that gave them: the app's second, or a conversation's second or 30 s. */
  readonly throttledBy = { app: 0, conversationSecond: 0, conversation30s: 0 };
  /** Every request in arrival order: when, which conversation, and whether it was throttled. */
  readonly requests: Array<{ at: number; conversationId?: string; throttled: boolean }> = [];
  private readonly app: number[] = [];
  private readonly byConversation = new Map<string, number[]>();

  constructor(readonly limits: ThrottleLimits = TEAMS_LIKE) {}

  /** Undefined when the request may go; else the Retry-After seconds to answer with. */
  check(conversationId: string | undefined, at = performance.now()): number | undefined {
    const recent = (list: number[], windowMs: number) => {
      while (list.length && list[0] <= at - windowMs) list.shift();
      return list.length;
    };
    const conv = conversationId ? (this.byConversation.get(conversationId) ?? []) : [];
    const convSecond = conversationId ? conv.filter((t) => t > at - 1000).length : 0;
    const over = recent(this.app, 1000) >= this.limits.perSecond ? 'app' : convSecond >= this.limits.perConversationPerSecond ? 'conversationSecond' : conversationId && recent(conv, 30_000) >= this.limits.perConversationPer30s ? 'conversation30s' : undefined;
    if (over) {
      this.throttled += 1;
      this.throttledBy[over] += 1;
      this.requests.push({ at, conversationId, throttled: true });
      return this.limits.retryAfterSeconds;
    }
    this.requests.push({ at, conversationId, throttled: false });
    this.app.push(at);
    this.accepted.push(at);
    if (conversationId) {
      conv.push(at);
      this.byConversation.set(conversationId, conv);
    }
    return undefined;
  }
}
