import assert from 'node:assert/strict';
import { incidentsModule } from '../../bot/incidents';
import { fakeDate } from '../support/fakeDate';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { fileReport, know, receivedBy, PUPIL_DETAILS, refIn, shown } from './reportSteps';
import { cardText, latestCards } from '../support/cards';
import { personalChat } from '../support/teamsChannel';
import { groupChat } from '../support/teamsChannel';

const STAFF = { occurredOn: '2026-11-19', place: 'on-site', description: 'Saw a colleague using a pupil login to change marks.' };

describe('incidents reach and truth: audit (end to end)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ modules: [incidentsModule] });
  });
  afterEach(async () => h.stop());

  /** Files a report on the one card the reporter was sent, as Teams does, so that card becomes the receipt kept current. */
  async function report(category: string, subject: string, details: Record<string, string>): Promise<string> {
    const user = people.teacher;
    await h.say(user, 'report an incident');
    const cardId = h.connector.messagesIn(personalChat(user).id).at(-1)!.id;
    const press = (verb: string, data: Record<string, unknown>) => h.click(user, verb, data, personalChat(user), cardId);
    await press('incident.danger', { step: 'safety', answer: 'no', section: 'Senior' });
    await press('incident.next', { step: 'category', category, subject });
    const receipt = shown(await press('incident.next', { step: 'details', section: 'Senior', ...details }));
    assert.ok(refIn(receipt), receipt);
    return refIn(receipt)!;
  }
  const receiptNow = (ref: string) => cardText(latestCards(h.connector, { conversationId: personalChat(people.teacher).id, about: new RegExp(ref) })[0].card);
  const escalate = async (ref: string) => {
    await h.lantern.services.scheduler.schedule('incident.escalate', new Date(0), { ref }, `incident-escalate-${ref}`);
    await h.lantern.services.scheduler.runDue();
  };

  it('an escalation that reached nobody, or only reminded the owner: the receipt does not say more senior staff have it', async () => {
    await know(h, people.seniorDsl);
    const ref = await report('cyberbullying', 'pupil', PUPIL_DETAILS);
    await escalate(ref); // to the deputy, whom Teams cannot reach
    assert.doesNotMatch(receiptNow(ref), /passed it to more senior staff/);
    const card = cardText(latestCards(h.connector, { conversationId: personalChat(people.seniorDsl).id, about: new RegExp(ref) })[0].card);
    assert.doesNotMatch(card, /escalated to Laura Morris/, 'the case card does not say the deputy holds it');

    await know(h, people.head);
    await escalate(ref); // to the Head, reached
    assert.match(receiptNow(ref), /passed it to more senior staff/);

    // A staff allegation: the first two steps only remind the Head who holds it.
    const staff = await report('staff-misuse', 'staff', { ...STAFF, staffId: 'mcole' });
    await escalate(staff);
    assert.doesNotMatch(receiptNow(staff), /passed it to more senior staff/);
  });

  it('a LADO reminder Teams could not deliver is tried again, not dropped', async () => {
    await know(h, people.head);
    const { ref } = await fileReport(h, people.teacher, { category: 'staff-misuse', subject: 'staff', details: { ...STAFF, staffId: 'mcole' } });
    const reminders = () => receivedBy(h, people.head).split('\n---\n').filter((t) => t.startsWith(`Reminder: case ${ref}`));
    const clock = fakeDate(Date.now());
    try {
      h.connector.failing.add(personalChat(people.head).id);
      h.connector.refusing.set(people.head.id, { status: 502, code: 'BadGateway', message: 'Teams is not answering.' });
      await h.lantern.services.scheduler.schedule('incident.lado-reminder', new Date(0), { ref }, `incident-lado-${ref}`);
      await h.lantern.services.scheduler.runDue();
      assert.deepEqual(reminders(), []);
      h.connector.failing.clear();
      h.connector.refusing.clear();
      clock.setSystemTime(Date.now() + 3 * 60 * 60_000);
      await h.lantern.services.scheduler.runDue();
      assert.equal(reminders().length, 1, 'the reminder reached the Head once Teams answered');
    } finally {
      clock.restore();
    }
  });

  it("a DSL raising the danger alert for their own section: reaching only themselves is not reaching someone, so it widens", async () => {
    await know(h, people.seniorDsl, people.head);
    await h.say(people.seniorDsl, 'report an incident');
    const gate = shown(await h.click(people.seniorDsl, 'incident.danger', { step: 'safety', answer: 'yes', section: 'Senior' }));
    assert.doesNotMatch(gate, /I have alerted: Daniel Khan\./, gate);
    assert.match(receivedBy(h, people.head), /URGENT/);
  });

  it('a data breach nobody acknowledges reaches the Head, who can open and claim it; never the DSLs', async () => {
    await know(h, people.dpo, people.head, people.seniorDsl, people.seniorDeputy);
    const before = { dsl: receivedBy(h, people.seniorDsl), deputy: receivedBy(h, people.seniorDeputy) };
    const ref = await report('data-breach', 'unknown', { occurredOn: '2026-11-21', place: 'off-site', device: 'School laptop 7', description: 'Left a school laptop with pupil records on the train.' });
    assert.doesNotMatch(receivedBy(h, people.head), /has not been acknowledged/, 'the Head is not told at first');
    for (let i = 0; i < 3; i++) await escalate(ref);
    assert.match(receivedBy(h, people.head), new RegExp(`Case ${ref} \\(P2\\) has not been acknowledged`));
    assert.match(cardText((await h.click(people.head, 'incident.open', { ref })).body?.value), /Left a school laptop/);
    assert.equal(receivedBy(h, people.seniorDsl), before.dsl, 'a breach is not a safeguarding case: the DSL is not told');
    assert.equal(receivedBy(h, people.seniorDeputy), before.deputy);
    assert.match(receiptNow(ref), /passed it to more senior staff/);
    await h.click(people.head, 'incident.claim', { ref });
    assert.match(receiptNow(ref), /^Acknowledged /m, 'the Head claimed it');
  });

  for (const [label, category, subject, details, whom] of [
    ['a staff allegation (the Head)', 'staff-misuse', 'staff', { ...STAFF, staffId: 'mcole' }, /phone Helen Brook \(07700 900001\)/],
    ['an allegation about the Head (the Chair)', 'staff-misuse', 'head', { ...STAFF, description: 'The Head shared pupil photos on a personal account.' }, /phone Rachel Owen \(07700 900002\)/],
    ['a data breach (the data-protection lead)', 'data-breach', 'unknown', { occurredOn: '2026-11-21', place: 'off-site', description: 'Left a school iPad on the train.' }, /phone Anna Davies/],
  ] as const) {
    it(`Cancel after sending ${label}, which reached no one: the answer names whom to phone for that route, not the DSL`, async () => {
      const { ref } = await fileReport(h, people.teacher, { category, subject, details: { ...details } });
      const answer = String((await h.click(people.teacher, 'incident.cancel', {})).body?.value ?? '');
      assert.match(answer, new RegExp(`already sent as ${ref}`), answer);
      assert.match(answer, whom, answer);
      assert.doesNotMatch(answer, /the DSL/, answer);
    });
  }

  it("a DSL filing a non-urgent report for their own section: the receipt says the case is in their own list, not 'Delivered to' themselves", async () => {
    await know(h, people.seniorDsl);
    const { ref, receipt } = await fileReport(h, people.seniorDsl, { section: 'Senior', category: 'cyberbullying', subject: 'pupil', details: PUPIL_DETAILS });
    assert.doesNotMatch(receipt, /Delivered to Daniel Khan/, receipt);
    assert.match(receipt, new RegExp(`You are the Senior section's DSL: ${ref} is in your cases`), receipt);
    assert.match(receipt, /Only you: no one else was sent it/, receipt);
    const listed = (await h.say(people.seniorDsl, 'cases')).map((r) => [r.activity.text ?? '', cardText(r.activity.attachments?.[0]?.content)].join('\n')).join('\n');
    assert.match(listed, new RegExp(ref), 'the case is in their cases, as the receipt says');
  });

  it('a staff allegation the Head could not be reached for: the receipt does not say it went to the Head', async () => {
    const { receipt } = await fileReport(h, people.teacher, { category: 'staff-misuse', subject: 'staff', details: { ...STAFF, staffId: 'mcole' } });
    assert.match(receipt, /^Not delivered: phone Helen Brook/);
    assert.doesNotMatch(receipt, /This went to Helen Brook/, receipt);
    assert.match(receipt, /This is for Helen Brook, the Head/);
  });
});

describe('incidents from a shared chat: 999 first (end to end)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ modules: [incidentsModule] });
  });
  afterEach(async () => h.stop());

  it('report an incident typed in a group chat, no private chat possible: the answer says call 999 before anything else', async () => {
    h.connector.refusing.set(people.teacher.id, { status: 403, code: 'Forbidden', message: 'The app is blocked for this user.' });
    const replies = await h.say(people.teacher, 'report an incident', groupChat('staffroom'));
    const text = replies.map((r) => r.activity.text ?? '').join('\n');
    assert.match(text, /could not open a private chat/);
    assert.match(text, /call 999/);
  });
});
