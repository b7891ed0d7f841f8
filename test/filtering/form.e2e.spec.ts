import assert from 'node:assert/strict';
import { addDays } from '../../bot/filtering/dates';
import { RequestStore } from '../../bot/filtering/requestStore';
import { actionsOf, cardOf, cardText } from '../support/cards';
import type { Harness } from '../support/harness';
import { people } from '../support/people';
import { groupChat, personalChat, teamChannel } from '../support/teamsChannel';
import { cardBody, configWith, filteringHarness, formData, lastPrivate, messageOf, sendRequest, stored, today } from './helpers';

/** The red note under one input of a rendered form card. */
/** The list of elements holding the input `id`, at any depth (some inputs sit in folding containers). */
function siblingsOf(items: Array<Record<string, any>>, id: string): Array<Record<string, any>> | undefined {
  if (items.some((e) => e.id === id)) return items;
  for (const e of items) {
    const found = Array.isArray(e.items) ? siblingsOf(e.items, id) : undefined;
    if (found) return found;
  }
  return undefined;
}

function errorUnder(card: Record<string, any>, inputId: string): string | undefined {
  const list = siblingsOf(card.body, inputId) ?? [];
  const next = list[list.findIndex((e) => e.id === inputId) + 1];
  return next?.type === 'TextBlock' && next.color === 'Attention' ? next.text : undefined;
}

function input(card: Record<string, any>, id: string): Record<string, any> {
  return siblingsOf(card.body, id)?.find((e) => e.id === id) as Record<string, any>;
}

/** Ids of the inputs the person sees: those inside a folded container are left out. */
function inView(card: Record<string, any>, items: Array<Record<string, any>> = card.body, folded = false): string[] {
  return items.flatMap((e) => {
    const hidden = folded || e.isVisible === false;
    const own = typeof e.type === 'string' && e.type.startsWith('Input.') && !hidden ? [e.id as string] : [];
    return [...own, ...(Array.isArray(e.items) ? inView(card, e.items, hidden) : [])];
  });
}

function allInputs(card: Record<string, any>): string[] {
  const walk = (items: Array<Record<string, any>>): string[] => items.flatMap((e) => [...(typeof e.type === 'string' && e.type.startsWith('Input.') ? [e.id as string] : []), ...(Array.isArray(e.items) ? walk(e.items) : [])]);
  return walk(card.body);
}

describe('filter change request form (e2e over HTTP)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await filteringHarness();
  });
  afterEach(async () => h.stop());

  it('opens the form from typed text in personal chat, and 1:1 when asked in a channel or group chat', async () => {
    for (const text of ['request a filter change', 'web filter request', 'Request an unblock', 'unblock request']) {
      const replies = await h.say(people.teacher, text);
      assert.match(cardText(cardOf(replies[0])), /Request a web filter change/, text);
    }
    const inChannel = await h.say(people.teacher, 'request a filter change', teamChannel('Staffroom', 'Staff'));
    assert.equal(inChannel.length, 1);
    assert.equal(inChannel[0].activity.text, "I've sent you a private message");
    assert.match(lastPrivate(h, people.teacher), /Request a web filter change/);
    const inGroup = await h.say(people.teacher, 'request a filter change', groupChat('history-dept'));
    assert.equal(inGroup[0].activity.text, "I've sent you a private message");
  });

  it('takes a request only in the private chat: pressed on a card in a channel, nothing is sent and no card there shows the reason', async () => {
    const staffroom = teamChannel('Staffroom', 'Staff');
    const help = (await h.say(people.teacher, 'help', staffroom)).at(-1)!;
    const reason = 'Jamie Example in 9B needs the archive for a history project.';
    const preview = await h.click(people.teacher, 'filter.preview', formData({ reason }), staffroom, help.id);
    const send = await h.click(people.teacher, 'filter.send', {}, staffroom, help.id);
    // Were it sent, the DSL's sanction redraws the requester's receipt wherever it is.
    const reference = /FLT-\d{4}-\d{4}/.exec(cardText(send.body?.value))?.[0];
    if (reference) await h.click(people.seniorDsl, 'filter.approve', { reference, step: 'sanction', comment: '', filterReference: '' });
    const seen = [preview, send].map((r) => JSON.stringify(r.body?.value)).join('\n') + h.connector.updated.filter((u) => u.conversationId === staffroom.id).map((u) => JSON.stringify(u.activity)).join('\n');
    assert.doesNotMatch(seen, /Jamie|history project/);
    assert.match(messageOf(preview), /private chat/);
    assert.match(messageOf(send), /private chat/);
    assert.deepEqual(await new RequestStore(h.lantern.services.tables).all(), []);
  });

  it('filter.start (the policy answer button) sends the form as a new message with the URL normalised, or marks a bad one', async () => {
    const before = h.connector.messagesIn(personalChat(people.teacher).id).length;
    const res = await h.click(people.teacher, 'filter.start', { url: 'HTTPS://www.YouTube.com/watch?v=abc' });
    assert.match(messageOf(res), /form is below/);
    const sent = h.connector.messagesIn(personalChat(people.teacher).id).slice(before);
    assert.equal(sent.length, 1);
    assert.equal(input(cardOf(sent[0])!, 'target').value, 'youtube.com/watch');

    await h.click(people.teacher, 'filter.start', { url: 'javascript:alert(1)' });
    const bad = cardOf(h.connector.messagesIn(personalChat(people.teacher).id).at(-1))!;
    assert.equal(input(bad, 'target').value, '');
    assert.match(errorUnder(bad, 'target') ?? '', /is not a web address|Only web addresses/);

    const staffroom = teamChannel('Staffroom', 'Staff');
    const privateBefore = h.connector.messagesIn(personalChat(people.teacher).id).length;
    const fromChannel = await h.click(people.teacher, 'filter.start', { url: 42 }, staffroom);
    assert.equal(messageOf(fromChannel), "I've sent you a private message");
    assert.equal(h.connector.messagesIn(staffroom.id).length, 0, 'the button answers once, with nothing posted in the channel');
    assert.equal(h.connector.messagesIn(personalChat(people.teacher).id).length, privateBefore + 1);
  });

  it('re-shows the form with each error under its field and keeps what was typed', async () => {
    const typed = { ...formData({ reason: 'short', endDate: addDays(today(), 400), audience: 'group', audienceDetail: '', neededBy: '' }), target: 'not a url', url: '' };
    const card = cardBody(await h.click(people.teacher, 'filter.preview', typed));
    assert.match(cardText(card), /Some answers need a look/);
    assert.match(errorUnder(card, 'target')!, /no spaces.*Or name one of the filter categories/);
    assert.match(errorUnder(card, 'reason')!, /Give the educational reason/);
    assert.match(errorUnder(card, 'endDate')!, /up to 120 days/);
    assert.match(errorUnder(card, 'audienceDetail')!, /Name the group/);
    assert.equal(errorUnder(card, 'change'), undefined);
    assert.equal(errorUnder(card, 'neededBy'), undefined, 'the needed-by date is optional');
    assert.deepEqual(inView(card), ['target', 'change', 'audience', 'audienceDetail', 'duration', 'endDate', 'reason'], 'the group field opened itself for its error');
    assert.equal(input(card, 'target').value, 'not a url');
    assert.equal(input(card, 'reason').value, 'short');
    assert.match(input(card, 'reason').label, /up to 1000 characters/);
    const categories = (card.body as any[]).find((e) => e.id === 'category-list');
    assert.equal(categories.isVisible, true, 'a word that is no website: the category list opens beside the error');

    const urls: Array<[string, RegExp]> = [
      ['ftp://files.example.org/x', /Only web addresses/],
      ['https://user:pw@example.org', /user name or password/],
      ['localhost', /does not look like a website address/],
      ['https://exa_mple.org', /is not a web address|does not look like a website address/],
      ['x'.repeat(501), /limit is 500/],
      ['', /Enter the website address, or the name of a filter category/],
    ];
    for (const [target, why] of urls) {
      const c = cardBody(await h.click(people.teacher, 'filter.preview', { ...formData(), target, url: '' }));
      assert.match(errorUnder(c, 'target') ?? '', why, target);
    }
    const longReason = cardBody(await h.click(people.teacher, 'filter.preview', formData({ reason: 'r'.repeat(1001) })));
    assert.match(errorUnder(longReason, 'reason')!, /1001 characters; the limit is 1000/);
    const past = cardBody(await h.click(people.teacher, 'filter.preview', formData({ neededBy: addDays(today(), -1) })));
    assert.match(errorUnder(past, 'neededBy')!, /has passed/);
    assert.ok(inView(past).includes('neededBy'), 'the date fold opens itself for its error');
    const noEnd = cardBody(await h.click(people.teacher, 'filter.preview', formData({ endDate: '' })));
    assert.match(errorUnder(noEnd, 'endDate')!, /needs an end date/);
    const badSection = cardBody(await h.click(people.teacher, 'filter.preview', formData({ audience: 'section:Sixth Form', audienceDetail: '' })));
    assert.match(errorUnder(badSection, 'audience')!, /Name the section: one of Pre-Prep, Prep, Senior/);
    const garbage = cardBody(await h.click(people.teacher, 'filter.preview', { target: ['example.org'], change: 'open', audience: 7 }));
    assert.match(errorUnder(garbage, 'target')!, /Enter the website address/);
    assert.match(errorUnder(garbage, 'change')!, /Choose block or unblock/);
    assert.match(errorUnder(garbage, 'audience')!, /Choose who the change is for/);
    assert.equal((await new RequestStore(h.lantern.services.tables).all()).length, 0, 'nothing was stored');
  });

  it('asks at most six things in view: one box for a website or a category, sections in the list, the rest folded until it applies', async () => {
    const years = (await h.lantern.services.config.current()).sections().flatMap((s) => s.years);
    assert.ok(years.length > 5, 'the example school lists its year groups');
    const opened = await h.say(people.teacher, 'request a filter change');
    const form = cardOf(opened.at(-1))!;
    assert.deepEqual(inView(form), ['target', 'change', 'audience', 'duration', 'endDate', 'reason'], 'six inputs in view on a new form');
    assert.deepEqual(allInputs(form), ['target', 'change', 'audience', 'audienceDetail', 'duration', 'endDate', 'reason', 'neededBy'], 'folded: the year or group, and the needed-by date');
    assert.deepEqual(
      input(form, 'audience').choices.map((c: any) => c.title),
      ['Staff', 'All pupils', 'Pupils in Pre-Prep', 'Pupils in Prep', 'Pupils in Senior', ...years.map((y) => `Pupils in ${y}`), 'One group of pupils'],
      "the roster's sections and year groups are choices, never typed",
    );
    assert.equal(actionsOf(form).some((a) => a.verb === 'filter.kind'), false, 'no website/category switch');
    const preview = actionsOf(form).find((a) => a.verb === 'filter.preview')!;
    assert.deepEqual(preview.data, {}, 'Check my request carries nothing but the inputs');

    // A category is known by its name, typed loosely; a section comes from the list.
    const category = cardText(cardBody(await h.click(people.teacher, 'filter.preview', { ...formData({ audience: 'section:Senior', audienceDetail: '' }), target: 'video-streaming', url: '' })));
    assert.match(category, /Category\s*Video streaming/);
    assert.match(category, /Pupils in Senior/);
    const edit = cardBody(await h.click(people.teacher, 'filter.edit'));
    assert.equal(input(edit, 'target').value, 'Video streaming');
    assert.equal(input(edit, 'audience').value, 'section:Senior');
    assert.deepEqual(inView(edit), ['target', 'change', 'audience', 'duration', 'endDate', 'reason', 'neededBy'], 'a section needs no detail field; the date given opens its fold');
    // Permanent: the re-shown form folds the end date away, as it no longer applies.
    const permanent = cardBody(await h.click(people.teacher, 'filter.preview', { ...formData({ duration: 'permanent', endDate: '', neededBy: '' }), target: '', url: '' }));
    assert.deepEqual(inView(permanent), ['target', 'change', 'audience', 'duration', 'reason']);
    const reference = await sendRequest(h, people.teacher, { audience: 'section:Senior', audienceDetail: '', duration: 'permanent', endDate: '', neededBy: '' });
    const request = await stored(h, reference);
    assert.equal(request.details.audienceDetail, 'Senior');
    assert.equal(request.details.neededBy, today(), 'no date given: needed as soon as possible');
    // A year group is picked from the list too; one the school has not got is refused beside the list.
    const year = cardText(cardBody(await h.click(people.teacher, 'filter.preview', formData({ audience: 'year:Year 9', audienceDetail: '' }))));
    assert.match(year, /Pupils in Year 9/);
    const noYear = cardBody(await h.click(people.teacher, 'filter.preview', formData({ audience: 'year:Year 14', audienceDetail: '' })));
    assert.match(errorUnder(noYear, 'audience')!, /year group the school has/);
    // An older card's typed year shows as its choice in the list.
    const oldYear = cardBody(await h.click(people.teacher, 'filter.kind', formData({ audience: 'year', audienceDetail: 'year 9' })));
    assert.equal(input(oldYear, 'audience').value, 'year:Year 9');
    assert.equal(inView(oldYear).includes('audienceDetail'), false);
  });

  it('keeps a half-filled form through a restart and shows it again when the form is asked for', async () => {
    const half = { target: 'www.bbc.co.uk/bitesize', change: 'unblock', audience: 'year:Year 8', audienceDetail: '', duration: 'temporary', endDate: '', reason: 'Revision for the end-of-unit test', neededBy: '' };
    const first = cardBody(await h.click(people.teacher, 'filter.preview', half));
    assert.match(errorUnder(first, 'endDate')!, /needs an end date/);
    await h.restart();
    const again = cardOf((await h.say(people.teacher, 'request a filter change')).at(-1))!;
    assert.match(cardText(again), /This is the request you started: nothing has been sent yet/);
    assert.equal(input(again, 'target').value, 'www.bbc.co.uk/bitesize');
    assert.equal(input(again, 'audience').value, 'year:Year 8');
    assert.equal(input(again, 'reason').value, 'Revision for the end-of-unit test');
    await h.click(people.teacher, 'filter.cancel');
    const fresh = cardOf((await h.say(people.teacher, 'request a filter change')).at(-1))!;
    assert.equal(input(fresh, 'target').value, '', 'cancelled: a new form is empty');
  });

  it('still takes the website and category fields of cards sent before the one box', async () => {
    const legacy = cardBody(await h.click(people.teacher, 'filter.kind', { ...formData({ reason: 'Typed before switching.' }), targetKind: 'category', category: 'Online games', url: '' }));
    assert.equal(input(legacy, 'target').value, 'Online games');
    assert.equal(input(legacy, 'reason').value, 'Typed before switching.');
    const missing = cardBody(await h.click(people.teacher, 'filter.preview', formData({ targetKind: 'category', category: 'Knitting', url: '' })));
    assert.match(errorUnder(missing, 'target')!, /Choose one of the filter categories/);
    const oldSection = cardBody(await h.click(people.teacher, 'filter.kind', formData({ audience: 'section', audienceDetail: 'senior' })));
    assert.equal(input(oldSection, 'audience').value, 'section:Senior');
  });

  it('shows a summary first, lets the requester change it, and sends exactly once', async () => {
    const summary = cardText(cardBody(await h.click(people.teacher, 'filter.preview', formData())));
    assert.match(summary, /Check your filter change request/);
    assert.match(summary, /example-history\.org\/holocaust\/sources/);
    assert.match(summary, /Pupils in Year 9/);
    assert.match(summary, /Nothing has been sent yet/);
    const edit = cardBody(await h.click(people.teacher, 'filter.edit'));
    assert.equal(input(edit, 'target').value, 'example-history.org/holocaust/sources');
    assert.equal(input(edit, 'audienceDetail').value, 'Year 9');
    await h.click(people.teacher, 'filter.preview', formData({ audience: 'group', audienceDetail: '9H History' }));
    const sent = cardText(cardBody(await h.click(people.teacher, 'filter.send')));
    const reference = /Request (FLT-\d{4}-\d{4}) sent/.exec(sent)![1];
    assert.equal((await stored(h, reference)).details.audienceDetail, '9H History');
    // Pressed again: the same receipt, nothing sent twice.
    assert.match(cardText(cardBody(await h.click(people.teacher, 'filter.send'))), new RegExp(`Request ${reference} sent`));
    assert.equal((await new RequestStore(h.lantern.services.tables).all()).length, 1);
  });

  it('refuses never-allowed categories at once, with the reason, and audits it', async () => {
    const res = await h.click(people.teacher, 'filter.preview', formData({ targetKind: 'category', category: 'Terrorist content (police CTIRU list)', url: '' }));
    assert.match(messageOf(res), /"Terrorist content \(police CTIRU list\)" is a category the school never unblocks/);
    assert.match(messageOf(await h.click(people.teacher, 'filter.send')), /no filter request waiting/);
    const audit = await h.lantern.services.audit.history('filter-request', 'category:Terrorist content (police CTIRU list)');
    assert.equal(audit[0]?.action, 'filter.refused');
    // Blocking the same category is fine.
    const block = cardText(cardBody(await h.click(people.teacher, 'filter.preview', formData({ targetKind: 'category', category: 'Terrorist content (police CTIRU list)', change: 'block', url: '' }))));
    assert.match(block, /Check your filter change request/);
    assert.equal((await new RequestStore(h.lantern.services.tables).all()).length, 0);
  });

  it('numbers requests in sequence per year and sends the sanction card to the senior DSL only', async () => {
    const first = await sendRequest(h, people.teacher);
    const second = await sendRequest(h, people.teacher2, { targetKind: 'category', category: 'Video streaming', url: '', duration: 'permanent', endDate: '' });
    const year = new Date().getUTCFullYear();
    assert.deepEqual([first, second], [`FLT-${year}-0001`, `FLT-${year}-0002`]);
    assert.match(lastPrivate(h, people.seniorDsl), new RegExp(`Web filter change ${second}`));
    assert.doesNotMatch(lastPrivate(h, people.seniorDeputy), /Web filter change/);
    assert.equal((await stored(h, second)).details.target, 'Video streaming');
  });
});

describe('filter settings in the school configuration', () => {
  it("refuses sites on the school's never-allow list, subdomains included", async () => {
    const h = await filteringHarness({ env: { SCHOOL_CONFIG: await configWith('  neverAllowSites: [proxy-unblocker.example, games.example.org/casino]') } });
    try {
      const refused = messageOf(await h.click(people.teacher, 'filter.preview', formData({ url: 'https://www.eu.proxy-unblocker.example/start' })));
      assert.match(refused, /eu\.proxy-unblocker\.example\/start is on the school's never-allow list \(proxy-unblocker\.example\)/);
      assert.match(messageOf(await h.click(people.teacher, 'filter.preview', formData({ url: 'games.example.org/casino/slots' }))), /never-allow list/);
      assert.match(cardText(cardBody(await h.click(people.teacher, 'filter.preview', formData({ url: 'games.example.org/chess' })))), /Check your filter change request/);
    } finally {
      await h.stop();
    }
  });


  it('refuses to start when filtering.dslSection names no section', async () => {
    await assert.rejects(filteringHarness({ env: { SCHOOL_CONFIG: await configWith('  dslSection: Sixth Form') } }), /filtering\.dslSection: "Sixth Form" is not one of the school's sections \(Pre-Prep, Prep, Senior\)/);
  });

  it('refuses to start with a bad filtering section, naming the field', async () => {
    const file = await configWith('  reviewAfterDays: 0\n  chain: [authorise, make]');
    await assert.rejects(filteringHarness({ env: { SCHOOL_CONFIG: file } }), (err: Error) => {
      assert.match(err.message, /filtering\.reviewAfterDays/);
      assert.match(err.message, /filtering\.chain: must include sanction and make/);
      return true;
    });
  });
});
