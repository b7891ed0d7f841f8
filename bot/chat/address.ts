/**
 * Enough of a conversation to post into it later, without any SDK types: the Teams layer turns
 * this into a ConversationReference.
 */
export interface Address {
  serviceUrl: string;
  conversationId: string;
  conversationType: 'personal' | 'groupChat' | 'channel';
  tenantId?: string;
  teamId?: string;
  channelId?: string;
  /** The bot's own id in that conversation. */
  botId: string;
  botName?: string;
}

/** A message the bot posted, so it can be updated in place for everyone later. */
export interface PostedMessage {
  address: Address;
  activityId: string;
}

/**
 * The channel itself rather than the reply thread the message arrived in: posts to a registered
 * destination start a new conversation in the channel.
 */
export function channelAddress(address: Address): Address {
  if (address.conversationType !== 'channel') return address;
  return { ...address, conversationId: address.channelId ?? address.conversationId.split(';')[0] };
}
