import { ActivityTypes, INVOKE_RESPONSE_KEY, type TurnContext } from 'botbuilder';
import { Application, TeamsAdapter, type TurnState } from '@microsoft/teams-ai';
import type { Dispatcher } from '../chat/dispatcher';
import type { ActionResult, Place, Turn } from '../chat/turn';
import type { ConfigStore } from '../config/configStore';
import type { Roster } from '../config/roster';
import type { PeopleDirectory } from '../routing/peopleDirectory';
import { StorageUnavailableError } from '../storage/errors';
import type { TableStateStorage } from '../storage/tableStateStorage';
import type { Settings } from '../settings';
import { addressOf } from './addressOf';
import { botFrameworkConfig, type TokenKeyEndpoints } from './botAuthentication';
import { claimOf, ClaimingTurnState } from './claimingTurnState';
import type { FileOffers } from './fileOffers';
import { MemberEmails } from './memberEmails';
import { resolveActor } from './resolveActor';
import { syncTeamFromUpdate } from './teamRoster';
import { teamsTurn } from './teamsTurn';
import type { Caller, Routed } from '../trust/schoolRouter';
import type { SchoolDesk } from '../trust/schoolRuntime';

export const STORAGE_DOWN = "I couldn't reach Lantern's storage just now, so nothing was saved. What you entered is kept here: please try again in a minute.";
/**
 * The manifest allows files (exports go out through file consent cards), so staff can also send
 * Lantern files and pictures. It keeps none of them; for possible evidence, copying is the harm.
 */
export const FILES_REFUSED =
  "Lantern doesn't take files or pictures, and kept nothing you sent. If this is about an incident, don't copy, forward or screenshot images of a child: type **report an incident** and describe what you saw.";

function carriesFiles(context: TurnContext): boolean {
  return (context.activity.attachments ?? []).some((a) => a.contentType === 'application/vnd.microsoft.teams.file.download.info' || a.contentType?.startsWith('image/'));
}

/** The turn's work was done but its form progress could not be written: another turn changed it at the same moment. */
export const PLACE_NOT_KEPT = "That was done and saved. I couldn't also keep your place in a form you have open, because it changed somewhere else at the same moment: if a form looks out of date, open it again.";
/** The same, when storage failed just after the work. */
export const PLACE_NOT_KEPT_STORAGE = "That was done and saved, but Lantern's storage failed just after, so your place in a form you have open may not be kept: if a form looks out of date, open it again.";

/** Set once a route's work has finished: a failure after it (saving turn state) must not undo or deny it. */
const WORK_DONE = Symbol('turn work done');

export const SOMETHING_WRONG = 'Sorry, something went wrong on my side and nothing was changed. Please try again; if it keeps happening, tell your IT team.';

export interface TeamsAppParts {
  settings: Settings;
  storage: TableStateStorage;
  dispatcher: Dispatcher;
  config: ConfigStore;
  directory: PeopleDirectory;
  files: FileOffers;
  welcome: (turn: Turn) => Promise<void>;
  /** Whether a message must be claimed before it runs (Dispatcher.needsClaim; in a trust, every school's). */
  needsClaim: (text: string) => boolean;
  /** After a team's roster was read again: Entra ids of roster people new to the team. */
  rosterChanged?: (change: { teamId: string; joined: string[] }) => Promise<void>;
  log: (message: string) => void;
  /** A trust of several schools: which school's desk each turn goes to (bot/trust). */
  schools?: {
    route(caller: Caller, action?: { verb: string; data: Record<string, unknown> }, text?: string): Promise<Routed>;
    ask(turn: Turn, candidates: SchoolDesk[], typed: string): Promise<void>;
    teamRoster(): Promise<Roster>;
  };
}

/** The part of one school a turn needs. */
type Desk = Pick<SchoolDesk, 'welcome'> & { config: Pick<ConfigStore, 'current'>; dispatcher: Pick<Dispatcher, 'handleMessage' | 'handleAction' | 'replays'> };

export function createAdapter(bot: Settings['bot'], keys?: TokenKeyEndpoints): TeamsAdapter {
  return new TeamsAdapter(botFrameworkConfig(bot, keys));
}

/**
 * The only place that knows teams-ai: it turns activities into Turns and hands them to the
 * framework-free Dispatcher. Replacing teams-ai means rewriting this folder, nothing else.
 */
/** What the HTTP server runs for each activity. */
export interface TeamsApp {
  app: Application<TurnState>;
  run(context: TurnContext): Promise<boolean>;
}

export function createTeamsApp(adapter: TeamsAdapter, parts: TeamsAppParts): TeamsApp {
  const { dispatcher, config, directory, files, log, needsClaim } = parts;
  const app = new Application<TurnState>({
    adapter,
    botAppId: parts.settings.bot.appId ?? '',
    storage: parts.storage,
    // Reads the user's row and claims the activity in it: one table request for a turn that changes
    // nothing. A message with no command or file is claimed by what it runs, or may repeat.
    turnStateFactory: () => new ClaimingTurnState(parts.storage, (context) => carriesFiles(context) || needsClaim(context.activity.text ?? '')),
    // teams-ai 1.x's run() starts its typing timer whatever this says: a turn slower than a second
    // shows "typing" first (one timer per app, so one turn at a time). Said here so no one relies on false.
    startTypingTimer: true,
    removeRecipientMention: true,
    longRunningMessages: false,
  });

  // Per process: what Teams said of a sender's email, for a short while (the refusals too).
  const emails = new MemberEmails();
  const single: Desk = { config, dispatcher, welcome: parts.welcome };
  const deskFor = async (context: TurnContext, action?: { verb: string; data: Record<string, unknown> }, text?: string): Promise<{ desk: Desk } | { ask: SchoolDesk[] } | { span: SchoolDesk[] }> => {
    if (!parts.schools) return { desk: single };
    const a = context.activity;
    const channel = (a.channelData as { channel?: { id?: string } } | undefined)?.channel?.id;
    return parts.schools.route({ conversationId: a.conversation.id, conversationType: addressOf(context).conversationType, channelId: channel, aadObjectId: a.from.aadObjectId, teamsUserId: a.from.id, lookUpEmail: () => emails.of(context) }, action, text);
  };

  const buildTurn = async (context: TurnContext, state: TurnState, text: string, desk: Desk = single): Promise<Turn> => {
    const address = addressOf(context);
    const roster = await desk.config.current();
    const actor = await resolveActor(context, roster, directory, address, () => emails.of(context));
    const channelData = (context.activity.channelData ?? {}) as { team?: { name?: string }; channel?: { name?: string } };
    const place: Place = { address, kind: address.conversationType, teamName: channelData.team?.name, channelName: channelData.channel?.name };
    return teamsTurn(context, state, actor, place, text, files);
  };

  /** Runs `work` once per activity id: a Teams redelivery is acknowledged and ignored. */
  const once = async (context: TurnContext, work: () => Promise<void>, onDuplicate: () => Promise<void>) => {
    const claim = claimOf(context);
    if (!claim?.claimed) {
      await (claim ? onDuplicate() : work());
      context.turnState.set(WORK_DONE, true);
      return;
    }
    try {
      await work();
    } catch (err) {
      await claim.release().catch(() => undefined);
      throw err;
    }
    context.turnState.set(WORK_DONE, true);
  };

  app.activity(ActivityTypes.ConversationUpdate, async (context, state) => {
    const botId = context.activity.recipient.id;
    // Read the roster first: a welcome that fails to post must not leave the team unknown.
    await (parts.schools ? parts.schools.teamRoster() : config.current())
      .then((roster) => syncTeamFromUpdate(context, roster, directory, log))
      .then((change) => (change?.joined.length ? parts.rosterChanged?.(change) : undefined))
      .catch((err) => log(`team roster: could not read the member list: ${(err as Error).message}`));
    if (!(context.activity.membersAdded ?? []).some((m) => m.id === botId)) return;
    await guard(context, log, async () => {
      const routed = await deskFor(context);
      const desk = 'desk' in routed ? routed.desk : 'ask' in routed ? routed.ask[0] : routed.span[0];
      await desk.welcome(await buildTurn(context, state, '', desk));
    });
  });

  app.activity(ActivityTypes.Message, async (context, state) => {
    await guard(context, log, () =>
      once(
        context,
        async () => {
          if (carriesFiles(context)) await context.sendActivity(FILES_REFUSED);
          const text = context.activity.text ?? '';
          if (!text.trim() && carriesFiles(context)) return;
          const routed = await deskFor(context, undefined, text);
          if ('ask' in routed) await parts.schools!.ask(await buildTurn(context, state, text, routed.ask[0]), routed.ask, carriesFiles(context) ? '' : text);
          // A trust-wide command (a trust officer's `cases`): each school answers for itself, in turn.
          else if ('span' in routed) for (const desk of routed.span) await desk.dispatcher.handleMessage(await buildTurn(context, state, text, desk));
          else await routed.desk.dispatcher.handleMessage(await buildTurn(context, state, text, routed.desk), { withFiles: carriesFiles(context) });
        },
        async () => undefined,
      ),
    );
  });

  app.addRoute(
    async (context) => context.activity.type === ActivityTypes.Invoke && context.activity.name === 'adaptiveCard/action',
    async (context, state) => {
      let result: ActionResult = { message: 'Already done.' };
      try {
        const action = readAction(context.activity.value);
        if (!action) {
          result = { message: "That button's data was not understood, so nothing was changed. Type **help** to start again." };
        } else {
          const routed = await deskFor(context, action);
          const handle = async () => {
            if (!('desk' in routed)) {
              // A press never spans schools (only typed text does); asking is the safe answer.
              const schools = 'ask' in routed ? routed.ask : routed.span;
              await parts.schools!.ask(await buildTurn(context, state, '', schools[0]), schools, '');
              result = { message: 'Choose the school first (the card below), then press the button again.' };
              return;
            }
            const turn = await buildTurn(context, state, '', routed.desk);
            result = await routed.desk.dispatcher.handleAction({ ...action, cardMessageId: context.activity.replyToId }, turn);
          };
          await once(context, handle, async () => ('desk' in routed && routed.desk.dispatcher.replays(action.verb) ? handle() : undefined));
        }
      } catch (err) {
        result = { message: friendlyError(err, log) };
      }
      await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body: invokeBody(result) } });
    },
    true,
  );

  // Allow or Decline on a file consent card. Teams only needs the 200; what happened is told in chat.
  app.addRoute(
    async (context) => context.activity.type === ActivityTypes.Invoke && context.activity.name === 'fileConsent/invoke',
    async (context) => {
      await guard(context, log, () =>
        once(
          context,
          async () => void (await context.sendActivity(await files.consent(context.activity.value, context.activity.from?.aadObjectId))),
          async () => undefined,
        ),
      );
      await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200 } });
    },
    true,
  );

  return {
    app,
    async run(context) {
      const { type } = context.activity;
      try {
        const handled = await app.run(context);
        // An invoke no route answers (a kind Lantern does not offer) still gets a 200, not the adapter's 501.
        if (type === ActivityTypes.Invoke && !context.turnState.get(INVOKE_RESPONSE_KEY)) {
          log(`ignored an invoke Lantern does not handle: ${String(context.activity.name).slice(0, 60)}`);
          await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200 } });
        }
        return handled;
      } catch (err) {
        // Saving turn state failed after the work was done: the claim stands (a retry would do it
        // twice) and "nothing was changed" would be false.
        if (context.turnState.get(WORK_DONE)) {
          log(`turn state not saved after the turn's work: ${(err as Error)?.message ?? String(err)}`);
          await context.sendActivity(err instanceof StorageUnavailableError ? PLACE_NOT_KEPT_STORAGE : PLACE_NOT_KEPT).catch(() => undefined);
          return true;
        }
        // The turn failed before a route ran (e.g. turn state unreadable): let Teams' retry through.
        const claim = claimOf(context);
        if (claim?.claimed) await claim.release().catch(() => undefined);
        // A press must still get its 200 with an answer, or Teams shows the button as broken.
        if (type === ActivityTypes.Invoke && !context.turnState.get(INVOKE_RESPONSE_KEY)) {
          const message = friendlyError(err, log);
          await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body: context.activity.name === 'adaptiveCard/action' ? invokeBody({ message }) : undefined } });
          if (context.activity.name !== 'adaptiveCard/action') await context.sendActivity(message).catch(() => undefined);
          return true;
        }
        throw err;
      }
    },
  };
}

function readAction(value: unknown): { verb: string; data: Record<string, unknown> } | undefined {
  const action = (value as { action?: { type?: unknown; verb?: unknown; data?: unknown } } | undefined)?.action;
  if (!action || action.type !== 'Action.Execute' || typeof action.verb !== 'string' || !/^[a-z][a-z0-9.-]{0,63}$/i.test(action.verb)) return undefined;
  const data = action.data && typeof action.data === 'object' && !Array.isArray(action.data) ? (action.data as Record<string, unknown>) : {};
  return { verb: action.verb, data };
}

function invokeBody(result: ActionResult) {
  return 'card' in result
    ? { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: result.card }
    : { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: result.message };
}

function friendlyError(err: unknown, log: (message: string) => void): string {
  if (err instanceof StorageUnavailableError) {
    log(`storage unavailable: ${err.message}`);
    return STORAGE_DOWN;
  }
  log(`turn failed: ${(err as Error)?.stack ?? String(err)}`);
  return SOMETHING_WRONG;
}

/** Message turns: answer with a plain sentence, never a stack trace. */
async function guard(context: TurnContext, log: (message: string) => void, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (err) {
    const text = friendlyError(err, log);
    await context.sendActivity(text).catch(() => undefined);
  }
}
