import { startLantern, type Lantern, type StartOptions } from '../../bot/lantern';
import { readSettings } from '../../bot/settings';
import { captureCards } from './cardCapture';
import { FakeConnector, type Member, type SentActivity } from './fakeConnector';
import { people } from './people';
import { sharedAzurite, uniquePrefix } from './sharedAzurite';
import { installActivity, invokeActivity, messageActivity, personalChat, type Conversation } from './teamsChannel';

export interface HarnessOptions extends StartOptions {
  /** Extra environment, e.g. SCHOOL_CONFIG or POLICY_DIR. */
  env?: Record<string, string>;
}

export interface InvokeResult {
  status: number;
  body: { statusCode?: number; type?: string; value?: any } | undefined;
}

/**
 * A running Lantern over HTTP on a real Azurite, with a fake Teams connector as its serviceUrl.
 * Each harness has its own table prefix, so tests never see each other's data.
 */
export class Harness {
  lantern!: Lantern;
  readonly connector = new FakeConnector();
  private readonly prefix = uniquePrefix();
  /** The environment the bot was started with (scripts can reuse it to read the same tables). */
  env: Record<string, string> = {};

  constructor(private readonly options: HarnessOptions = {}) {}

  async start(): Promise<this> {
    // A caller may bring its own table server (the benchmark runs one in another process).
    const connectionString = this.options.env?.TABLES_CONNECTION_STRING ?? (await sharedAzurite()).connectionString;
    await this.connector.start();
    for (const m of Object.values(people)) this.connector.addMember(m);
    this.env = { PORT: '0', TABLES_CONNECTION_STRING: connectionString, TABLES_PREFIX: this.prefix, ...this.options.env };
    await this.boot();
    return this;
  }

  private async boot(): Promise<void> {
    this.lantern = await startLantern(readSettings(this.env), { log: () => undefined, startScheduler: false, ...this.options });
  }

  /** Stops the bot and starts a new one on the same tables: what survives is what was stored. */
  async restart(): Promise<void> {
    await this.lantern.stop();
    await this.boot();
  }

  async stop(): Promise<void> {
    await this.lantern?.stop();
    await this.connector.stop();
  }

  async post(activity: Record<string, unknown>): Promise<InvokeResult> {
    const res = await fetch(`${this.lantern.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    const text = await res.text();
    const body = text ? JSON.parse(text) : undefined;
    captureCards('invoke', body);
    return { status: res.status, body };
  }

  /** Sends a message and returns what the bot sent into that conversation in reply. */
  async say(user: Member, text: string, conversation: Conversation = personalChat(user)): Promise<SentActivity[]> {
    const before = this.connector.sent.length;
    const res = await this.post(messageActivity(this.connector.url, user, conversation, text));
    if (res.status >= 300) throw new Error(`bot answered HTTP ${res.status}`);
    return this.connector.sent.slice(before).filter((s) => s.conversationId === conversation.id);
  }

  /** Presses an Action.Execute button; returns the invoke response (card or message). */
  async click(user: Member, verb: string, data: Record<string, unknown> = {}, conversation: Conversation = personalChat(user), replyToId?: string): Promise<InvokeResult> {
    return this.post(invokeActivity(this.connector.url, user, conversation, verb, data, replyToId));
  }

  async install(user: Member, conversation: Conversation): Promise<SentActivity[]> {
    const before = this.connector.sent.length;
    await this.post(installActivity(this.connector.url, user, conversation));
    return this.connector.sent.slice(before);
  }
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  return new Harness(options).start();
}
