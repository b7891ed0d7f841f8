import type http from 'node:http';
import { captureCards } from './cardCapture';
import { startLocalServer, type LocalServer } from './localServer';
import type { Throttle } from './throttle';

export interface SentActivity {
  conversationId: string;
  replyToId?: string;
  id: string;
  activity: Record<string, any>;
}

export interface UpdatedActivity {
  conversationId: string;
  activityId: string;
  activity: Record<string, any>;
}

export interface CreatedConversation {
  id: string;
  parameters: Record<string, any>;
}

export interface Member {
  id: string;
  name: string;
  aadObjectId: string;
  email?: string;
  userPrincipalName?: string;
}

/**
 * Plays Teams' side of the Bot Connector API: the bot's `serviceUrl`. It records what the bot
 * sends (replies, card updates, proactive conversations) and answers member look-ups.
 */
export class FakeConnector {
  readonly sent: SentActivity[] = [];
  readonly updated: UpdatedActivity[] = [];
  readonly created: CreatedConversation[] = [];
  readonly members = new Map<string, Member>();
  /** Messages someone deleted in Teams: an update to one gets 404, as Teams answers. */
  readonly deleted = new Set<string>();
  /** Updates Teams is refusing for now (throttling, an outage): each answers 502 until cleared. */
  readonly failingUpdates = new Set<string>();
  /** Conversations whose posts fail, as when Teams refuses or a chat no longer exists. */
  readonly failing = new Set<string>();
  /** Each team's member list, served in pages of `pageSize` with a continuation token. */
  readonly teams = new Map<string, Member[]>();
  pageSize = 500;
  /** Teams user ids Teams will not open a 1:1 with (user gone, app blocked), with the error it gives. */
  readonly refusing = new Map<string, { status: number; code: string; message: string }>();
  /** Every single-member request (Teams user ids), to count what a turn asks Teams. */
  readonly memberRequests: string[] = [];
  /** Every pagedmembers request, to see that paging was followed. */
  readonly pageRequests: Array<{ conversationId: string; continuationToken?: string }> = [];
  /** When set, requests above its limits get 429 + Retry-After, as Teams answers them. */
  throttle?: Throttle;
  private server?: LocalServer;
  private nextId = 1;
  url = '';

  async start(): Promise<this> {
    this.server = await startLocalServer((req, res) => void this.handle(req, res));
    this.url = `${this.server.url}/`;
    return this;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }

  addMember(member: Member): void {
    this.members.set(member.id, member);
  }

  setTeam(teamId: string, members: Member[]): void {
    this.teams.set(teamId, [...members]);
  }

  /** Messages the bot sent into one conversation, oldest first. */
  messagesIn(conversationId: string): SentActivity[] {
    return this.sent.filter((s) => s.conversationId === conversationId);
  }

  /** Waits until `predicate` holds over what was recorded; fails with what was seen instead. */
  async waitFor<T>(probe: () => T | undefined | false, what: string, timeoutMs = 5000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value) return value;
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${what}; sent: ${JSON.stringify(this.sent.map((s) => ({ c: s.conversationId, t: s.activity.text, card: !!s.activity.attachments })), null, 0).slice(0, 2000)}`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
    const url = new URL(req.url ?? '/', 'http://x');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const reply = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    // /v3/conversations[/{id}/activities[/{activityId}] | /{id}/members/{userId} | /{id}/pagedmembers]
    if (parts[0] !== 'v3' || parts[1] !== 'conversations') return reply(404, { error: 'unknown path' });
    const retryAfter = this.throttle?.check(parts[2]);
    if (retryAfter !== undefined) {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(retryAfter) });
      res.end(JSON.stringify({ error: { code: 'TooManyRequests', message: 'Too many requests' } }));
      return;
    }
    if (parts.length === 2 && req.method === 'POST') {
      const refusal = this.refusing.get(body?.members?.[0]?.id);
      if (refusal) return reply(refusal.status, { error: { code: refusal.code, message: refusal.message } });
      // Like Teams: opening a 1:1 with someone again gives back the same conversation.
      const member = body?.members?.[0]?.id;
      const existing = !body?.isGroup && member ? this.created.find((c) => c.parameters?.members?.[0]?.id === member) : undefined;
      if (existing) return reply(200, { id: existing.id, activityId: '' });
      const id = `a:created-${this.nextId++}`;
      this.created.push({ id, parameters: body });
      if (body?.activity) this.sent.push({ conversationId: id, id: `act-${this.nextId++}`, activity: body.activity });
      captureCards('post', body?.activity);
      return reply(201, { id, activityId: '' });
    }
    const conversationId = parts[2];
    if (this.failing.has(conversationId)) return reply(403, { error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' } });
    if (parts[3] === 'activities' && req.method === 'POST') {
      const id = `act-${this.nextId++}`;
      this.sent.push({ conversationId, replyToId: parts[4], id, activity: body });
      captureCards('post', body);
      return reply(201, { id });
    }
    if (parts[3] === 'activities' && req.method === 'PUT' && parts[4]) {
      if (this.deleted.has(parts[4])) return reply(404, { error: { code: 'NotFound', message: 'The message was deleted.' } });
      if (this.failingUpdates.has(parts[4])) return reply(502, { error: { code: 'BadGateway', message: 'Teams is not answering.' } });
      this.updated.push({ conversationId, activityId: parts[4], activity: body });
      captureCards('update', body);
      return reply(200, { id: parts[4] });
    }
    if (parts[3] === 'members' && req.method === 'GET' && parts[4]) {
      this.memberRequests.push(parts[4]);
      const m = this.members.get(parts[4]);
      return m ? reply(200, m) : reply(404, { error: { code: 'MemberNotFoundInConversation', message: 'not found' } });
    }
    if (parts[3] === 'pagedmembers' && req.method === 'GET') {
      const team = this.teams.get(conversationId);
      const token = url.searchParams.get('continuationToken') ?? undefined;
      this.pageRequests.push({ conversationId, continuationToken: token });
      if (!team) return reply(200, { members: [...this.members.values()] });
      const size = Math.min(this.pageSize, Number(url.searchParams.get('pageSize') ?? this.pageSize));
      const from = token ? Number(token.replace('page-', '')) : 0;
      const next = from + size < team.length ? `page-${from + size}` : undefined;
      return reply(200, { members: team.slice(from, from + size), ...(next ? { continuationToken: next } : {}) });
    }
    return reply(404, { error: 'unknown path' });
  }
}
