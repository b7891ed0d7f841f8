import type { FakeConnector, SentActivity } from './fakeConnector';

/** The Adaptive Card in a sent activity, or undefined. */
export function cardOf(sent: SentActivity | { activity: Record<string, any> } | undefined): Record<string, any> | undefined {
  const att = sent?.activity?.attachments?.find((a: any) => a.contentType === 'application/vnd.microsoft.card.adaptive');
  return att?.content;
}

/** Every piece of text a person would read on a card: TextBlocks, facts, inputs' labels, buttons. */
export function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    for (const key of ['text', 'title', 'label', 'placeholder', 'value', 'errorMessage']) if (typeof n[key] === 'string') out.push(n[key] as string);
    Object.values(n).forEach(walk);
  };
  walk(card);
  return out.join('\n');
}

/** Text of a sent message, or of its card. */
export function visibleText(sent: SentActivity | undefined): string {
  if (!sent) return '';
  return [sent.activity.text ?? '', cardText(cardOf(sent))].filter(Boolean).join('\n');
}

/** All Action.Execute actions on a card, by verb. */
export function actionsOf(card: unknown): Array<{ title: string; verb: string; data: Record<string, unknown> }> {
  const found: Array<{ title: string; verb: string; data: Record<string, unknown> }> = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, any>;
    if (n.type === 'Action.Execute') found.push({ title: n.title, verb: n.verb, data: n.data ?? {} });
    Object.values(n).forEach(walk);
  };
  walk(card);
  return found;
}

/**
 * Every card the bot posted, as it looks now: the last update of each message (by activity id),
 * else the card as first posted. `conversationId` keeps one place; `about` keeps cards whose text
 * matches (e.g. a record's reference).
 */
export function latestCards(connector: FakeConnector, filter: { conversationId?: string; about?: RegExp } = {}): Array<{ conversationId: string; activityId: string; card: Record<string, any> }> {
  const out: Array<{ conversationId: string; activityId: string; card: Record<string, any> }> = [];
  for (const s of connector.sent) {
    if (filter.conversationId && s.conversationId !== filter.conversationId) continue;
    const update = connector.updated.filter((u) => u.activityId === s.id).at(-1);
    const card = cardOf(update ?? s);
    if (card && (!filter.about || filter.about.test(cardText(card)))) out.push({ conversationId: s.conversationId, activityId: s.id, card });
  }
  return out;
}
