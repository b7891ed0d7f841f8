import type { Messenger, Outbound } from '../chat/turn';

/** The card data field naming the school whose card it is (a routing hint, never an authority). */
export const SCHOOL_FIELD = '_school';

/**
 * Puts the school's id into every Action.Execute of a card, so a press by someone in several
 * schools reaches the school that sent the card. The handler there still re-reads the record in
 * that school's partitions and checks the clicker against that school's roster.
 */
export function stampCard<T>(card: T, school: string): T {
  return mapExecuteData(card, (data) => ({ ...(data ?? {}), [SCHOOL_FIELD]: school })) as T;
}

/**
 * The card as rendered, before stampCard (a button that had no data was given some, so `dropEmpty`
 * chooses which of the two it was). The browser card check uses it to find a card's template.
 */
export function unstampCard(card: unknown, dropEmpty: boolean): unknown {
  return mapExecuteData(card, (data) => {
    const { [SCHOOL_FIELD]: _school, ...rest } = data ?? {};
    return dropEmpty && !Object.keys(rest).length ? undefined : rest;
  });
}

/** A copy of `node` with each Action.Execute's data replaced by `change(data)` (undefined drops it). */
function mapExecuteData(node: unknown, change: (data: Record<string, unknown> | undefined) => Record<string, unknown> | undefined): unknown {
  if (Array.isArray(node)) return node.map((n) => mapExecuteData(n, change));
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, mapExecuteData(v, change)]));
  if (out.type === 'Action.Execute') {
    const data = change(out.data && typeof out.data === 'object' ? (out.data as Record<string, unknown>) : undefined);
    if (data === undefined) delete out.data;
    else out.data = data;
  }
  return out;
}

export function stampOutbound<M extends string | Outbound>(message: M, school: string): M {
  if (typeof message === 'string' || !message.card) return message;
  const outbound: Outbound = message;
  return { ...outbound, card: stampCard(outbound.card, school) } as M;
}

/** The school's view of the shared messenger: its cards carry the school. */
export function schoolMessenger(messenger: Messenger, school: string): Messenger {
  return {
    post: (address, message) => messenger.post(address, stampOutbound(message, school)),
    update: (posted, message) => messenger.update(posted, stampOutbound(message, school)),
    toPerson: (who, message, options) => messenger.toPerson(who, stampOutbound(message, school), options),
  };
}
