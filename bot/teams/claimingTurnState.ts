import { ActivityTypes, type Storage, type TurnContext } from 'botbuilder';
import { TurnState } from '@microsoft/teams-ai';
import type { TableStateStorage } from '../storage/tableStateStorage';

/** Whether this turn's activity was claimed, and how to let Teams' retry through if it fails. */
export interface TurnClaim {
  claimed: boolean;
  release(): Promise<void>;
}

const CLAIM = Symbol('activity claim');

/** The claim of a message or invoke turn; undefined for activities that are not claimed. */
export function claimOf(context: TurnContext): TurnClaim | undefined {
  return context.turnState.get(CLAIM) as TurnClaim | undefined;
}

/**
 * teams-ai turn state that reads one row per turn, the user's, and claims the activity in that
 * same row while reading it (one conditional write, no separate inbox row). A message `needsClaim`
 * says can go unclaimed reads the row from the cache instead, with no request. Lantern keeps
 * nothing in conversation state, so that scope lives in memory for the turn and is never read or
 * written.
 */
export class ClaimingTurnState extends TurnState {
  private conversationScope: Record<string, unknown> = {};
  private loading?: Promise<boolean>;

  constructor(
    private readonly store: TableStateStorage,
    private readonly needsClaim: (context: TurnContext) => boolean,
  ) {
    super();
  }

  override get conversation(): Record<string, unknown> {
    return this.conversationScope;
  }

  override set conversation(value: Record<string, unknown>) {
    this.conversationScope = value;
  }

  protected override async onComputeStorageKeys(context: TurnContext): Promise<Record<string, string>> {
    const { user } = await super.onComputeStorageKeys(context);
    return { user };
  }

  override load(context: TurnContext, storage?: Storage): Promise<boolean> {
    const { id, type } = context.activity;
    const conversationId = context.activity.conversation?.id;
    if (!id || !conversationId || (type !== ActivityTypes.Message && type !== ActivityTypes.Invoke)) return super.load(context, storage);
    this.loading ??= (async () => {
      const { user } = await this.onComputeStorageKeys(context);
      let item: Record<string, unknown> | undefined;
      if (type === ActivityTypes.Message && !this.needsClaim(context)) item = await this.store.cached(user);
      else {
        const { claimed, item: claimedRow } = await this.store.claim(user, conversationId, id);
        const claim: TurnClaim = { claimed, release: () => this.store.release(user, conversationId, id) };
        context.turnState.set(CLAIM, claim);
        item = claimedRow;
      }
      const prefetched: Storage = { read: async () => (item ? { [user]: item } : {}), write: async () => undefined, delete: async () => undefined };
      return super.load(context, prefetched);
    })();
    return this.loading;
  }
}
