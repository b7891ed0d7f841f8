import type { Services } from '../../bot/chat/capability';
import { Scheduler, type Heartbeat } from '../../bot/scheduler/scheduler';
import { AuditLog } from '../../bot/storage/auditLog';
import { DocumentTable } from '../../bot/storage/documentTable';
import { DraftStore } from '../../bot/storage/draftStore';
import { endpointFromConnectionString, TableProvisioner } from '../../bot/storage/tableService';
import { ensureBuilt, setChildClock, startBot, stopBot, waitForUrl, type BotProcess } from './botProcess';
import { Harness, type InvokeResult } from './harness';
import { people } from './people';
import { sharedAzurite, uniquePrefix } from './sharedAzurite';

/** What the test process reads of the shared tables: it runs no bot, so only the stores. */
type StoresOnly = Pick<Services, 'tables' | 'audit' | 'scheduler' | 'drafts'>;

/**
 * Several compiled bot processes (`npm start`) on one Azurite and one table prefix, as App
 * Service scale-out runs them, with one fake Teams connector they all send to. Turns go to the
 * instances in turn, as a load balancer without affinity sends them; `postTo` picks one. It is a
 * Harness, so the flows' step helpers drive it unchanged; `lantern.services` holds only stores
 * opened on the same tables, for reading what was stored.
 */
export class BotInstances extends Harness {
  readonly bots: BotProcess[] = [];
  readonly urls: string[] = [];
  /** Which instance each posted activity went to, in order (so a test can show turns alternated). */
  readonly routed: number[] = [];
  private next = 0;

  constructor(private readonly count = 2, private readonly extraEnv: Record<string, string> = {}) {
    super();
  }

  override async start(): Promise<this> {
    ensureBuilt();
    const { connectionString } = await sharedAzurite();
    await this.connector.start();
    for (const m of Object.values(people)) this.connector.addMember(m);
    const prefix = uniquePrefix();
    this.env = { PORT: '0', TABLES_CONNECTION_STRING: connectionString, TABLES_PREFIX: prefix, ...this.extraEnv };
    // Started together, as a scale-out starts them: start-up itself must not race. Short ticks, so
    // the schedulers run often while the test moves their clocks, a little apart so that their
    // ticks drift past each other (everySchedulerTicked sees each one's heartbeat).
    for (let i = 0; i < this.count; i++) this.bots.push(startBot({ SCHEDULER_INTERVAL_MS: String(200 + 37 * i), ...this.env }, { clock: true }));
    try {
      this.urls.push(...(await Promise.all(this.bots.map((b) => waitForUrl(b.output, b.exited)))));
    } catch (err) {
      // The caller never gets this object to stop: leave no process or port behind.
      await Promise.all(this.bots.map((b) => stopBot(b)));
      await this.connector.stop();
      throw err;
    }
    const tables = new TableProvisioner(endpointFromConnectionString(connectionString, 'test reader', prefix));
    const stores: StoresOnly = { tables, audit: new AuditLog(tables), scheduler: new Scheduler(tables, { intervalMs: 60_000 }), drafts: new DraftStore(tables) };
    this.lantern = { url: this.urls[0], port: 0, services: stores as Services, capabilities: [], schools: [], stop: async () => undefined };
    return this;
  }

  /** The next instance in turn gets the activity. */
  override post(activity: Record<string, unknown>): Promise<InvokeResult> {
    const i = this.next;
    this.next = (this.next + 1) % this.count;
    return this.postTo(i, activity);
  }

  /** Sends the activity to instance `i`, as a load balancer that picked it would. */
  async postTo(i: number, activity: Record<string, unknown>): Promise<InvokeResult> {
    this.routed.push(i);
    const res = await fetch(`${this.urls[i]}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  override async restart(): Promise<void> {
    throw new Error('BotInstances: stop and start instances with stopBot/startBot instead');
  }

  /** How far ahead of real time the instances' clocks are. */
  private offsetMs = 0;

  /** Moves every instance's clock to real time + `offsetMs`. */
  async moveClocks(offsetMs: number): Promise<void> {
    await Promise.all(this.bots.map((b) => setChildClock(b, offsetMs)));
    this.offsetMs = offsetMs;
  }

  /** The time now on the instances' clocks. */
  now(): number {
    return Date.now() + this.offsetMs;
  }

  /**
   * Resolves once every instance's scheduler has finished a tick that began at or after `since`
   * (a time on the instances' clock): by then each has seen every job due at `since`. Instances
   * share one heartbeat row, so it is read until each has been seen writing it.
   */
  async everySchedulerTicked(since = this.now(), timeoutMs = 15_000): Promise<void> {
    const heartbeat = new DocumentTable<Heartbeat>(this.lantern.services.tables, 'jobs');
    const seen = new Set<string>();
    const deadline = Date.now() + timeoutMs;
    while (seen.size < this.count) {
      const last = (await heartbeat.get('heartbeat', 'last'))?.value;
      if (last && Date.parse(last.at) >= since) seen.add(last.instance);
      if (Date.now() > deadline) throw new Error(`only ${seen.size} of ${this.count} schedulers ticked after ${new Date(since).toISOString()}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Everything the instances logged, for a failure message. */
  output(): string {
    return this.bots.map((b, i) => `--- instance ${i} ---\n${b.output()}`).join('\n');
  }

  /** Instances killed with SIGKILL on purpose: their exit is not a failure to stop cleanly. */
  private readonly killed = new Set<number>();

  /** SIGTERM to instance `i`, as App Service stops one; resolves with its exit code. */
  stopOne(i: number): Promise<number | null> {
    return stopBot(this.bots[i]);
  }

  /** kill -9 of instance `i`: nothing of it gets to finish. */
  async killOne(i: number): Promise<void> {
    this.killed.add(i);
    this.bots[i].child.kill('SIGKILL');
    await this.bots[i].exited;
  }

  override async stop(): Promise<void> {
    const codes = (await Promise.all(this.bots.map((b) => stopBot(b)))).filter((_, i) => !this.killed.has(i));
    await this.connector.stop();
    if (codes.some((c) => c !== 0)) throw new Error(`an instance did not stop cleanly (exit codes ${codes.join(', ')}):\n${this.output().slice(-3000)}`);
  }
}

export async function startInstances(count = 2, env: Record<string, string> = {}): Promise<BotInstances> {
  return new BotInstances(count, env).start();
}
