import type { ConversationReference, TurnContext } from 'botbuilder';
import type { Address } from '../chat/address';

type Kind = Address['conversationType'];

function kindOf(type: string | undefined): Kind {
  return type === 'channel' ? 'channel' : type === 'groupChat' ? 'groupChat' : 'personal';
}

/** Where an activity came from, as a framework-free Address. */
export function addressOf(context: TurnContext): Address {
  const a = context.activity;
  const channelData = (a.channelData ?? {}) as { tenant?: { id?: string }; team?: { id?: string }; channel?: { id?: string } };
  return {
    serviceUrl: a.serviceUrl,
    conversationId: a.conversation.id,
    conversationType: kindOf(a.conversation.conversationType),
    tenantId: a.conversation.tenantId ?? channelData.tenant?.id,
    teamId: channelData.team?.id,
    channelId: channelData.channel?.id,
    botId: a.recipient.id,
    botName: a.recipient.name,
  };
}

export function referenceOf(address: Address): Partial<ConversationReference> {
  return {
    channelId: 'msteams',
    serviceUrl: address.serviceUrl,
    bot: { id: address.botId, name: address.botName ?? 'Lantern' },
    conversation: {
      id: address.conversationId,
      conversationType: address.conversationType,
      tenantId: address.tenantId,
      isGroup: address.conversationType !== 'personal',
      name: '',
    },
  };
}
