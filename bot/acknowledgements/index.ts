import type { CapabilityModule } from '../chat/capability';
import { Campaigns } from './campaigns';
import { createAcknowledgementCapability } from './capability';
import { acknowledgementSettingsSchema, checkAcknowledgementSettings, type AcknowledgementSettings } from './settings';

/** Staff read and acknowledge policies in chat, with the record a school shows an inspector. */
export const acknowledgementsModule: CapabilityModule<AcknowledgementSettings> = {
  settingsKey: 'acknowledgements',
  settingsSchema: acknowledgementSettingsSchema,
  checkSettings: checkAcknowledgementSettings,
  async create(services, settings) {
    const campaigns = new Campaigns(services, settings);
    if ((await campaigns.store.allCampaigns()).length) {
      await campaigns.ensureVersionCheck();
      // People added to the configuration file since the last start get their open cards.
      await campaigns.topUp(await services.config.current());
    }
    // Whatever a stopped instance left queued is picked up by the next tick.
    if ((await campaigns.worker.queue.nextDue()) !== undefined) await campaigns.worker.kick();
    return { ...createAcknowledgementCapability(services, settings, campaigns), campaigns } as ReturnType<typeof createAcknowledgementCapability>;
  },
};
