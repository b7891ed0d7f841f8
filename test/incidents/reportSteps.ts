import assert from 'node:assert/strict';
import type { Member } from '../support/fakeConnector';
import type { Harness, InvokeResult } from '../support/harness';
import { cardText, visibleText } from '../support/cards';
import { personalChat } from '../support/teamsChannel';

export interface ReportInput {
  danger?: boolean;
  section?: string;
  category: string;
  subject: string;
  preserved?: Record<string, string>;
  details: Record<string, string>;
}

export const PUPIL_DETAILS = {
  occurredOn: '2026-11-20',
  occurredAt: '13:40',
  place: 'online',
  pupilName: 'Jamie Example',
  pupilYear: 'Year 9',
  description: 'Group chat messages calling the pupil names every evening this week.',
  childsWords: 'They keep saying nobody likes me.',
  actionTaken: 'Reassured the pupil; told them I must pass this on.',
};

/** The text a click's answer shows: the card's text or the plain message. */
export function shown(res: InvokeResult): string {
  const v = res.body?.value;
  return typeof v === 'string' ? v : cardText(v);
}

/** The case reference in a receipt's headline, whether it was delivered, is the reporter's own, or was not delivered. */
export function refIn(receipt: string): string | undefined {
  return /^(?:Delivered to .*?: |You are .*?: |This case is yours to handle: |Not delivered: .*? Reference )([A-Z]{2,6}-\d{4}-\d{4})/m.exec(receipt)?.[1];
}

/** Clicks through the whole form as the reporter would; returns the receipt text and reference. */
export async function fileReport(h: Harness, user: Member, input: ReportInput): Promise<{ ref: string; receipt: string }> {
  await h.say(user, 'report an incident');
  let res = await h.click(user, 'incident.danger', { step: 'safety', answer: input.danger ? 'yes' : 'no', section: input.section ?? '' });
  if (input.danger) res = await h.click(user, 'incident.next', { step: 'danger' });
  res = await h.click(user, 'incident.next', { step: 'category', category: input.category, subject: input.subject });
  if (/Stop\. This may be illegal content/.test(shown(res))) res = await h.click(user, 'incident.next', { step: 'illegal', ...(input.preserved ?? {}) });
  res = await h.click(user, 'incident.next', { step: 'details', section: input.section ?? '', ...input.details });
  const receipt = shown(res);
  const ref = refIn(receipt);
  assert.ok(ref, `expected a receipt, got: ${receipt}`);
  return { ref: ref!, receipt };
}

/** Everything the bot sent 1:1 to this person (existing personal chat or a newly opened one). */
export function receivedBy(h: Harness, m: Member): string {
  const created = h.connector.created.filter((c) => c.parameters.members?.[0]?.id === m.id).map((c) => c.id);
  return h.connector.sent.filter((s) => s.conversationId === personalChat(m).id || created.includes(s.conversationId)).map(visibleText).join('\n---\n');
}

/** People who have chatted with Lantern, so Teams lets it open a 1:1 with them. */
export async function know(h: Harness, ...members: Member[]): Promise<void> {
  for (const m of members) await h.say(m, 'help');
}

/** `away on` / `away off` as a DSL does it: the typed command shows who will cover, the button makes it so. Returns both answers. */
export async function setAway(h: Harness, m: Member, away: boolean): Promise<{ confirm: string; done: string }> {
  const confirm = visibleText((await h.say(m, away ? 'away on' : 'away off'))[0]);
  const res = await h.click(m, 'incident.away', { away });
  return { confirm, done: cardText(res.body?.value) || String(res.body?.value ?? '') };
}
