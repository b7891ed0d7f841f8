import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { TurnState } from '@microsoft/teams-ai';
import type { Actor, Outbound, Place, Turn } from '../chat/turn';
import { toActivity } from './teamsMessenger';

/** Adapts a botbuilder TurnContext + teams-ai TurnState to the framework-free Turn. */
export function teamsTurn(context: TurnContext, state: TurnState, actor: Actor, place: Place, text: string): Turn {
  const userMemory = state.user as Record<string, unknown>;
  return {
    activityId: context.activity.id ?? '',
    text,
    actor,
    place,
    async send(message: string | Outbound) {
      return (await context.sendActivity(toActivity(message)))?.id;
    },
    async update(activityId: string, message: Outbound) {
      await context.updateActivity({ ...toActivity(message), id: activityId, type: ActivityTypes.Message });
    },
    memory: {
      get: <T>(key: string) => userMemory[key] as T | undefined,
      set: <T>(key: string, value: T) => {
        userMemory[key] = value;
      },
    },
  };
}
