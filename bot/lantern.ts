import type { TurnContext } from 'botbuilder';
import type { Capability, CommandRunner, Services } from './chat/capability';
import { Dispatcher } from './chat/dispatcher';
import { ConfigStore } from './config/configStore';
import { capabilityModules as defaultModules, settingsBlocks } from './capabilities';
import type { CapabilityModule } from './chat/capability';
import { createCoreCapability } from './core/coreCapability';
import { Destinations } from './routing/destinations';
import { PeopleDirectory } from './routing/peopleDirectory';
import { Outbox } from './scheduler/outbox';
import { Scheduler } from './scheduler/scheduler';
import { startServer, type HttpServer } from './server';
import type { Settings } from './settings';
import { AuditLog } from './storage/auditLog';
import { DraftStore } from './storage/draftStore';
import { Inbox } from './storage/inbox';
import { openStorage } from './storage/openStorage';
import { TableStateStorage } from './storage/tableStateStorage';
import { tokenVerifier, type TokenKeyEndpoints } from './teams/botAuthentication';
import { createAdapter, createTeamsApp, SOMETHING_WRONG, STORAGE_DOWN } from './teams/createTeamsApp';
import { FILE_EXPIRY_JOB, FileOffers } from './teams/fileOffers';
import { PendingFiles } from './teams/pendingFiles';
import { TeamsMessenger } from './teams/teamsMessenger';
import { graphRouteFrom } from './teams/graphRoute';
import { StorageUnavailableError } from './storage/errors';

const INBOX_KEEP_MS = 2 * 24 * 60 * 60_000;
const INBOX_SWEEP_MS = 6 * 60 * 60_000;

export interface Lantern {
  readonly url: string;
  readonly port: number;
  readonly services: Services;
  readonly capabilities: Capability[];
  /** Finishes in-flight turns, stops timers and the embedded table server. */
  stop(): Promise<void>;
}

export interface StartOptions {
  log?: (message: string) => void;
  now?: () => Date;
  /** Replaces the built-in capability list (tests). */
  modules?: CapabilityModule<any>[];
  /** Start the scheduler's timer (tests drive it by hand with runDue()). */
  startScheduler?: boolean;
  /** Where Bot Framework signing keys are fetched (tests run a local stand-in); Microsoft's by default. */
  tokenKeys?: TokenKeyEndpoints;
}

/** Assembles and starts the bot: storage, configuration, capabilities, Teams wiring, HTTP. */
export async function startLantern(settings: Settings, options: StartOptions = {}): Promise<Lantern> {
  const log = options.log ?? ((m: string) => console.log(`[lantern] ${m}`));
  const now = options.now ?? (() => new Date());
  const storage = await openStorage(settings);
  const { endpoint, tables } = storage;
  log(`storage: ${endpoint.description}`);
  try {
    const audit = new AuditLog(tables, now);
    const modules = options.modules ?? defaultModules;
    const config = new ConfigStore(tables, audit, settingsBlocks(modules));
    const source = await config.load(settings.schoolConfigFile, { exampleAllowed: !settings.bot.appId });
    log(`school configuration: ${source}`);

    const adapter = createAdapter(settings.bot, options.tokenKeys);
    const directory = new PeopleDirectory(tables);
    const scheduler = new Scheduler(tables, { intervalMs: settings.schedulerIntervalMs, now, log });
    const files = new FileOffers(new PendingFiles(tables, now), { localUploads: !settings.bot.appId, scheduler, now, log });
    scheduler.handle(FILE_EXPIRY_JOB, (job) => files.expire(String(job.payload.fileId)));
    const messenger = new TeamsMessenger(adapter, settings.bot.appId ?? '', directory, files, log, graphRouteFrom(settings, directory, audit));
    let dispatcher: Dispatcher | undefined;
    const commands: CommandRunner = { run: (text, turn) => dispatcher!.run(text, turn), supports: (verb) => dispatcher?.supports(verb) ?? false };
    const services: Services = {
      tables,
      audit,
      drafts: new DraftStore(tables, now),
      config,
      destinations: new Destinations(tables, audit),
      scheduler,
      outbox: new Outbox(tables, scheduler, now),
      messenger,
      environment: settings,
      now,
      log,
      commands,
    };
    const core = createCoreCapability(services);
    const capabilities: Capability[] = [core];
    for (const module of modules) {
      capabilities.push(await module.create(services, module.settingsKey ? config.settings(module.settingsKey) : undefined));
    }
    dispatcher = new Dispatcher(capabilities, () => config.current());
    core.attach(dispatcher);
    for (const cap of capabilities) for (const [kind, handler] of Object.entries(cap.jobs ?? {})) scheduler.handle(kind, handler);
    const inbox = new Inbox(tables, now);
    // Idempotent housekeeping, so a plain timer on every instance is enough (no claiming needed).
    const sweeper = setInterval(() => {
      inbox.sweep(INBOX_KEEP_MS).then(
        (removed) => removed && log(`inbox: forgot ${removed} activities older than two days`),
        (err) => log(`inbox sweep failed: ${(err as Error).message}`),
      );
    }, INBOX_SWEEP_MS);
    sweeper.unref();

    const teams = createTeamsApp(adapter, {
      settings,
      storage: new TableStateStorage(tables),
      dispatcher,
      config,
      directory,
      files,
      welcome: (turn) => core.welcome(turn),
      rosterChanged: async (change) => {
        for (const cap of capabilities) await cap.rosterChanged?.(change).catch((err) => log(`${cap.name}: after a team roster change: ${(err as Error).message}`));
      },
      log,
    });
    // Last resort for failures outside our routes (e.g. turn state could not be loaded).
    adapter.onTurnError = async (context, error) => {
      log(`unhandled turn error: ${(error as Error)?.stack ?? String(error)}`);
      await context.sendActivity(error instanceof StorageUnavailableError ? STORAGE_DOWN : SOMETHING_WRONG).catch(() => undefined);
    };

    const server: HttpServer = await startServer(settings.port, settings.host, {
      adapter,
      verifyToken: settings.bot.appId ? tokenVerifier(settings.bot, options.tokenKeys) : undefined,
      run: (context: TurnContext) => teams.run(context),
      healthCheck: () => endpoint.ping(),
      log,
    });
    if (options.startScheduler !== false) scheduler.start();
    log(`listening on http://${server.boundTo}/api/messages (${server.allInterfaces ? 'every interface; ' : ''}${settings.bot.appId ? `Bot Framework authentication for app ${settings.bot.appId}` : 'local mode: no BOT_ID, authentication off'})`);
    if (!settings.bot.appId && !isLoopback(settings.host)) {
      log(`WARNING: HOST=${settings.host} opens the bot to the network with authentication off: anyone who can reach this port can post as any roster person. Set BOT_ID, or leave HOST unset for 127.0.0.1.`);
    }

    let stopped = false;
    return {
      url: server.url,
      port: server.port,
      services,
      capabilities,
      async stop() {
        if (stopped) return;
        stopped = true;
        clearInterval(sweeper);
        await server.close();
        await scheduler.stop();
        for (const cap of capabilities) await cap.stop?.();
        await storage.close();
      },
    };
  } catch (err) {
    await storage.close();
    throw err;
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}
