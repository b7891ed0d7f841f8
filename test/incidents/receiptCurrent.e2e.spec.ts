import assert from 'node:assert/strict';
import { listPostedCards } from '../../bot/cards/recordCards';
import { incidentsModule } from '../../bot/incidents';
import { cardText, latestCards, visibleText } from '../support/cards';
import type { Member } from '../support/fakeConnector';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { personalChat, teamChannel } from '../support/teamsChannel';
import { know, PUPIL_DETAILS, refIn, shown } from './reportSteps';

/** Words from the handling side of a case: none may ever show on the reporter's receipt. */
const NOTE = 'DSL-ONLY note: mother phoned back, plan agreed';
const CLOSE_REASON = 'Closed after the family meeting FAMILY-MEETING-REASON';
const REFERRAL = 'CSC-99871';

describe("the reporter's receipt stays current (end to end over HTTP)", () => {
  let h: Harness;
  const channel = teamChannel('Safeguarding Senior');
  beforeEach(async () => {
    h = await startHarness({ modules: [incidentsModule] });
    await h.say(people.dpo, 'register dsl Senior', channel);
    await know(h, people.seniorDsl, people.seniorDeputy, people.head);
  });
  afterEach(async () => h.stop());

  /** Files a report step by step on the one card the person was sent, as Teams does; returns its reference and that card's id. */
  async function report(user: Member, category: string, subject: string, details: Record<string, string>): Promise<{ ref: string; cardId: string; receipt: string }> {
    await h.say(user, 'report an incident');
    const cardId = h.connector.messagesIn(personalChat(user).id).at(-1)!.id;
    const press = (data: Record<string, unknown>) => h.click(user, 'incident.next', data, personalChat(user), cardId);
    await h.click(user, 'incident.danger', { step: 'safety', answer: 'no', section: 'Senior' }, personalChat(user), cardId);
    await press({ step: 'category', category, subject });
    const receipt = shown(await press({ step: 'details', section: 'Senior', ...details }));
    const ref = refIn(receipt);
    assert.ok(ref, receipt);
    return { ref: ref!, cardId, receipt };
  }

  /** The reporter's one card of the case, as it looks after every update, and the texts beside it. */
  function receiptNow(user: Member, ref: string): string {
    const cards = latestCards(h.connector, { conversationId: personalChat(user).id, about: new RegExp(ref) });
    assert.equal(cards.length, 1, `the reporter has ${cards.length} cards of ${ref}`);
    return cardText(cards[0].card);
  }

  const textsTo = (user: Member) => h.connector.messagesIn(personalChat(user).id).filter((s) => s.activity.text).map((s) => s.activity.text as string);

  /** Nothing of the handling side: names of those handling, notes, decisions, the pupil's name, the child's words. */
  function assertReporterOnly(text: string, step: string): void {
    for (const secret of [NOTE, CLOSE_REASON, REFERRAL, "Children's social care", 'Referred', people.seniorDsl.name, people.seniorDeputy.name, people.head.name, PUPIL_DETAILS.pupilName, PUPIL_DETAILS.childsWords, PUPIL_DETAILS.actionTaken, 'Handled by']) {
      assert.ok(!text.includes(secret), `${step}: the receipt shows "${secret}":\n${text}`);
    }
  }

  it('is updated in place at each state with a status line and the reporter\'s own report only', async () => {
    const { ref, cardId, receipt } = await report(people.teacher, 'cyberbullying', 'pupil', PUPIL_DETAILS);
    // Received: the card pressed became the receipt, with their own words and the reference.
    assert.match(receipt, new RegExp(`^Delivered to the Safeguarding › Safeguarding Senior channel: ${ref}\\nReceived: waiting for the safeguarding lead to pick it up`));
    assert.match(receipt, new RegExp(`\\*\\*What you wrote:\\*\\* ${PUPIL_DETAILS.description}`));
    assertReporterOnly(receipt, 'received');
    const rows = await listPostedCards(h.lantern.services.tables, 'incident', ref);
    assert.deepEqual(rows.filter((r) => r.view === 'receipt').map((r) => [r.place, r.posted.activityId]), [[`person:${people.teacher.aadObjectId}`, cardId]]);

    // Escalated: not picked up in time. The card says so; whom it went to is not said.
    await h.lantern.services.scheduler.schedule('incident.escalate', new Date(0), { ref }, `incident-escalate-${ref}`);
    await h.lantern.services.scheduler.runDue();
    const escalated = receiptNow(people.teacher, ref);
    assert.match(escalated, /Not picked up within its target time, so Lantern has passed it to more senior staff as well/);
    assertReporterOnly(escalated, 'escalated');
    const textsBefore = textsTo(people.teacher).length;
    assert.equal(textsBefore, 0, 'an escalation sends the reporter no message');

    // Acknowledged by the DSL from the channel card.
    await h.click(people.seniorDsl, 'incident.claim', { ref }, channel, h.connector.messagesIn(channel.id).at(-1)!.id);
    const acknowledged = receiptNow(people.teacher, ref);
    assert.match(acknowledged, /\nAcknowledged \w{3} \d{1,2} \w{3} \d{4}, \d{2}:\d{2}: the safeguarding team is handling it\./);
    assert.doesNotMatch(acknowledged, /Not picked up|waiting for/);
    assertReporterOnly(acknowledged, 'acknowledged');
    assert.deepEqual(textsTo(people.teacher), [`Your report ${ref} has been acknowledged: the safeguarding team is handling it. Its receipt card in this chat is up to date.`]);

    // A note and a referral: the DSL's side only. The receipt still says it is being handled.
    await h.click(people.seniorDsl, 'incident.note', { ref, note: NOTE });
    await h.click(people.seniorDsl, 'incident.status', { ref, status: 'referred', agency: 'csc', reference: REFERRAL });
    const referred = receiptNow(people.teacher, ref);
    assert.match(referred, /the safeguarding team is handling it/);
    assertReporterOnly(referred, 'referred');

    // Closed: the status says so; the reason stays with the DSL.
    await h.click(people.seniorDsl, 'incident.status', { ref, status: 'closed', reason: CLOSE_REASON });
    const closed = receiptNow(people.teacher, ref);
    assert.match(closed, new RegExp(`^Delivered to the Safeguarding › Safeguarding Senior channel: ${ref}\\nClosed\\. Thank you for reporting it\\.`));
    assert.doesNotMatch(closed, /What to do now/);
    assertReporterOnly(closed, 'closed');
    assert.equal(textsTo(people.teacher).at(-1), `Your report ${ref} has been closed. Thank you for reporting it. Its receipt card in this chat is up to date.`);

    // Reopened: handled again, no message (nothing the reporter must act on).
    await h.click(people.seniorDsl, 'incident.status', { ref, status: 'in-progress', reason: 'New messages came to light' });
    const reopened = receiptNow(people.teacher, ref);
    assert.match(reopened, /the safeguarding team is handling it/);
    assertReporterOnly(reopened, 'reopened');
    assert.ok(!reopened.includes('New messages came to light'));
    assert.equal(textsTo(people.teacher).length, 2, 'messages only for acknowledged and closed');
    // Every update went to the one card the reporter pressed.
    assert.ok(h.connector.updated.filter((u) => u.activityId === cardId).length >= 5);
  });

  it('is never kept current for a reporter the case is about: their receipt stays as sent and they get no messages', async () => {
    // The senior DSL reports a concern about himself: it goes to the Head, and he must not follow it.
    const { ref, cardId } = await report(people.seniorDsl, 'cyberbullying', 'staff', { occurredOn: '2026-11-19', place: 'on-site', description: 'I sent a message to the wrong pupil group.', staffId: 'dkhan' });
    const rows = await listPostedCards(h.lantern.services.tables, 'incident', ref);
    assert.equal(rows.filter((r) => r.view === 'receipt').length, 0, 'no receipt of the reporter is kept for updates');
    const before = visibleText(h.connector.messagesIn(personalChat(people.seniorDsl).id).at(-1));
    await h.click(people.head, 'incident.claim', { ref });
    await h.click(people.head, 'incident.status', { ref, status: 'closed', reason: CLOSE_REASON });
    assert.equal(h.connector.updated.filter((u) => u.activityId === cardId).length, 0, 'the receipt was not redrawn');
    const after = h.connector.messagesIn(personalChat(people.seniorDsl).id).filter((s) => s.activity.text);
    assert.deepEqual(after.map((s) => s.activity.text).filter((t) => t.includes(ref)), [], 'no message about the case');
    assert.equal(visibleText(h.connector.messagesIn(personalChat(people.seniorDsl).id).at(-1)), before);
  });
});
