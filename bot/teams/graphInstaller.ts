import type { TokenCredential } from '@azure/identity';

export interface GraphInstallSettings {
  /** https://graph.microsoft.com unless pointed elsewhere (tests, national clouds). */
  baseUrl: string;
  /** The app's id in the tenant's app catalog (Teams admin centre), not the bot's app id. */
  catalogAppId: string;
}

export type InstallResult = { ok: true; user: { id: string; name: string; email?: string }; chatId: string } | { ok: false; reason: string };

// The token's audience is Graph itself, wherever requests are sent.
const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

class GraphRefused extends Error {}

/**
 * Installs Lantern as a personal app for one user through Microsoft Graph (the documented route to
 * people who share no team with the bot) and finds the 1:1 chat that install creates. Needs the
 * TeamsAppInstallation.ReadWriteSelfForUser.All and User.Read.All application permissions.
 */
export class GraphInstaller {
  constructor(private readonly settings: GraphInstallSettings, private readonly credential: TokenCredential) {}

  async install(who: { aadObjectId?: string; email?: string }): Promise<InstallResult> {
    const key = who.aadObjectId ?? who.email;
    if (!key) return { ok: false, reason: 'no Entra object id or email in the configuration' };
    try {
      const user = (await this.call('GET', `/users/${encodeURIComponent(key)}?$select=id,displayName,mail,userPrincipalName`, undefined, 'user')) as {
        id: string;
        displayName?: string;
        mail?: string;
        userPrincipalName?: string;
      };
      const apps = `/users/${encodeURIComponent(user.id)}/teamwork/installedApps`;
      const bind = { 'teamsApp@odata.bind': `${this.base()}/appCatalogs/teamsApps/${encodeURIComponent(this.settings.catalogAppId)}` };
      // 409: already installed for them, which is what we want.
      await this.call('POST', apps, bind, 'install', [409]);
      const list = (await this.call('GET', `${apps}?$expand=teamsApp&$filter=${encodeURIComponent(`teamsApp/id eq '${this.settings.catalogAppId}'`)}`, undefined, 'installed apps')) as { value?: Array<{ id: string }> };
      const installation = list.value?.[0]?.id;
      if (!installation) return { ok: false, reason: 'Graph accepted the install but does not list it (try again shortly)' };
      const chat = (await this.call('GET', `${apps}/${encodeURIComponent(installation)}/chat`, undefined, 'chat')) as { id?: string };
      if (!chat.id) return { ok: false, reason: 'Graph did not give the chat of the install' };
      return { ok: true, user: { id: user.id.toLowerCase(), name: user.displayName ?? key, email: (user.mail ?? user.userPrincipalName)?.toLowerCase() }, chatId: chat.id };
    } catch (err) {
      if (err instanceof GraphRefused) return { ok: false, reason: err.message };
      return { ok: false, reason: `Graph could not be reached: ${(err as Error).message}` };
    }
  }

  private base(): string {
    return `${this.settings.baseUrl.replace(/\/+$/, '')}/v1.0`;
  }

  private async call(method: 'GET' | 'POST', path: string, body: unknown, step: string, accept: number[] = []): Promise<unknown> {
    const token = await this.credential.getToken(GRAPH_SCOPE);
    if (!token) throw new GraphRefused('no Graph token (check the app registration and its secret)');
    const res = await fetch(`${this.base()}${path}`, {
      method,
      headers: { authorization: `Bearer ${token.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.ok || accept.includes(res.status)) return text ? JSON.parse(text) : {};
    let detail = text.slice(0, 200);
    try {
      const e = (JSON.parse(text) as { error?: { code?: string; message?: string } }).error;
      if (e) detail = [e.code, e.message].filter(Boolean).join(': ');
    } catch {
      // keep the raw text
    }
    const meaning = res.status === 404 && step === 'user' ? 'user not found in Entra ID (left the school?)' : res.status === 403 ? 'refused (app blocked by policy or permission not granted)' : `failed`;
    throw new GraphRefused(`Graph ${step}: ${res.status} ${meaning}${detail ? ` — ${detail}` : ''}`);
  }
}
