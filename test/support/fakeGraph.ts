import type http from 'node:http';
import type { Member } from './fakeConnector';
import { startLocalServer, type LocalServer } from './localServer';

export const GRAPH_TOKEN = 'fake-graph-token';

/**
 * A local stand-in for the parts of Microsoft Graph Lantern uses to install itself for a user:
 * the user, their installed apps, and the chat an install creates. Requests without the token
 * get 401, as Graph answers them.
 */
export class FakeGraph {
  readonly users = new Map<string, Member>();
  /** Users whose installs are refused (app blocked by policy): 403. */
  readonly blocked = new Set<string>();
  readonly installs: Array<{ userId: string; body: Record<string, unknown> }> = [];
  private readonly installed = new Map<string, string>();
  private server?: LocalServer;
  url = '';

  async start(): Promise<this> {
    this.server = await startLocalServer((req, res) => void this.handle(req, res));
    this.url = this.server.url;
    return this;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }

  addUser(member: Member): void {
    this.users.set(member.aadObjectId.toLowerCase(), member);
  }

  /** The chat Graph says the install for `member` created. */
  chatOf(member: Member): string {
    return `19:graph-${member.aadObjectId}@unq.gbl.spaces`;
  }

  private find(key: string): Member | undefined {
    const k = key.toLowerCase();
    return this.users.get(k) ?? [...this.users.values()].find((u) => u.email?.toLowerCase() === k);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
    const reply = (status: number, payload?: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(payload === undefined ? '' : JSON.stringify(payload));
    };
    const error = (status: number, code: string, message: string) => reply(status, { error: { code, message } });
    if (req.headers.authorization !== `Bearer ${GRAPH_TOKEN}`) return error(401, 'InvalidAuthenticationToken', 'Access token is empty.');
    const url = new URL(req.url ?? '/', 'http://x');
    // /v1.0/users/{id}[/teamwork/installedApps[/{installId}/chat]]
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== 'v1.0' || parts[1] !== 'users' || !parts[2]) return error(404, 'NotFound', 'unknown path');
    const user = this.find(parts[2]);
    if (!user) return error(404, 'Request_ResourceNotFound', `Resource '${parts[2]}' does not exist.`);
    const id = user.aadObjectId.toLowerCase();
    if (parts.length === 3 && req.method === 'GET') return reply(200, { id, displayName: user.name, mail: user.email, userPrincipalName: user.email });
    if (parts[3] !== 'teamwork' || parts[4] !== 'installedApps') return error(404, 'NotFound', 'unknown path');
    if (parts.length === 5 && req.method === 'POST') {
      this.installs.push({ userId: id, body });
      if (this.blocked.has(id)) return error(403, 'Forbidden', 'The app is blocked by the tenant app permission policy.');
      if (this.installed.has(id)) return error(409, 'Conflict', 'App is already installed.');
      this.installed.set(id, `install-${id}`);
      return reply(201);
    }
    if (parts.length === 5 && req.method === 'GET') {
      const install = this.installed.get(id);
      return reply(200, { value: install ? [{ id: install }] : [] });
    }
    if (parts.length === 7 && parts[6] === 'chat' && req.method === 'GET' && this.installed.get(id) === parts[5]) return reply(200, { id: this.chatOf(user) });
    return error(404, 'NotFound', 'unknown path');
  }
}
