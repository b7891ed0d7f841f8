import { randomUUID } from 'node:crypto';
import type { Member } from './fakeConnector';

export const TENANT = 'tenant-hollins';
export const BOT = { id: '28:lantern-bot', name: 'Lantern' };

export interface Conversation {
  id: string;
  conversationType: 'personal' | 'groupChat' | 'channel';
  team?: { id: string; name: string };
  channel?: { id: string; name: string };
}

export function personalChat(user: Member): Conversation {
  return { id: `a:personal-${user.aadObjectId}`, conversationType: 'personal' };
}

export function teamChannel(channelName: string, teamName = 'Safeguarding'): Conversation {
  const channelId = `19:${channelName.replace(/\W/g, '').toLowerCase()}@thread.tacv2`;
  return { id: channelId, conversationType: 'channel', team: { id: `19:team-${teamName.toLowerCase()}@thread.tacv2`, name: teamName }, channel: { id: channelId, name: channelName } };
}

export function groupChat(name: string): Conversation {
  return { id: `19:group-${name}@thread.v2`, conversationType: 'groupChat' };
}

function base(serviceUrl: string, user: Member, conversation: Conversation) {
  return {
    id: `act-in-${randomUUID()}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl,
    from: { id: user.id, aadObjectId: user.aadObjectId, name: user.name },
    recipient: BOT,
    conversation: { id: conversation.id, conversationType: conversation.conversationType, tenantId: TENANT },
    channelData: {
      tenant: { id: TENANT },
      ...(conversation.team ? { team: conversation.team } : {}),
      ...(conversation.channel ? { channel: conversation.channel } : {}),
    },
    locale: 'en-GB',
  };
}

/** A Teams message activity; in channels and group chats the bot is @mentioned as Teams does. */
export function messageActivity(serviceUrl: string, user: Member, conversation: Conversation, text: string) {
  const mentioned = conversation.conversationType !== 'personal';
  const mentionText = `<at>${BOT.name}</at>`;
  return {
    ...base(serviceUrl, user, conversation),
    type: 'message',
    text: mentioned ? `${mentionText} ${text}` : text,
    textFormat: 'plain',
    entities: mentioned ? [{ type: 'mention', text: mentionText, mentioned: BOT }] : [],
  };
}

/** An Adaptive Card Action.Execute press. */
export function invokeActivity(serviceUrl: string, user: Member, conversation: Conversation, verb: string, data: Record<string, unknown>, replyToId?: string) {
  return {
    ...base(serviceUrl, user, conversation),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId,
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}

/** The bot being added to a personal chat, group chat or team. */
export function installActivity(serviceUrl: string, user: Member, conversation: Conversation) {
  return { ...base(serviceUrl, user, conversation), type: 'conversationUpdate', membersAdded: [{ id: BOT.id }] };
}

/** Allow or Decline pressed on a file consent card; `uploadInfo` is what Teams adds on Allow. */
export function fileConsentActivity(serviceUrl: string, user: Member, conversation: Conversation, action: 'accept' | 'decline', context: unknown, uploadInfo?: Record<string, string>) {
  return {
    ...base(serviceUrl, user, conversation),
    type: 'invoke',
    name: 'fileConsent/invoke',
    value: { type: 'fileUpload', action, context, ...(uploadInfo ? { uploadInfo } : {}) },
  };
}

/** Team members joining or leaving a team Lantern is in, as Teams announces it. */
export function teamMembersActivity(serviceUrl: string, by: Member, conversation: Conversation, change: { added?: Member[]; removed?: Member[] }) {
  const eventType = change.removed?.length ? 'teamMemberRemoved' : 'teamMemberAdded';
  const accounts = (list: Member[] = []) => list.map((m) => ({ id: m.id, aadObjectId: m.aadObjectId }));
  const activity = { ...base(serviceUrl, by, conversation), type: 'conversationUpdate', membersAdded: accounts(change.added), membersRemoved: accounts(change.removed) };
  return { ...activity, channelData: { ...activity.channelData, eventType } };
}
