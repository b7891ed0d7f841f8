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

  it('filter.start (the policy answer button) sends the form as a new message with the URL normalised, or marks a bad one', async () => {
    const before = h.connector.messagesIn(personalChat(people.teacher).id).length;
    const res = await h.click(people.teacher, 'filter.start', { url: 'HTTPS://www.YouTube.com/watch?v=abc' });
    assert.match(messageOf(res), /form is below/);
    const sent = h.connector.messagesIn(personalChat(people.teacher).id).slice(before);
    assert.equal(sent.length, 1);
    assert.equal(input(cardOf(sent[0])!, 'url').value, 'youtube.com/watch');

    await h.click(people.teacher, 'filter.start', { url: 'javascript:alert(1)' });
    const bad = cardOf(h.connector.messagesIn(personalChat(people.teacher).id).at(-1))!;
    assert.equal(input(bad, 'url').value, '');
    assert.match(errorUnder(bad, 'url') ?? '', /is not a web address|Only web addresses/);

    const staffroom = teamChannel('Staffroom', 'Staff');
    const privateBefore = h.connector.messagesIn(personalChat(people.teacher).id).length;
    const fromChannel = await h.click(people.teacher, 'filter.start', { url: 42 }, staffroom);
    assert.equal(messageOf(fromChannel), "I've sent you a private message");
    assert.equal(h.connector.messagesIn(staffroom.id).length, 0, 'the button answers once, with nothing posted in the channel');
    assert.equal(h.connector.messagesIn(personalChat(people.teacher).id).length, privateBefore + 1);
  });

  it('re-shows the form with each error under its field and keeps what was typed', async () => {
    const typed = formData({ url: 'not a url', reason: 'short', neededBy: '', endDate: addDays(today(), 400), audience: 'section', audienceDetail: 'Sixth Form' });
    const card = cardBody(await h.click(people.teacher, 'filter.preview', typed));
    assert.match(cardText(card), /Some answers need a look/);
    assert.match(errorUnder(card, 'url')!, /no spaces/);
    assert.match(errorUnder(card, 'reason')!, /Give the educational reason/);
    assert.match(errorUnder(card, 'neededBy')!, /Enter the date you need the change by/);
    assert.match(errorUnder(card, 'endDate')!, /up to 120 days/);
    assert.match(errorUnder(card, 'audienceDetail')!, /Name the section: one of Pre-Prep, Prep, Senior/);
    assert.equal(errorUnder(card, 'change'), undefined);
    assert.equal(input(card, 'url').value, 'not a url');
    assert.equal(input(card, 'reason').value, 'short');
    assert.equal(input(card, 'audienceDetail').value, 'Sixth Form');
    assert.match(input(card, 'reason').label, /up to 1000 characters/);

    const urls: Array<[string, RegExp]> = [
      ['ftp://files.example.org/x', /Only web addresses/],
      ['https://user:pw@example.org', /user name or password/],
      ['localhost', /does not look like a website address/],
      ['https://exa_mple.org', /is not a web address|does not look like a website address/],
      ['x'.repeat(501), /limit is 500/],
    ];
    for (const [url, why] of urls) {
      const c = cardBody(await h.click(people.teacher, 'filter.preview', formData({ url })));
      assert.match(errorUnder(c, 'url') ?? '', why, url);
    }
    const longReason = cardBody(await h.click(people.teacher, 'filter.preview', formData({ reason: 'r'.repeat(1001) })));
    assert.match(errorUnder(longReason, 'reason')!, /1001 characters; the limit is 1000/);
    const past = cardBody(await h.click(people.teacher, 'filter.preview', formData({ neededBy: addDays(today(), -1) })));
    assert.match(errorUnder(past, 'neededBy')!, /has passed/);
    const noEnd = cardBody(await h.click(people.teacher, 'filter.preview', formData({ endDate: '' })));
    assert.match(errorUnder(noEnd, 'endDate')!, /needs an end date/);
    const garbage = cardBody(await h.click(people.teacher, 'filter.preview', { targetKind: ['website'], change: 'open', audience: 7 }));
    // The kind is a line with a switch button, not an input: its error sits right under that line.
    const kindAt = (garbage.body as any[]).findIndex((e) => e.text === 'A website');
    assert.match((garbage.body as any[])[kindAt + 1]?.text ?? '', /Choose a website or a category/);
    assert.match(errorUnder(garbage, 'change')!, /Choose block or unblock/);
    assert.equal((await new RequestStore(h.lantern.services.tables).all()).length, 0, 'nothing was stored');
  });

  it('shows the website field or the category field, as the kind chosen, keeping what was typed when it switches', async () => {
    const opened = await h.say(people.teacher, 'request a filter change');
    const form = cardOf(opened.at(-1))!;
    assert.ok(input(form, 'url'), 'a website by default');
    assert.equal(input(form, 'category'), undefined, 'no category field beside it');
    const toCategory = actionsOf(form).find((a) => a.verb === 'filter.kind')!;
    assert.equal(toCategory.title, 'It is a whole category instead');
    const switched = cardBody(await h.click(people.teacher, 'filter.kind', { ...formData({ reason: 'Typed before switching.' }), ...toCategory.data }));
    assert.equal(input(switched, 'url'), undefined);
    assert.ok(input(switched, 'category'));
    assert.equal(input(switched, 'reason').value, 'Typed before switching.');
    const preview = actionsOf(switched).find((a) => a.verb === 'filter.preview')!;
    assert.deepEqual(preview.data, { targetKind: 'category' }, 'Check my request sends the kind shown');
    const detail = (switched.body as any[]).find((e) => e.id === 'for-detail');
    assert.equal(detail.isVisible, true, 'pupils in a year: the year field is open');
    assert.equal((form.body as any[]).find((e) => e.id === 'for-detail').isVisible, false, 'all pupils by default: nothing to name, folded away');
    const missing = cardBody(await h.click(people.teacher, 'filter.preview', { ...formData({ category: '' }), ...preview.data }));
    assert.match(errorUnder(missing, 'category')!, /Choose one of the filter categories/);
    const shownInputs = (form.body as any[]).filter((e) => typeof e.type === 'string' && e.type.startsWith('Input.')).map((e) => e.id);
    assert.deepEqual(shownInputs, ['url', 'change', 'audience', 'duration', 'endDate', 'reason', 'neededBy'], 'seven inputs in view on a new form');
  });

  it('shows a summary first, lets the requester change it, and sends exactly once', async () => {
    const summary = cardText(cardBody(await h.click(people.teacher, 'filter.preview', formData())));
    assert.match(summary, /Check your filter change request/);
    assert.match(summary, /example-history\.org\/holocaust\/sources/);
    assert.match(summary, /Pupils in Year 9/);
    assert.match(summary, /Nothing has been sent yet/);
    const edit = cardBody(await h.click(people.teacher, 'filter.edit'));
    assert.equal(input(edit, 'url').value, 'example-history.org/holocaust/sources');
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
