import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { listPostedCards, type PostedCard } from '../../bot/cards/recordCards';
import { filteringModule } from '../../bot/filtering';
import { addDays, isoDate } from '../../bot/filtering/dates';
import type { FilterRequest } from '../../bot/filtering/filterRequest';
import { RequestStore } from '../../bot/filtering/requestStore';
import { cardOf, cardText, latestCards } from '../support/cards';
import type { Member, SentActivity } from '../support/fakeConnector';
import { consentCards, receiveFiles } from '../support/fileConsent';
import { startHarness, type Harness, type InvokeResult } from '../support/harness';
import { people } from '../support/people';
import { personalChat, teamChannel } from '../support/teamsChannel';
import { parseCsv } from './parseCsv';

export const IT_CHANNEL = teamChannel('Filter Requests', 'IT');

export function today(): string {
  return isoDate(new Date());
}

/**
 * A complete, valid request form in the fields cards sent before the one website-or-category box
 * (`targetKind`, `url`, `category`), which the server still reads; form tests send `target` too.
 */
export function formData(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    targetKind: 'website',
    url: 'https://www.Example-History.org/holocaust/sources?lang=en#top',
    category: '',
    change: 'unblock',
    audience: 'year',
    audienceDetail: 'Year 9',
    duration: 'temporary',
    endDate: addDays(today(), 20),
    reason: 'Year 9 history unit on the Holocaust: pupils use the primary sources archive in lessons.',
    neededBy: addDays(today(), 2),
    ...overrides,
  };
}

/** A copy of the example school configuration with these lines as its `filtering:` section. */
export async function configWith(filtering: string): Promise<string> {
  const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'lantern-filter-')), 'school.yaml');
  const example = readFileSync(path.resolve(__dirname, '../../bot/config/school.example.yaml'), 'utf8');
  await writeFile(file, `${example}\nfiltering:\n${filtering}\n`);
  return file;
}

/**
 * A harness with the filtering module, the IT channel registered and the people who act on
 * requests known to Teams (they have chatted with Lantern), so 1:1 cards can reach them.
 */
export async function filteringHarness(options: { itChannel?: boolean; env?: Record<string, string> } = {}): Promise<Harness> {
  const h = await startHarness({ modules: [filteringModule], env: options.env });
  for (const who of [people.seniorDsl, people.seniorDeputy, people.pastoralHead, people.itManager, people.technician, people.technician2, people.teacher, people.teacher2]) {
    await h.say(who, 'help');
  }
  if (options.itChannel !== false) await h.say(people.itManager, 'register it', IT_CHANNEL);
  return h;
}

export function cardBody(res: InvokeResult): Record<string, any> {
  assert.equal(res.body?.type, 'application/vnd.microsoft.card.adaptive', `expected a card, got: ${JSON.stringify(res.body?.value).slice(0, 300)}`);
  return res.body!.value;
}

export function messageOf(res: InvokeResult): string {
  assert.equal(res.body?.type, 'application/vnd.microsoft.activity.message', `expected a message, got a card: ${cardText(res.body?.value).slice(0, 300)}`);
  return res.body!.value as string;
}

/** Fills in, checks and sends a request; returns its reference. */
export async function sendRequest(h: Harness, user: Member, overrides: Record<string, string> = {}): Promise<string> {
  const preview = await h.click(user, 'filter.preview', formData(overrides));
  assert.match(cardText(cardBody(preview)), /Check your filter change request/);
  const sent = cardText(cardBody(await h.click(user, 'filter.send')));
  const reference = /Request (FLT-\d{4}-\d{4}) sent/.exec(sent)?.[1];
  assert.ok(reference, `no reference in: ${sent}`);
  return reference;
}

export async function stored(h: Harness, reference: string): Promise<FilterRequest> {
  const found = await new RequestStore(h.lantern.services.tables).get(reference);
  assert.ok(found, `${reference} is not stored`);
  return found.value;
}

export function act(h: Harness, user: Member, verb: 'filter.approve' | 'filter.decline', reference: string, step: string, extra: Record<string, string> = {}): Promise<InvokeResult> {
  return h.click(user, verb, { reference, step, comment: '', filterReference: '', ...extra });
}

/** Text of the last message the bot sent 1:1 to someone. */
export function lastPrivate(h: Harness, user: Member): string {
  const sent = h.connector.messagesIn(personalChat(user).id).at(-1);
  return [sent?.activity.text ?? '', cardText(cardOf(sent))].join('\n');
}

export function privateMessages(h: Harness, user: Member): string[] {
  return h.connector.messagesIn(personalChat(user).id).map((s) => [s.activity.text ?? '', cardText(cardOf(s))].join('\n'));
}

/** Where the request's cards were posted, as Lantern keeps them for updating. */
export function postedCards(h: Harness, reference: string): Promise<PostedCard[]> {
  return listPostedCards(h.lantern.services.tables, 'filter', reference);
}

/** The request's one card in the IT channel, as it looks now (after every update). */
export function itCardNow(h: Harness, reference: string): Record<string, any> {
  const cards = latestCards(h.connector, { conversationId: IT_CHANNEL.id, about: new RegExp(reference) });
  assert.equal(cards.length, 1, `${reference} has ${cards.length} cards in the IT channel`);
  return cards[0].card;
}

export function channelCards(h: Harness): Array<Record<string, any>> {
  return h.connector.messagesIn(IT_CHANNEL.id).map((s) => cardOf(s)).filter((c): c is Record<string, any> => !!c);
}

/** Takes a sent request through every step to "in force". */
export async function completeChain(h: Harness, reference: string, filterReference = 'SW-4471'): Promise<void> {
  for (const [who, step, extra] of [
    [people.seniorDsl, 'sanction', {}],
    [people.itManager, 'authorise', {}],
    [people.technician, 'make', { filterReference }],
    [people.pastoralHead, 'confirm', {}],
  ] as const) {
    assert.match(cardText(cardBody(await act(h, who, 'filter.approve', reference, step, extra))), /Thank you/, `${step} of ${reference}`);
  }
}

/** The last export sent 1:1 to `user`: the message with its summary card, then one file offer per file. */
export function lastExport(h: Harness, user: Member): SentActivity[] {
  const sent = h.connector.messagesIn(personalChat(user).id);
  let first = sent.length;
  while (first > 0 && consentCards([sent[first - 1]]).length) first--;
  return sent.slice(Math.max(0, first - 1));
}

/**
 * The CSV files of the last export sent 1:1 to `user`, received as the person would (Allow on each
 * consent card, upload to OneDrive), keyed by name without the date. Each must be text/csv in
 * UTF-8 with a byte-order mark; `text` is without the mark.
 */
export async function exportedCsv(h: Harness, user: Member): Promise<Record<string, { text: string; rows: string[][] }>> {
  const files = (await receiveFiles(h, user, lastExport(h, user))).filter((f) => f.name.endsWith('.csv'));
  assert.ok(files.length, 'no CSV file offered');
  const out: Record<string, { text: string; rows: string[][] }> = {};
  for (const file of files) {
    assert.equal(file.contentType, 'text/csv', `${file.name} is not uploaded as text/csv`);
    const text = file.bytes.toString('utf8');
    assert.ok(text.startsWith('\uFEFF'), `${file.name} has no byte-order mark, so Excel would garble accents`);
    out[file.name.replace(/-\d{4}-\d{2}-\d{2}\.csv$/, '')] = { text: text.slice(1), rows: parseCsv(text.slice(1)) };
  }
  return out;
}

/** The rows of each CSV file of the last export sent 1:1 to `user` (see exportedCsv). */
export async function attachedCsv(h: Harness, user: Member): Promise<Record<string, string[][]>> {
  return Object.fromEntries(Object.entries(await exportedCsv(h, user)).map(([name, file]) => [name, file.rows]));
}

/** A stored request as the chain leaves it at the sanction step; tests override what they need. */
export function filterRequest(overrides: Partial<FilterRequest> = {}): FilterRequest {
  return {
    reference: 'FLT-2026-0001',
    details: { targetKind: 'website', target: 'example.org', change: 'unblock', audience: 'staff', duration: 'temporary', endDate: '2026-12-10', reason: 'Research for a unit', neededBy: '2026-11-25' },
    requestedBy: { id: 'cshaw', name: 'Chris Shaw' },
    requestedAt: '2026-11-22T09:00:00.000Z',
    status: 'in-progress',
    step: 'sanction',
    chain: ['sanction', 'authorise', 'make', 'confirm'],
    history: [],
    reviews: [],
    ...overrides,
  };
}
