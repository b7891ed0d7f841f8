import type { CapabilityModule } from '../chat/capability';
import { notSetUp } from '../chat/notSetUp';
import { createTutorCapability } from './tutorCapability';
import { cancelTutorJobs, scheduleTutorJobs } from './tutorJobs';
import { NO_TUTOR_GROUPS, TUTORING_NOT_SET_UP, tutoringSettingsSchema, type TutoringSettings } from './tutoringSettings';
import { checkTutoringSettings } from './settingsCheck';

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
