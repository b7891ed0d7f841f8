import type { CapabilityModule } from '../chat/capability';
import { notSetUp } from '../chat/notSetUp';
import { createTutorCapability } from './tutorCapability';
import { cancelTutorJobs, scheduleTutorJobs } from './tutorJobs';
import { NO_TUTOR_GROUPS, TUTORING_NOT_SET_UP, tutoringSettingsSchema, type TutoringSettings } from './tutoringSettings';
import { checkCallSettings, checkTutoringSettings } from './settingsCheck';
import { createCallCapability } from './callCapability';
import { callSchoolDefaults, callSettingsSchema, type CallSettings } from './callSettings';

/** Tutor group session logs and the weekly record for the deputy head (pastoral). */
export const tutoringModule: CapabilityModule<TutoringSettings | undefined> = {
  settingsKey: 'tutoring',
  settingsSchema: tutoringSettingsSchema,
  notSetUpWhenOmitted: true,
  checkSettings: checkTutoringSettings,
  async create(services, settings) {
    if (!settings) {
      await cancelTutorJobs(services);
      return notSetUp(createTutorCapability(services, NO_TUTOR_GROUPS), TUTORING_NOT_SET_UP);
    }
    await scheduleTutorJobs(services, settings);
    return createTutorCapability(services, settings);
  },
};

/** 1-1 calls with pupils: the school's rule table, permissions, the call record and secure notes. */
export const callsModule: CapabilityModule<CallSettings> = {
  settingsKey: 'calls',
  settingsSchema: callSettingsSchema,
  schoolDefaults: callSchoolDefaults,
  checkSettings: checkCallSettings,
  create: createCallCapability,
};
