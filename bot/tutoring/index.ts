import type { CapabilityModule } from '../chat/capability';
import { ConfigError } from '../config/configErrors';
import { createTutorCapability } from './tutorCapability';
import { scheduleTutorJobs } from './tutorJobs';
import { tutoringSettingsSchema, type TutoringSettings } from './tutoringSettings';
import { checkCallSettings, checkTutoringSettings } from './settingsCheck';
import { createCallCapability } from './callCapability';
import { callSettingsSchema, type CallSettings } from './callSettings';

/** Tutor group session logs and the weekly record for the deputy head (pastoral). */
export const tutoringModule: CapabilityModule<TutoringSettings> = {
  settingsKey: 'tutoring',
  settingsSchema: tutoringSettingsSchema,
  async create(services, settings) {
    const problems = checkTutoringSettings(settings, await services.config.current());
    if (problems.length) throw new ConfigError('school configuration', problems);
    await scheduleTutorJobs(services, settings);
    return createTutorCapability(services, settings);
  },
};

/** 1-1 calls with pupils: the school's rule table, permissions, the call record and secure notes. */
export const callsModule: CapabilityModule<CallSettings> = {
  settingsKey: 'calls',
  settingsSchema: callSettingsSchema,
  async create(services, settings) {
    const problems = checkCallSettings(settings, await services.config.current());
    if (problems.length) throw new ConfigError('school configuration', problems);
    return createCallCapability(services, settings);
  },
};
