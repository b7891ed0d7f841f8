import type { Lantern } from '../../bot/lantern';
import { BroadcastQueue } from '../../bot/broadcast/broadcastQueue';
import { endpointFromConnectionString, TableProvisioner } from '../../bot/storage/tableService';
import { ensureBuilt, startBot, waitForUrl, type BotProcess } from './botProcess';
import { Harness } from './harness';
import { people } from './people';
import { sharedAzurite, uniquePrefix } from './sharedAzurite';

/**
 * The harness with the bot in its own process (the compiled `npm start` entry), so it can be
 * killed with SIGKILL and so a benchmark measures the bot and not the process driving it. The
 * fake connector and the driver stay here; the scheduler runs on its own timer, as in production.
 */
export class ProcessHarness extends Harness {
  bot?: BotProcess;
  private tables?: TableProvisioner;

  constructor(private readonly botEnv: Record<string, string> = {}) {
    super();
  }

  override async start(): Promise<this> {
    ensureBuilt();
    const connectionString = this.botEnv.TABLES_CONNECTION_STRING ?? (await sharedAzurite()).connectionString;
    await this.connector.start();
    for (const m of Object.values(people)) this.connector.addMember(m);
    this.env = { PORT: '0', TABLES_CONNECTION_STRING: connectionString, TABLES_PREFIX: uniquePrefix(), SCHEDULER_INTERVAL_MS: '500', ...this.botEnv };
    await this.launch();
    return this;
  }

  /** The bot's broadcast queue, read from its tables (the bot's own objects live in its process). */
  queue(): BroadcastQueue {
    this.tables ??= new TableProvisioner(endpointFromConnectionString(this.env.TABLES_CONNECTION_STRING, 'test', this.env.TABLES_PREFIX));
    return new BroadcastQueue(this.tables);
  }

  /** kill -9: nothing of the bot's gets to finish. */
  async kill(): Promise<void> {
    const bot = this.bot!;
    bot.child.kill('SIGKILL');
    await bot.exited;
  }

  /** A new process on the same tables (after kill(), or a graceful stop first). */
  override async restart(): Promise<void> {
    if (this.bot && this.bot.child.exitCode === null && this.bot.child.signalCode === null) await this.terminate();
    await this.launch();
  }

  override async stop(): Promise<void> {
    if (this.bot && this.bot.child.exitCode === null && this.bot.child.signalCode === null) await this.terminate();
    await this.connector.stop();
  }

  /** What the bot process printed (its log), for a failing test's message. */
  output(): string {
    return this.bot?.output() ?? '';
  }

  private async terminate(): Promise<void> {
    this.bot!.child.kill('SIGTERM');
    await this.bot!.exited;
  }

  private async launch(): Promise<void> {
    this.bot = startBot(this.env);
    const url = await waitForUrl(this.bot.output, this.bot.exited);
    this.lantern = { url } as Lantern;
  }
}
