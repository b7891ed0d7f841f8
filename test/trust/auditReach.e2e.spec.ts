import assert from 'node:assert/strict';
import { actionsOf, cardText, latestCards, visibleText } from '../support/cards';
import type { Member } from '../support/fakeConnector';
import { personalChat, teamChannel } from '../support/teamsChannel';
import { know, PUPIL_DETAILS, receivedBy, shown } from '../incidents/reportSteps';
import { startHarness, type Harness } from '../support/harness';
import { EXAMPLE_TRUST, trustMembers } from './trustPeople';

const m = trustMembers();

/** The example trust's bot, with these people in its fake Teams. */
async function trustBot(members: Member[] = Object.values(m)): Promise<Harness> {
  const h = await startHarness({ env: { SCHOOL_CONFIG: EXAMPLE_TRUST } });
  for (const member of members) h.connector.addMember(member);
  return h;
}

describe('a trust: 999 before the school choice (e2e over HTTP, Azurite)', function () {
  this.timeout(120_000);
  let h: Harness;
  before(async () => (h = await trustBot()));
  after(async () => h?.stop());

  for (const typed of ['report an incident', 'a pupil told me her stepdad hits her, what do I do?']) {
    it(`someone in both schools types "${typed}": the 999 line comes before "Which school is this for?"`, async () => {
      const shown = (await h.say(m.jellis, typed)).map(visibleText).join('\n---\n');
      assert.match(shown, /Which school is this for\?/);
      assert.match(shown, /call 999/);
      assert.ok(shown.indexOf('999') < shown.indexOf('Which school is this for?'), shown);
    });
  }
});

describe('a trust: the school choice card says why it asks (e2e over HTTP, Azurite)', function () {
  this.timeout(120_000);
  let h: Harness;
  // Staff no roster lists, on the trust's own mail domain, which people of both schools use.
  const trustStaff: Member = { id: '29:mlt-teacher', name: 'Mo Teacher', aadObjectId: '77777777-2222-4000-8000-000000000001', email: 'm.teacher@meridian.example.org' };
  before(async () => (h = await trustBot([...Object.values(m), trustStaff])));
  after(async () => h?.stop());

  it('staff in no school, on the trust-wide mail domain, are not told they are listed in several schools', async () => {
    const card = (await h.say(trustStaff, 'help')).map(visibleText).join('\n');
    assert.match(card, /Which school is this for\?/);
    assert.doesNotMatch(card, /You are listed in more than one school/, card);
    assert.match(card, /No school of Meridian Learning Trust lists you by name/, card);
  });

  it('someone two schools list is told so', async () => {
    const card = (await h.say(m.jellis, 'help')).map(visibleText).join('\n');
    assert.match(card, /You are listed in more than one school of Meridian Learning Trust/, card);
  });
});

describe('a trust: a report started in another school\'s channel (e2e over HTTP, Azurite)', function () {
  this.timeout(120_000);
  let h: Harness;
  before(async () => (h = await trustBot()));
  after(async () => h?.stop());

  /** Presses a button of the card the person sees, with the data that card carries (its school stamp), as Teams does. */
  async function press(who: Member, card: { id: string; card: unknown }, verb: string, typed: Record<string, unknown>) {
    const action = actionsOf(card.card).find((a) => a.verb === verb);
    assert.ok(action, `a ${verb} button on: ${cardText(card.card)}`);
    const res = await h.click(who, verb, { ...action!.data, ...typed }, personalChat(who), card.id);
    return { id: card.id, card: res.body?.value, text: shown(res) };
  }

  it("staff of Ashgrove only, typing 'report an incident' in Brookfield's DSL channel: the report is Ashgrove's and is sent", async () => {
    const channel = teamChannel('Brookfield DSL', 'Brookfield Safeguarding');
    assert.match((await h.say(m.tnash, 'register dsl Lower', channel)).map(visibleText).join('\n'), /Lower/);
    await know(h, m.sdunn, m.mreid, m.kobi);
    await h.say(m.sdunn, 'report an incident', channel);
    const form = latestCards(h.connector, { conversationId: personalChat(m.sdunn).id }).at(-1)!;
    assert.doesNotMatch(cardText(form.card), /Brookfield|Lower|Upper/, 'the form offers none of Brookfield\'s sections');
    let shownNow = { id: form.activityId, card: form.card as unknown };
    shownNow = await press(m.sdunn, shownNow, 'incident.danger', { step: 'safety', answer: 'no', section: '' });
    shownNow = await press(m.sdunn, shownNow, 'incident.next', { step: 'category', category: 'cyberbullying', subject: 'pupil' });
    const receipt = (await press(m.sdunn, shownNow, 'incident.next', { step: 'details', section: 'Primary', ...PUPIL_DETAILS })).text;
    assert.match(receipt, /\bASH-\d{4}-\d{4}\b/, receipt);
    assert.doesNotMatch(receivedBy(h, m.kobi), /ASH-|BRK-\d{4}-\d{4}/, 'nothing reached Brookfield');
  });
});
