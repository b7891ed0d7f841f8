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
    // Whatever a stopped instance left queued is sent from now (the kick covers a failed start).
    if ((await campaigns.worker.queue.nextDue()) !== undefined) {
      await campaigns.worker.kick();
      void campaigns.worker.drain().catch((err) => services.log(`broadcast: working the queue failed: ${(err as Error).message}`));
    }
    return { ...createAcknowledgementCapability(services, settings, campaigns), campaigns } as ReturnType<typeof createAcknowledgementCapability>;
  },
};
