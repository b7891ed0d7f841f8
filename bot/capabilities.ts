import type { CapabilityModule } from './chat/capability';
import type { SettingsBlock, SettingsSchemas } from './config/loadSchoolConfig';
import { acknowledgementsModule } from './acknowledgements';
import { filteringModule } from './filtering';
import { incidentsModule } from './incidents';
import { policyModule } from './policy';
import { reportModule } from './report';
import { retentionModule } from './retention';
import { setupModule } from './setup';
import { callsModule } from './calls';
import { tutoringModule } from './tutoring';

/**
 * The capabilities this build of Lantern offers, in the order their commands are tried. Core
 * (help, register) is wired separately in lantern.ts because it needs the dispatcher; policy
 * questions come last because they take every message no command claimed.
 */
export const capabilityModules: CapabilityModule<any>[] = [incidentsModule, filteringModule, tutoringModule, callsModule, retentionModule, setupModule, reportModule, acknowledgementsModule, policyModule];

/** The settings blocks of these modules, by key: what the configuration file is validated with. */
export function settingsBlocks(modules: CapabilityModule<any>[] = capabilityModules): SettingsSchemas {
  return Object.fromEntries(modules.filter((m) => m.settingsKey && m.settingsSchema).map((m) => [m.settingsKey!, m as SettingsBlock]));
}
