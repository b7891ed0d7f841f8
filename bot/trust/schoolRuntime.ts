import type { Capability, Services } from '../chat/capability';
import type { Dispatcher } from '../chat/dispatcher';
import type { ActionResult, CardAction, Turn } from '../chat/turn';
import type { ConfigStore } from '../config/configStore';
import type { Destinations } from '../routing/destinations';
import type { Scheduler } from '../scheduler/scheduler';
import { SCHOOL_FIELD, stampCard, stampOutbound } from './schoolStamp';

/** One school of the trust running in this process: its configuration, capabilities and stores. */
export interface SchoolRuntime {
  readonly id: string;
  readonly name: string;
  readonly config: ConfigStore;
  readonly services: Services;
  readonly capabilities: Capability[];
  readonly dispatcher: Dispatcher;
  readonly destinations: Destinations;
  readonly scheduler: Scheduler;
  welcome(turn: Turn): Promise<void>;
}

/**
 * What the Teams layer hands a school's turn to. In a trust of several schools its cards carry the
 * school (stampCard), and the hint is taken out of a press's data before any handler sees it.
 */
export class SchoolDesk {
  constructor(readonly school: SchoolRuntime, private readonly stamped: boolean) {}

  get config(): ConfigStore {
    return this.school.config;
  }

  readonly dispatcher = {
    handleMessage: (turn: Turn, options?: { withFiles?: boolean }) => this.school.dispatcher.handleMessage(this.turn(turn), options),
    handleAction: async (action: CardAction, turn: Turn): Promise<ActionResult> => {
      const { [SCHOOL_FIELD]: _hint, ...data } = action.data;
      const result = await this.school.dispatcher.handleAction({ ...action, data }, this.turn(turn));
      return this.stamped && 'card' in result ? { card: stampCard(result.card, this.school.id) } : result;
    },
    replays: (verb: string) => this.school.dispatcher.replays(verb),
  };

  welcome(turn: Turn): Promise<void> {
    return this.school.welcome(this.turn(turn));
  }

  private turn(turn: Turn): Turn {
    if (!this.stamped) return turn;
    const id = this.school.id;
    return { ...turn, send: (message) => turn.send(stampOutbound(message, id)), update: (activityId, message) => turn.update(activityId, stampOutbound(message, id)) };
  }
}
