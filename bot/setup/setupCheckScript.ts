import { settingsBlocks } from '../capabilities';
import { ConfigStore } from '../config/configStore';
import { policyFolder } from '../policy';
import { Destinations } from '../routing/destinations';
import { PeopleDirectory } from '../routing/peopleDirectory';
import { Scheduler } from '../scheduler/scheduler';
import { readSettings } from '../settings';
import { AuditLog } from '../storage/auditLog';
import { openStorage } from '../storage/openStorage';
import { summarisePolicies } from './policySummary';
import { scriptSchool } from '../trust/scriptSchool';
import { buildSetupReport, setupReportText } from './setupReport';

/**
 * `npm run setup:check`: the setup check as text, read from the same tables the bot uses (for IT,
 * from the App Service console). With the embedded store, stop the bot first.
 */
export async function setupCheckText(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const settings = readSettings(env);
  const store = await openStorage(settings);
  try {
    // In a trust, the school LANTERN_SCHOOL names: its block of the file, its partitions, its policies.
    const { tables, given, policies } = await scriptSchool(settings.schoolConfigFile, env.LANTERN_SCHOOL, store.tables, settingsBlocks());
    const audit = new AuditLog(tables);
    const config = new ConfigStore(tables, audit, settingsBlocks());
    // A check reads; only the bot's own start-up stores a changed configuration file.
    await config.load(settings.schoolConfigFile, { exampleAllowed: !settings.bot.appId, store: false, given });
    const report = await buildSetupReport({
      roster: await config.current(),
      directory: new PeopleDirectory(tables),
      destinations: new Destinations(tables, audit),
      config,
      scheduler: new Scheduler(tables, { intervalMs: settings.schedulerIntervalMs }),
      policies: () => summarisePolicies(policies ?? policyFolder(settings.policyDir, config)),
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
