import type { CapabilityModule } from '../chat/capability';
import { createCallCapability } from './callCapability';
import { callSchoolDefaults, callSettingsSchema, type CallSettings } from './callSettings';
import { checkCallSettings } from './settingsCheck';

/** 1-1 calls with pupils: the school's rule table, permissions, the call record and secure notes. */
export const callsModule: CapabilityModule<CallSettings> = {
  settingsKey: 'calls',
  settingsSchema: callSettingsSchema,
  schoolDefaults: callSchoolDefaults,
  checkSettings: checkCallSettings,
  create: createCallCapability,
};
