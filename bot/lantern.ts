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
import { readTrustFile } from './trust/readTrustFile';
import { SchoolChoices } from './trust/schoolChoices';
import { createSchoolChoiceCapability } from './trust/schoolChoiceCapability';
import { schoolMessenger } from './trust/schoolStamp';
import { SchoolRouter } from './trust/schoolRouter';
import { SchoolDesk, type SchoolRuntime } from './trust/schoolRuntime';
import { SINGLE_SCHOOL, type TrustSchool } from './trust/trustConfig';
import { TRUST_WIDE_TABLES } from './trust/trustWideTables';
import { trustOfficers } from './trust/trustOfficers';
import { migrateAtStartup } from './trust/startupMigration';

const INBOX_KEEP_MS = 2 * 24 * 60 * 60_000;
const INBOX_SWEEP_MS = 6 * 60 * 60_000;

export interface Lantern {
  readonly url: string;
  readonly port: number;
  readonly services: Services;
  readonly capabilities: Capability[];
  /**
   * Every school this process serves, in the configuration's order; `services` and `capabilities`
   * are the first one's (a single school's, for a school file).
   */
  readonly schools: SchoolRuntime[];
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
  /** The start-up migration's lease and how often a waiting instance looks again (tests shorten them). */
  migrationLeaseMs?: number;
  migrationPollMs?: number;
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
    const schemas = settingsBlocks(modules);
    const trustConfig = await readTrustFile(settings.schoolConfigFile, schemas);
    // Before any school reads its partitions: a single school's rows from before the trust move first.
    await migrateAtStartup(endpoint, tables, trustConfig, settings.migrateSchool, { now, log, leaseMs: options.migrationLeaseMs, pollMs: options.migrationPollMs });

    const adapter = createAdapter(settings.bot, options.tokenKeys);
    const directory = new PeopleDirectory(tables);
    // Trust-level jobs (file offers) run here; a single school's own jobs share it, as they always did.
    const trustScheduler = new Scheduler(tables, { intervalMs: settings.schedulerIntervalMs, now, log });
    const files = new FileOffers(new PendingFiles(tables, now), { localUploads: !settings.bot.appId, scheduler: trustScheduler, now, log });
    trustScheduler.handle(FILE_EXPIRY_JOB, (job) => files.expire(String(job.payload.fileId)));
    const messenger = new TeamsMessenger(adapter, settings.bot.appId ?? '', directory, files, log, graphRouteFrom(settings, directory, audit));

    let router: SchoolRouter | undefined;
    const startSchool = async (school: TrustSchool | undefined): Promise<SchoolRuntime> => {
      const schoolTables = school && trustConfig?.partitioned ? tables.forSchool(school.id, TRUST_WIDE_TABLES) : tables;
      const schoolAudit = schoolTables === tables ? audit : new AuditLog(schoolTables, now);
      const config = new ConfigStore(schoolTables, schoolAudit, schemas);
      const source = await config.load(settings.schoolConfigFile, { exampleAllowed: !settings.bot.appId, given: school && trustConfig ? { raw: school.raw, source: school.source } : undefined, trust: trustOfficers(trustConfig?.trust) });
      log(`${school && trustConfig ? `school ${school.id}: ` : ''}school configuration: ${source}`);
      const scheduler = schoolTables === tables ? trustScheduler : new Scheduler(schoolTables, { intervalMs: settings.schedulerIntervalMs, now, log: (m) => log(`${school!.id}: ${m}`) });
      const several = (trustConfig?.schools.length ?? 1) > 1;
      let dispatcher: Dispatcher | undefined;
      const commands: CommandRunner = { run: (text, turn) => dispatcher!.run(text, turn), supports: (verb) => dispatcher?.supports(verb) ?? false };
      const services: Services = {
        tables: schoolTables,
        audit: schoolAudit,
        drafts: new DraftStore(schoolTables, now),
        config,
        destinations: new Destinations(schoolTables, schoolAudit),
        scheduler,
        outbox: new Outbox(schoolTables, scheduler, now),
        messenger: several ? schoolMessenger(messenger, school!.id) : messenger,
        environment: school && trustConfig ? { ...settings, policyDir: school.policies ?? settings.policyDir, trustPolicyDir: trustConfig.trust?.policiesDir } : settings,
        now,
        log: school && trustConfig ? (m) => log(`${school.id}: ${m}`) : log,
        schoolId: school && trustConfig ? school.id : undefined,
        commands,
      };
      const core = createCoreCapability(services);
      const capabilities: Capability[] = [core];
      if (several) capabilities.push(createSchoolChoiceCapability({ id: school!.id, name: config.loaded().validated.school.school.name }, () => router!, commands));
      for (const module of modules) {
        capabilities.push(await module.create(services, module.settingsKey ? config.settings(module.settingsKey) : undefined));
      }
      dispatcher = new Dispatcher(capabilities, () => config.current());
      core.attach(dispatcher);
      for (const cap of capabilities) for (const [kind, handler] of Object.entries(cap.jobs ?? {})) scheduler.handle(kind, handler);
      return { id: school?.id ?? SINGLE_SCHOOL, name: config.loaded().validated.school.school.name, config, services, capabilities, dispatcher, destinations: services.destinations, scheduler, welcome: (turn) => core.welcome(turn) };
    };
    const schools: SchoolRuntime[] = [];
    try {
      for (const school of trustConfig?.schools ?? [undefined]) schools.push(await startSchool(school));
    } catch (err) {
      for (const started of schools) for (const cap of started.capabilities) await cap.stop?.();
      throw err;
    }
    const first = schools[0];
    const { services, capabilities, dispatcher, config } = first;
    const desks = schools.map((school) => new SchoolDesk(school, schools.length > 1));
    router = new SchoolRouter(desks, new SchoolChoices(tables, now), directory, trustConfig?.trust?.name ?? first.name);
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
      welcome: (turn) => first.welcome(turn),
      // Schools may differ in the commands they offer, and the turn's school is not known yet.
      needsClaim: (text) => schools.some((school) => school.dispatcher.needsClaim(text)),
      schools: schools.length > 1 ? router : undefined,
      rosterChanged: async (change) => {
        for (const school of schools) for (const cap of school.capabilities) await cap.rosterChanged?.(change).catch((err) => log(`${cap.name}: after a team roster change: ${(err as Error).message}`));
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
    const schedulers = [...new Set([trustScheduler, ...schools.map((school) => school.scheduler)])];
    if (options.startScheduler !== false) for (const scheduler of schedulers) scheduler.start();
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
      schools,
      async stop() {
        if (stopped) return;
        stopped = true;
        clearInterval(sweeper);
        await server.close();
        for (const scheduler of schedulers) await scheduler.stop();
        for (const school of schools) for (const cap of school.capabilities) await cap.stop?.();
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
