import { capabilityModules } from '../capabilities';
import { ConfigStore } from '../config/configStore';
import { EXAMPLE_POLICIES } from '../policy';
import { Destinations } from '../routing/destinations';
import { PeopleDirectory } from '../routing/peopleDirectory';
import { Scheduler } from '../scheduler/scheduler';
import { readSettings } from '../settings';
import { AuditLog } from '../storage/auditLog';
import { openStorage } from '../storage/openStorage';
import { summarisePolicies } from './policySummary';
import { buildSetupReport, setupReportText } from './setupReport';

/**
 * `npm run setup:check`: the setup check as text, read from the same tables the bot uses (for IT,
 * from the App Service console). With the embedded store, stop the bot first.
 */
export async function setupCheckText(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const settings = readSettings(env);
  const store = await openStorage(settings);
  try {
    const audit = new AuditLog(store.tables);
    const schemas = Object.fromEntries(capabilityModules.filter((m) => m.settingsKey && m.settingsSchema).map((m) => [m.settingsKey!, m.settingsSchema!]));
    const config = new ConfigStore(store.tables, audit, schemas);
    await config.load(settings.schoolConfigFile);
    const report = await buildSetupReport({
      roster: await config.current(),
      directory: new PeopleDirectory(store.tables),
      destinations: new Destinations(store.tables, audit),
      config,
      scheduler: new Scheduler(store.tables, { intervalMs: settings.schedulerIntervalMs }),
      policies: () => summarisePolicies(settings.policyDir ?? EXAMPLE_POLICIES),
      graphInstall: !!settings.graph,
    });
    return setupReportText(report);
  } finally {
    await store.close();
  }
}

if (require.main === module) {
  setupCheckText()
    .then((text) => console.log(text))
    .catch((err: Error) => {
      console.error(`Setup check failed: ${err.message}`);
      process.exitCode = 1;
    });
}
