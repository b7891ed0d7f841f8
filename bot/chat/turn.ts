import type { AdaptiveCard } from '../cards/renderCard';
import type { Role } from '../config/roster';
import type { Address, PostedMessage } from './address';
import type { RequestGate } from './throttled';

/** The person acting, as resolved on the server from Teams identity + the roster. */
export interface Actor {
  /** Roster id when the person is in the school configuration. */
  personId?: string;
  aadObjectId?: string;
  teamsUserId: string;
  name: string;
  email?: string;
  roles: Role[];
}

export interface Place {
  address: Address;
  kind: 'personal' | 'groupChat' | 'channel';
  teamName?: string;
  channelName?: string;
}

/**
 * A file for the person in a 1:1 chat (e.g. an export), its bytes as a data: URL. The Teams layer
 * offers it with a consent card and uploads it to their OneDrive; it is refused elsewhere.
 */
export interface FileAttachment {
  name: string;
  contentType: string;
  contentUrl: string;
}

/** A passage an AI-written text cites as [position]; Teams shows title and abstract on hover. */
export interface AiCitation {
  position: number;
  title: string;
  abstract: string;
}

export interface Outbound {
  text?: string;
  card?: AdaptiveCard;
  files?: FileAttachment[];
  /** Marks `text` as AI-generated (Teams shows its label) and lists the sources it cites. */
  aiGenerated?: { citations: AiCitation[] };
}

/** One incoming message, independent of the bot framework that delivered it. */
export interface Turn {
  readonly activityId: string;
  /** When the channel says the activity was sent: the same on Teams' redelivery of it. */
  readonly sentAt?: Date;
  readonly text: string;
  readonly actor: Actor;
  readonly place: Place;
  /** Sends into this conversation; returns the new message's id. */
  send(message: string | Outbound): Promise<string | undefined>;
  /** Replaces a message the bot sent earlier in this conversation. */
  update(activityId: string, message: Outbound): Promise<void>;
  /** Small per-user memory that survives restarts (e.g. "last tutor group"). */
  memory: {
    get<T>(key: string): T | undefined;
    set<T>(key: string, value: T): void;
  };
}

/** A card button press (Action.Execute). `data` comes from the card and is never trusted. */
export interface CardAction {
  readonly verb: string;
  readonly data: Record<string, unknown>;
  /** The message that carried the card, when Teams says. */
  readonly cardMessageId?: string;
}

/** What the person who clicked sees in place of the card. */
export type ActionResult = { card: AdaptiveCard } | { message: string };

/** Teams no longer has the message (deleted, or the chat is gone): it can never be updated again. */
export class MessageGoneError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MessageGoneError';
  }
}

/** Sending outside the current conversation: channel destinations and 1:1 chats. */
export interface Messenger {
  post(address: Address, message: Outbound): Promise<PostedMessage>;
  /** Throws MessageGoneError when the message no longer exists, so callers stop trying. */
  update(posted: PostedMessage, message: Outbound): Promise<void>;
  /**
   * A 1:1 message to someone in the roster; undefined when Teams does not know them yet. `paced`:
   * the caller paces many messages and handles throttling itself (ThrottledError), rather than
   * the send waiting out Teams' Retry-After on its own. `gate`: the app's request budget every
   * Teams request of a paced send waits for (one per app: see bot/broadcast/appSender.ts).
   */
  toPerson(who: { aadObjectId?: string; email?: string }, message: Outbound, options?: { paced?: boolean; gate?: RequestGate }): Promise<PostedMessage | undefined>;
}
