import type { Messenger, Outbound } from '../chat/turn';

/** The card data field naming the school whose card it is (a routing hint, never an authority). */
export const SCHOOL_FIELD = '_school';

/**
 * Puts the school's id into every Action.Execute of a card, so a press by someone in several
 * schools reaches the school that sent the card. The handler there still re-reads the record in
 * that school's partitions and checks the clicker against that school's roster.
 */
export function stampCard<T>(card: T, school: string): T {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== 'object') return node;
    const out: Record<string, unknown> = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
    if (out.type === 'Action.Execute') out.data = { ...(out.data && typeof out.data === 'object' ? (out.data as Record<string, unknown>) : {}), [SCHOOL_FIELD]: school };
    return out;
  };
  return walk(card) as T;
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
