import assert from 'node:assert/strict';
import type { Campaigns } from '../../bot/acknowledgements/campaigns';
import { actionsOf, cardOf, cardText, visibleText } from '../support/cards';
import type { Member, SentActivity } from '../support/fakeConnector';
import type { Harness } from '../support/harness';
import { personalChat } from '../support/teamsChannel';
import { openedChatWith } from '../reach/reachSteps';

export const AUP = 'staff-acceptable-use-policy.md';
export const REQUEST_TITLE = /Please read and acknowledge: Staff Acceptable Use Policy/;

/** The acknowledgements capability's domain object, to wait for the queue to drain. */
export function campaignsOf(h: Harness): Campaigns {
  const cap = h.lantern.capabilities.find((c) => c.name === 'acknowledgements') as unknown as { campaigns: Campaigns } | undefined;
  assert.ok(cap?.campaigns, 'the acknowledgements capability is running');
  return cap.campaigns;
}

/**
 * Works the broadcast queue as the scheduler would, until nothing is left to send (retries after
 * a 429 included); rows waiting beyond `withinMs` (a retry hours away) are left queued.
 */
export async function drained(h: Harness, withinMs = 15_000): Promise<void> {
  const worker = campaignsOf(h).worker;
  const deadline = performance.now() + withinMs;
  for (;;) {
    await worker.drain();
    const next = await worker.queue.nextDue();
    if (next === undefined) return;
    const wait = next - Date.now();
    if (performance.now() + wait > deadline) return;
    await new Promise((r) => setTimeout(r, Math.max(10, wait)));
  }
}

/** The lead types the command, then fills in and sends the start form. */
export async function startCampaign(h: Harness, lead: Member, values: { document?: string; audience: string; note?: string; due: string; typed?: string }): Promise<{ reply: string; form: Record<string, any> }> {
  const replies = await h.say(lead, `ask staff to acknowledge ${values.typed ?? 'staff acceptable use policy'}`);
  const form = cardOf(replies.find((r) => cardOf(r)));
  assert.ok(form, `expected the start form, got: ${replies.map((r) => visibleText(r)).join(' | ')}`);
  const start = actionsOf(form).find((a) => a.verb === 'acks.start')!;
  const res = await h.click(lead, 'acks.start', { ...start.data, note: values.note ?? 'Section 4 on personal devices is new.', audience: values.audience, due: values.due });
  return { reply: String(res.body?.value ?? ''), form };
}

/** Request cards (and reminders) Lantern sent to `member` 1:1. */
export function requestsTo(h: Harness, member: Member, title: RegExp = REQUEST_TITLE): SentActivity[] {
  const chats = [openedChatWith(h, member), personalChat(member).id].filter(Boolean) as string[];
  return h.connector.sent.filter((s) => chats.includes(s.conversationId) && title.test(cardText(cardOf(s))));
}

/** Presses "I have read it and will follow it" on a card, as Teams sends it. */
export async function acknowledge(h: Harness, member: Member, card: SentActivity): Promise<string> {
  const confirm = actionsOf(cardOf(card)).find((a) => a.verb === 'acks.confirm');
  assert.ok(confirm, 'the card has the acknowledge button');
  const res = await h.click(member, 'acks.confirm', confirm.data, { id: card.conversationId, conversationType: 'personal' }, card.id);
  const v = res.body?.value;
  return typeof v === 'string' ? v : cardText(v);
}

/** The lead's progress card as it stands now (its last update, else as posted). */
export function progressText(h: Harness, lead: Member): string {
  const chat = personalChat(lead).id;
  const posted = h.connector.sent.filter((s) => s.conversationId === chat && /^Acknowledgements:/.test(cardText(cardOf(s)))).at(-1);
  assert.ok(posted, 'a progress card was posted to the lead');
  const update = h.connector.updated.filter((u) => u.activityId === posted.id).at(-1);
  return cardText(cardOf(update ?? posted));
}
