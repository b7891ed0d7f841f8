import { ActivityTypes, CardFactory, MessageFactory, type Activity, type Attachment, type CloudAdapter, type ConversationParameters, type TurnContext } from 'botbuilder';
import type { Address, PostedMessage } from '../chat/address';
// Not re-exported from the package root in teams-ai 1.7.
import type { AIEntity } from '@microsoft/teams-ai/lib/types';
import { MessageGoneError, type AiCitation, type Messenger, type Outbound } from '../chat/turn';
import { Entity as EntityMapper } from 'botframework-connector/lib/connectorApi/models/mappers';
import type { DirectoryEntry, PeopleDirectory } from '../routing/peopleDirectory';
import { referenceOf } from './addressOf';
import type { FileOffers } from './fileOffers';
import type { GraphInstaller } from './graphInstaller';
import { plainText } from '../cards/plainText';
import { ThrottledError, type RequestGate } from '../chat/throttled';
import { asPacedSender, installThrottleSurface } from './throttleScope';

// @azure/core-client 1.10 serialises each entity with the bare Entity mapper (type, text,
// mentioned) and drops every other field, so the AI label and citations never reached Teams.
// The Activity mapper already means entities to carry extra fields; this says so on Entity too.
EntityMapper.type.additionalProperties ??= { type: { name: 'Object' } };

export interface GraphRoute {
  installer: Pick<GraphInstaller, 'install'>;
  /** Where to post into a chat Graph opened: the Bot Connector of the school's region, and tenant. */
  where(): Promise<{ serviceUrl: string; tenantId?: string }>;
  /** Installing an app for someone is done in their name by Lantern: it is audited. */
  installed(user: { id: string; name: string }): Promise<void>;
}

/** "403 BotDisabledByAdmin: ..." from a Bot Connector error, for the setup check. */
export function refusalReason(err: unknown): string {
  const e = err as { statusCode?: number; code?: string; message?: string; response?: { bodyAsText?: string } } | undefined;
  let code = e?.code;
  let message = e?.message ?? String(err);
  try {
    const body = JSON.parse(e?.response?.bodyAsText ?? '') as { error?: { code?: string; message?: string } };
    code = body.error?.code ?? code;
    message = body.error?.message ?? message;
  } catch {
    // not JSON: keep the error's own message
  }
  const head = [e?.statusCode, code === String(e?.statusCode) ? undefined : code].filter(Boolean).join(' ');
  return head ? `${head}: ${message}` : message;
}

/** For a 429 from the Bot Connector: how long it asked us to wait (1 s when it did not say). */
export function retryAfterOf(err: unknown): number | undefined {
  if (err instanceof ThrottledError) return err.retryAfterMs;
  const e = err as { statusCode?: number; response?: { headers?: { get?(name: string): string | undefined } } } | undefined;
  if (e?.statusCode !== 429) return undefined;
  const seconds = Number(e.response?.headers?.get?.('retry-after'));
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 1000;
}

/** Teams (the Bot Connector) did not take a proactive message or update. */
export class DeliveryError extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(`${message}: ${(cause as Error | undefined)?.message ?? String(cause)}`);
    this.name = 'DeliveryError';
  }
}

/** Teams' "AI generated" label and citation pills, in the shape teams-ai's own AIEntity defines. */
function aiEntity(citations: AiCitation[]): AIEntity {
  return {
    type: 'https://schema.org/Message',
    '@type': 'Message',
    '@context': 'https://schema.org',
    '@id': '',
    additionalType: ['AIGeneratedContent'],
    citation: citations.map((c) => ({ '@type': 'Claim', position: c.position, appearance: { '@type': 'DigitalDocument', name: c.title, abstract: c.abstract } })),
  };
}

/** Text, card and AI label only: Teams cannot take files inline, FileOffers sends those. */
export function toActivity(message: string | Outbound): Partial<Activity> {
  const m: Outbound = typeof message === 'string' ? { text: message } : message;
  const attachments: Attachment[] = m.card ? [CardFactory.adaptiveCard(m.card)] : [];
  // Messages are Markdown too: text people typed (a decline reason, a website) must not become a live link.
  const activity: Partial<Activity> = { ...MessageFactory.text(plainText(m.text ?? '')), textFormat: 'markdown' };
  if (attachments.length) activity.attachments = attachments;
  if (!m.text && attachments.length) delete activity.text;
  if (m.aiGenerated) activity.entities = [aiEntity(m.aiGenerated.citations)];
  return activity;
}

/** An edit of a message already sent; files cannot be added to one, only offered in a new message. */
export function toUpdate(message: Outbound, id: string): Partial<Activity> {
  if (message.files?.length) throw new TypeError('files cannot be added to a message that was already sent');
  return { ...toActivity(message), id, type: ActivityTypes.Message };
}

/** Sends in order; returns the first message's id (the text or card when there is one). */
export async function sendAll(context: TurnContext, activities: Array<Partial<Activity>>): Promise<string | undefined> {
  let first: string | undefined;
  for (const activity of activities) {
    const id = (await context.sendActivity(activity))?.id;
    first ??= id;
  }
  return first;
}

/** Proactive messages through the Bot Connector: channel posts, in-place updates and 1:1 chats. */
export class TeamsMessenger implements Messenger {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly botAppId: string,
    private readonly directory: PeopleDirectory,
    private readonly files: FileOffers,
    private readonly log: (message: string) => void = () => undefined,
    /** Graph installation for people in no team with Lantern (GRAPH_INSTALL=on). */
    private readonly graph?: GraphRoute,
  ) {
    installThrottleSurface();
  }

  /** Files are offered only when `owner` says whose 1:1 chat this is. */
  async post(address: Address, message: Outbound, owner?: string): Promise<PostedMessage> {
    const activities = await this.files.activities(message, { personal: address.conversationType === 'personal', owner });
    let activityId = '';
    await this.continue(address, async (ctx) => {
      activityId = (await sendAll(ctx, activities)) ?? '';
    });
    return { address, activityId };
  }

  async update(posted: PostedMessage, message: Outbound): Promise<void> {
    const activity = toUpdate(message, posted.activityId);
    try {
      await this.continue(posted.address, async (ctx) => {
        await ctx.updateActivity(activity);
      });
    } catch (err) {
      // Deleted by someone, or the conversation is gone: retrying would never succeed.
      const status = (err as DeliveryError).cause && (err as { cause?: { statusCode?: number } }).cause?.statusCode;
      if (status === 404) throw new MessageGoneError(`message ${posted.activityId} in ${posted.address.conversationId} no longer exists`);
      throw err;
    }
  }

  /**
   * Undefined when Lantern cannot reach them: not known from a chat, a team roster or Graph, gone
   * from every team, or refused by Teams (the refusal is recorded for the setup check).
   */
  async toPerson(who: { aadObjectId?: string; email?: string }, message: Outbound, options: { paced?: boolean; gate?: RequestGate } = {}): Promise<PostedMessage | undefined> {
    if (options.paced) return asPacedSender(() => this.deliver(who, message, true), options.gate);
    return this.deliver(who, message, false);
  }

  /**
   * `paced`: the caller (the broadcast queue) records the delivery itself, and every write before
   * this returns widens the window in which a crash leaves a sent card unrecorded (and sent again),
   * so the directory's bookkeeping is not waited for, and it is gathered: a half second's chats
   * opened go in one Table transaction, and one read of the refusals serves them all. If it is
   * lost, the next message opens the chat again and Teams hands back the same one.
   */
  private async deliver(who: { aadObjectId?: string; email?: string }, message: Outbound, paced: boolean): Promise<PostedMessage | undefined> {
    const found = await this.directory.find(who);
    // Left every team Lantern is in: there is no install to open a chat through.
    const entry = found && (found.personal || !found.goneAt) ? found : undefined;
    if (!entry) return this.graph ? this.throughGraph(who, message) : undefined;
    try {
      const posted = await this.reach(entry, message, paced);
      const at = new Date().toISOString();
      const noted = (paced ? this.directory.noteReachedSoon(who, at) : this.directory.noteReached(who, at)).catch((err) => this.log(`could not note a delivery: ${(err as Error).message}`));
      if (!paced) await noted;
      return posted;
    } catch (err) {
      // Unreachable is an answer callers handle (tell the reporter to phone them), not a crash.
      if (!(err instanceof DeliveryError)) throw err;
      // Throttled is "not now", not "refused": the sender decides when to try again.
      const wait = retryAfterOf(err.cause);
      if (wait !== undefined) throw new ThrottledError(wait, err.cause);
      this.log(`could not deliver a 1:1 message to ${entry.name}: ${err.message}`);
      await this.refused(who, entry.name, 'teams', refusalReason(err.cause));
      return undefined;
    }
  }

  /** Installs Lantern for someone in no team with it, then posts into the chat that creates. */
  private async throughGraph(who: { aadObjectId?: string; email?: string }, message: Outbound): Promise<PostedMessage | undefined> {
    const installed = await this.graph!.installer.install(who);
    if (!installed.ok) {
      this.log(`could not install Lantern through Graph for ${who.aadObjectId ?? who.email}: ${installed.reason}`);
      await this.refused(who, undefined, 'graph', installed.reason);
      return undefined;
    }
    await this.graph!.installed(installed.user);
    const { serviceUrl, tenantId } = await this.graph!.where();
    const address: Address = {
      serviceUrl,
      conversationId: installed.chatId,
      conversationType: 'personal',
      tenantId,
      botId: this.botAppId ? `28:${this.botAppId}` : 'lantern',
      botName: 'Lantern',
    };
    const at = new Date().toISOString();
    const entry: DirectoryEntry = { aadObjectId: installed.user.id, teamsUserId: '', name: installed.user.name, email: installed.user.email, serviceUrl: address.serviceUrl, tenantId: address.tenantId, personal: address, graphInstalledAt: at, updatedAt: at };
    await this.directory.remember(entry);
    try {
      const posted = await this.post(address, message, installed.user.id);
      await this.directory.noteReached(who, new Date().toISOString()).catch((err) => this.log(`could not note a delivery: ${(err as Error).message}`));
      return posted;
    } catch (err) {
      if (!(err instanceof DeliveryError)) throw err;
      this.log(`could not deliver a 1:1 message to ${installed.user.name} after the Graph install: ${err.message}`);
      await this.refused(who, installed.user.name, 'teams', refusalReason(err.cause));
      return undefined;
    }
  }

  private async refused(who: { aadObjectId?: string; email?: string }, name: string | undefined, by: 'teams' | 'graph', reason: string): Promise<void> {
    await this.directory.recordRefusal({ who, name, by, reason, at: new Date().toISOString() }).catch((err) => this.log(`could not record a refusal: ${(err as Error).message}`));
  }

  private async reach(entry: DirectoryEntry, message: Outbound, paced: boolean): Promise<PostedMessage | undefined> {
    if (entry.personal) return this.post(entry.personal, message, entry.aadObjectId);
    // Never chatted 1:1 yet: open the personal conversation (Teams returns the existing one if any).
    const params: ConversationParameters = {
      isGroup: false,
      bot: { id: this.botAppId ? `28:${this.botAppId}` : 'lantern', name: 'Lantern' },
      members: [{ id: entry.teamsUserId, name: entry.name }],
      tenantId: entry.tenantId,
      channelData: { tenant: { id: entry.tenantId } },
      activity: undefined as unknown as Activity,
    };
    const activities = await this.files.activities(message, { personal: true, owner: entry.aadObjectId });
    let posted: PostedMessage | undefined;
    let failure: unknown;
    await this.adapter
      .createConversationAsync(this.botAppId, 'msteams', entry.serviceUrl, '', params, async (ctx) => {
        try {
          const address: Address = {
            serviceUrl: entry.serviceUrl,
            conversationId: ctx.activity.conversation.id,
            conversationType: 'personal',
            tenantId: entry.tenantId,
            botId: params.bot!.id,
            botName: 'Lantern',
          };
          posted = { address, activityId: (await sendAll(ctx, activities)) ?? '' };
        } catch (err) {
          failure = err;
        }
      })
      .catch((err) => {
        failure ??= err;
      });
    if (failure || !posted) throw new DeliveryError(`opening a chat with ${entry.name} failed`, failure);
    const remembered = this.directory.rememberChat(entry.aadObjectId, posted.address, { batched: paced }).catch((err) => this.log(`could not remember a chat: ${(err as Error).message}`));
    if (!paced) await remembered;
    return posted;
  }

  /**
   * Runs `logic` in a proactive turn and surfaces its failure. Left to itself the adapter hands a
   * proactive error to onTurnError, which would report success to us and post "something went
   * wrong" into the recipient's chat.
   */
  private async continue(address: Address, logic: (ctx: TurnContext) => Promise<void>): Promise<void> {
    let failure: unknown;
    await this.adapter
      .continueConversationAsync(this.botAppId, referenceOf(address), async (ctx) => {
        try {
          await logic(ctx);
        } catch (err) {
          failure = err;
        }
      })
      .catch((err) => {
        failure ??= err;
      });
    if (failure) throw new DeliveryError(`sending to conversation ${address.conversationId} failed`, failure);
  }
}
