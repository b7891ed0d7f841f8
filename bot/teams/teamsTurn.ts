import type { TurnContext } from 'botbuilder';
import type { TurnState } from '@microsoft/teams-ai';
import type { Actor, Outbound, Place, Turn } from '../chat/turn';
import type { FileOffers } from './fileOffers';
import { sendAll, toUpdate } from './teamsMessenger';
import { own, setOwn } from '../core/ownLookup';

/** Adapts a botbuilder TurnContext + teams-ai TurnState to the framework-free Turn. */
export function teamsTurn(context: TurnContext, state: TurnState, actor: Actor, place: Place, text: string, files: FileOffers): Turn {
  const userMemory = state.user as Record<string, unknown>;
  // The adapter leaves the JSON's string as it came; a Date only where a caller built one.
  const sentAt = context.activity.timestamp ? new Date(context.activity.timestamp) : undefined;
  return {
    activityId: context.activity.id ?? '',
    sentAt: sentAt && !Number.isNaN(sentAt.getTime()) ? sentAt : undefined,
    text,
    actor,
    place,
    async send(message: string | Outbound) {
      return sendAll(context, await files.activities(message, { personal: place.kind === 'personal', owner: actor.aadObjectId }));
    },
    async update(activityId: string, message: Outbound) {
      await context.updateActivity(toUpdate(message, activityId));
    },
    memory: {
      get: <T>(key: string) => own(userMemory, key) as T | undefined,
      set: <T>(key: string, value: T) => {
        setOwn<unknown>(userMemory, key, value);
      },
    },
  };
}
