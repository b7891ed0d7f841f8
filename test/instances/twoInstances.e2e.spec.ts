import assert from 'node:assert/strict';
import type { IncidentCase } from '../../bot/incidents/caseRecord';
import { RequestStore } from '../../bot/filtering/requestStore';
import { DocumentTable } from '../../bot/storage/documentTable';
import { TutorLogStore } from '../../bot/tutoring/tutorLogStore';
import { weekStart } from '../../bot/calendar/schoolTime';
import { startInstances, type BotInstances } from '../support/botInstances';
import { actionsOf, cardOf, cardText, visibleText } from '../support/cards';
import { addToStaffTeam } from '../reach/reachSteps';
import { requestsTo, startCampaign } from '../acknowledgements/steps';
import type { Member } from '../support/fakeConnector';
import { people } from '../support/people';
import { invokeActivity, messageActivity, personalChat, teamChannel } from '../support/teamsChannel';
import { act, cardBody, formData, IT_CHANNEL, postedCards, sendRequest } from '../filtering/helpers';
import { know, PUPIL_DETAILS, refIn, setAway, shown } from '../incidents/reportSteps';

const DSL_CHANNEL = teamChannel('Safeguarding Prep');
/** A filter bypass goes to the Prep DSL channel and 1:1 to the IT manager: one card in each place. */
const bypass = (description: string) => ({ ...PUPIL_DETAILS, pupilYear: 'Year 5', description });

describe('two bot processes on one Azurite behave as one (e2e, turns alternating)', function () {
  this.timeout(120_000);
  let h: BotInstances;
  before(async () => {
    h = await startInstances(2);
    await h.say(people.dpo, 'register dsl Prep', DSL_CHANNEL);
    await h.say(people.itManager, 'register it', IT_CHANNEL);
    await know(h, people.itManager, people.prepDsl, people.prepDeputy, people.seniorDsl, people.seniorDeputy, people.pastoralHead, people.technician, people.teacher, people.teacher2, people.head);
  });
  after(async () => {
    await h?.stop();
  });

  const cases = async () => (await new DocumentTable<IncidentCase>(h.lantern.services.tables, 'incidents').list('case')).map((s) => s.value);
  /** Every chat Lantern has with this person: the one they opened, and any it opened. */
  const chatsOf = (m: Member) => [personalChat(m).id, ...h.connector.created.filter((c) => c.parameters.members?.[0]?.id === m.id).map((c) => c.id)];
  /** Where the connector's record stood when this test began (help cards sent earlier show example references). */
  let sentBefore = 0;
  beforeEach(() => (sentBefore = h.connector.sent.length));
  /** How many messages sent in this test to these conversations show `text` (a reference). */
  const postsShowing = (conversations: string[], text: string) => h.connector.sent.slice(sentBefore).filter((s) => conversations.includes(s.conversationId) && visibleText(s).includes(text)).length;

  it('start together: one stored configuration, audited once', async () => {
    const stored = await h.lantern.services.audit.history('config', 'school');
    assert.deepEqual(stored.map((e) => e.action), ['config.stored'], h.output().slice(-2000));
  });

  it('a report whose form steps alternate between the instances makes one case, one card per place and one audit trail', async () => {
    const user = people.teacher;
    const turnsBefore = h.routed.length;
    await h.say(user, 'report an incident');
    await h.click(user, 'incident.danger', { step: 'safety', answer: 'no', section: 'Prep' });
    await h.click(user, 'incident.next', { step: 'category', category: 'filter-bypass', subject: 'pupil' });
    const answer = await h.click(user, 'incident.next', { step: 'details', section: 'Prep', ...bypass('Alternating: a pupil using a VPN app on a school laptop.') });
    assert.deepEqual(h.routed.slice(turnsBefore), [0, 1, 0, 1].map((i) => (i + turnsBefore) % 2), 'each step went to the other instance');
    const receipt = shown(answer);
    const ref = refIn(receipt);
    assert.ok(ref, receipt.slice(0, 300));
    assert.match(receipt, /Safeguarding Prep channel, Mark Cole/);
    const mine = (await cases()).filter((c) => c.facts.description.startsWith('Alternating:'));
    assert.deepEqual(mine.map((c) => c.ref), [ref], 'one case, the receipt\'s');
    assert.deepEqual((await h.lantern.services.audit.history('incident', ref!)).map((e) => e.action), ['case.reported', 'case.routed']);
    assert.equal(postsShowing([DSL_CHANNEL.id], ref!), 1, 'one card in the DSL channel');
    assert.equal(postsShowing(chatsOf(people.itManager), ref!), 1, 'one card to the IT manager');
  });

  it('a half-filled report continues on the other instance with everything typed so far', async () => {
    const user = people.hodMaths;
    await h.say(user, 'report an incident');
    await h.click(user, 'incident.danger', { step: 'safety', answer: 'no', section: 'Prep' });
    await h.click(user, 'incident.next', { step: 'category', category: 'filter-bypass', subject: 'pupil' });
    // The details pressed without a description: kept as typed, with the field to fix marked.
    const { description: _left, ...typed } = bypass('');
    const fix = shown(await h.click(user, 'incident.next', { step: 'details', section: 'Prep', ...typed }));
    assert.match(fix, /Some answers need another look/);
    // Back to it later, on whichever instance: the draft is where it was left, with what was typed.
    const resume = (await h.say(user, 'report an incident')).map(visibleText).join('\n');
    assert.match(resume, /You have an unfinished incident report[\s\S]*You got as far as: /);
    const again = await h.click(user, 'incident.resume', {});
    assert.ok(JSON.stringify(again.body?.value).includes(PUPIL_DETAILS.childsWords), 'the child\'s words typed before are on the card');
    const receipt = shown(await h.click(user, 'incident.next', { step: 'details', section: 'Prep', ...bypass('Half-filled: a pupil using a VPN app on a school laptop.') }));
    const ref = refIn(receipt);
    assert.ok(ref, receipt.slice(0, 300));
    const c = (await cases()).find((x) => x.ref === ref)!;
    assert.equal(c.facts.childsWords, PUPIL_DETAILS.childsWords);
    assert.ok(new Set(h.routed.slice(-6)).size === 2, 'the steps went to both instances');
  });

  it('a filter request previewed on one instance and sent on the other makes one request, one card per recipient, audited once', async () => {
    const user = people.teacher2;
    const preview = await h.click(user, 'filter.preview', formData({ reason: 'Alternating: Year 9 history sources for the Holocaust unit.' }));
    assert.match(cardText(cardBody(preview)), /Check your filter change request/);
    const sent = cardText(cardBody(await h.click(user, 'filter.send')));
    const reference = /Request (FLT-\d{4}-\d{4}) sent/.exec(sent)?.[1];
    assert.ok(reference, sent.slice(0, 300));
    const mine = (await new RequestStore(h.lantern.services.tables).all()).filter((r) => r.details.reason.startsWith('Alternating:'));
    assert.deepEqual(mine.map((r) => r.reference), [reference]);
    assert.deepEqual((await h.lantern.services.audit.history('filter-request', reference)).map((e) => e.action), ['filter.requested']);
    const posts = h.connector.sent.filter((s) => s.activity.attachments && cardText(s.activity.attachments[0].content).includes(`Web filter change ${reference}`));
    const perPlace = new Map<string, number>();
    for (const p of posts) perPlace.set(p.conversationId, (perPlace.get(p.conversationId) ?? 0) + 1);
    assert.ok(perPlace.size > 0, 'the sanction card went out');
    assert.deepEqual([...perPlace.values()].filter((n) => n !== 1), [], 'each card delivered once');
    assert.equal((await postedCards(h, reference)).filter((c) => c.part === 'sanction').length, perPlace.size, 'every card recorded for later updates');
  });

  /** Fills the report form up to its last step; returns the Send report press, not yet sent. */
  async function upToSend(user: Member, description: string) {
    await h.say(user, 'report an incident');
    await h.click(user, 'incident.danger', { step: 'safety', answer: 'no', section: 'Prep' });
    await h.click(user, 'incident.next', { step: 'category', category: 'filter-bypass', subject: 'pupil' });
    return invokeActivity(h.connector.url, user, personalChat(user), 'incident.next', { step: 'details', section: 'Prep', ...bypass(description) });
  }

  async function report(user: Member, description: string): Promise<string> {
    const ref = refIn(shown(await h.post(await upToSend(user, description))));
    assert.ok(ref, `no receipt for ${description}`);
    return ref!;
  }

  it('a message Teams redelivers to the other instance while the first still works on it is handled once', async () => {
    const channel = teamChannel('Safeguarding Senior');
    const activity = messageActivity(h.connector.url, people.dpo, channel, 'register dsl Senior');
    const answers = await Promise.all([h.postTo(0, activity), h.postTo(1, activity)]);
    assert.deepEqual(answers.map((a) => a.status), [200, 200]);
    assert.equal(h.connector.messagesIn(channel.id).length, 1, 'one reply in the channel');
    assert.deepEqual((await h.lantern.services.audit.history('destination', 'dsl:senior')).map((e) => e.action), ['destination.registered']);
  });

  /**
   * Posts one activity to both instances at once: Teams redelivering a press it timed out on,
   * the load balancer sending the retry to the other instance while the first still works.
   * Returns the two answers' text.
   */
  async function toBoth(activity: Record<string, unknown>): Promise<string[]> {
    const answers = await Promise.all([h.postTo(0, activity), h.postTo(1, activity)]);
    assert.deepEqual(answers.map((a) => a.status), [200, 200]);
    return answers.map(shown);
  }

  // Three rounds, since which instance gets where first differs from run to run.
  for (const round of [1, 2, 3]) {
    it(`a Send report press delivered to both instances at once makes one case and one card per place, and both answers tell the truth (round ${round})`, async () => {
      const user = people.teacher2;
      const tag = `Redelivered ${round}:`;
      const press = await upToSend(user, `${tag} a pupil using a VPN app on a school laptop.`);
      const chat = personalChat(user).id;
      const chatBefore = h.connector.messagesIn(chat).length;
      const answers = await toBoth(press);
      const mine = (await cases()).filter((c) => c.facts.description.startsWith(tag));
      assert.equal(mine.length, 1, 'one case');
      const ref = mine[0].ref;
      assert.deepEqual((await h.lantern.services.audit.history('incident', ref)).map((e) => e.action), ['case.reported', 'case.routed']);
      assert.equal(postsShowing([DSL_CHANNEL.id], ref), 1, 'one card in the DSL channel');
      assert.equal(postsShowing(chatsOf(people.itManager), ref), 1, 'one card to the IT manager');
      // Teams shows whichever answer it got: each is the receipt, or says the receipt comes to the chat, and it does.
      assert.ok(answers.some((a) => refIn(a) === ref), answers.join('\n---\n'));
      for (const a of answers.filter((x) => refIn(x) !== ref)) {
        assert.match(a, /^Your report is saved and being sent now\. .*Lantern will post it in this chat\.$/, a);
        await h.connector.waitFor(() => h.connector.messagesIn(chat).slice(chatBefore).some((m) => refIn(visibleText(m)) === ref), 'the receipt in the reporter\'s chat, as the answer promised');
      }
      // Pressed again later, on either instance: the same receipt, nothing new sent.
      assert.equal(refIn(shown(await h.postTo(round % 2, { ...press, id: `${press.id}-again` }))), ref);
      assert.equal((await cases()).filter((c) => c.facts.description.startsWith(tag)).length, 1);
      assert.equal(postsShowing([DSL_CHANNEL.id], ref), 1);
    });
  }

  it('a filter request Send delivered to both instances at once makes one request, each card once, audited once', async () => {
    const user = people.teacher;
    await h.click(user, 'filter.preview', formData({ reason: 'Redelivered: Year 10 geography sources on migration.' }));
    const answers = await toBoth(invokeActivity(h.connector.url, user, personalChat(user), 'filter.send', {}));
    const mine = (await new RequestStore(h.lantern.services.tables).all()).filter((r) => r.details.reason.startsWith('Redelivered:'));
    assert.equal(mine.length, 1, 'one request');
    const reference = mine[0].reference;
    assert.deepEqual((await h.lantern.services.audit.history('filter-request', reference)).map((e) => e.action), ['filter.requested']);
    const posts = h.connector.sent.filter((s) => s.activity.attachments && cardText(s.activity.attachments[0].content).includes(`Web filter change ${reference}`) && s.conversationId !== personalChat(user).id);
    const perPlace = new Map<string, number>();
    for (const p of posts) perPlace.set(p.conversationId, (perPlace.get(p.conversationId) ?? 0) + 1);
    assert.ok(perPlace.size > 0 && [...perPlace.values()].every((n) => n === 1), `each card once: ${JSON.stringify([...perPlace])}`);
    assert.ok(answers.some((a) => a.includes(`Request ${reference} sent`)), answers.join('\n---\n'));
    for (const a of answers.filter((x) => !x.includes(`Request ${reference} sent`))) {
      assert.match(a, /^Your request is saved and on its way to the DSL; I will post the receipt in this chat when it has gone\.$/, a);
      await h.connector.waitFor(() => h.connector.messagesIn(personalChat(user).id).some((m) => visibleText(m).includes(`Request ${reference} sent`)), 'the receipt in the requester\'s chat, as promised');
    }
  });

  it('a DSL marked away on one instance: a report sent on the other at once goes to the deputy', async () => {
    const { done } = await setAway(h, people.seniorDsl, true);
    assert.match(done, /marked away\. New cases now go to Senior: Laura Morris/);
    try {
      // The away press went to one instance; the report's Send goes to the other.
      const awayOn = h.routed.at(-1)!;
      await h.say(people.teacher, 'report an incident');
      await h.click(people.teacher, 'incident.danger', { step: 'safety', answer: 'no', section: 'Senior' });
      await h.click(people.teacher, 'incident.next', { step: 'category', category: 'inappropriate-deliberate', subject: 'pupil' });
      const receipt = shown(await h.postTo(1 - awayOn, invokeActivity(h.connector.url, people.teacher, personalChat(people.teacher), 'incident.next', { step: 'details', section: 'Senior', ...PUPIL_DETAILS, description: 'Away: searched for violent videos on a school laptop.' })));
      const ref = refIn(receipt);
      assert.ok(ref, receipt.slice(0, 300));
      const c = (await cases()).find((x) => x.ref === ref)!;
      assert.deepEqual(c.owners, ['lmorris'], 'the deputy holds it, not the DSL who is away');
    } finally {
      await setAway(h, people.seniorDsl, false);
    }
  });

  // Both copies write the person's last group only when both find the log done, so rounds change
  // the group each time and repeat: which ordering happens differs from run to run.
  const groups = ['10A', '9B', '11C', '10A', '9B', '11C'];
  for (const [i, group] of groups.entries()) {
    const round = i + 1;
    it(`a tutor log Save delivered to both instances at once is logged once, and neither answer says it failed (round ${round})`, async () => {
      const user = people.hodMaths;
      const date = new Date().toISOString().slice(0, 10);
      const session = { id: '', group, date, time: '08:45', mode: 'in-person', attended: 26, absentees: '', topic: `Redelivered tutor log ${round}`, concern: 'false' };
      const answers = await toBoth(invokeActivity(h.connector.url, user, personalChat(user), 'tutor.save', session));
      const logs = (await new TutorLogStore(h.lantern.services.tables).week(weekStart(date))).filter((l) => l.topic === `Redelivered tutor log ${round}`);
      assert.equal(logs.length, 1, 'one log');
      assert.deepEqual((await h.lantern.services.audit.history('tutor-log', logs[0].id)).map((e) => e.action), ['tutor-log.created']);
      for (const a of answers) assert.ok(a.includes(`Logged: ${group} tutor session`) || a.includes('This log is being saved'), a);
      await h.everySchedulerTicked();
      const said = h.connector.sent.slice(sentBefore).map(visibleText);
      assert.deepEqual(said.filter((t) => /went wrong|storage|couldn't also keep/i.test(t)), [], 'no failure reported after the fact');
    });
  }

  it('two DSLs claim the same channel card at once on different instances: one wins, the other is told plainly who has it', async () => {
    const ref = await report(people.teacher, 'Claim race: a pupil using a VPN app on a school laptop.');
    const card = h.connector.messagesIn(DSL_CHANNEL.id).find((m) => visibleText(m).includes(ref))!;
    const reporterChat = personalChat(people.teacher).id;
    const toldBefore = h.connector.messagesIn(reporterChat).filter((m) => (m.activity.text ?? '').includes(`${ref} has been acknowledged`)).length;
    const [a, b] = await Promise.all([
      h.postTo(0, invokeActivity(h.connector.url, people.prepDsl, DSL_CHANNEL, 'incident.claim', { ref }, card.id)),
      h.postTo(1, invokeActivity(h.connector.url, people.prepDeputy, DSL_CHANNEL, 'incident.claim', { ref }, card.id)),
    ]);
    const stored = (await cases()).find((c) => c.ref === ref)!;
    assert.ok(stored.assignee, 'claimed');
    const winner = stored.assignee!.id === 'pgreen' ? people.prepDsl : people.prepDeputy;
    const [won, lost] = winner === people.prepDsl ? [shown(a), shown(b)] : [shown(b), shown(a)];
    assert.doesNotMatch(won, /updated by someone else/, won);
    assert.match(lost, new RegExp(`This case was just updated by someone else\\.[\\s\\S]*${winner.name}`), lost);
    const claims = (await h.lantern.services.audit.history('incident', ref)).filter((e) => e.action === 'case.claimed');
    assert.deepEqual(claims.map((e) => e.actor.name), [winner.name], 'one claim audited, the winner\'s');
    await h.connector.waitFor(() => h.connector.messagesIn(reporterChat).filter((m) => (m.activity.text ?? '').includes(`${ref} has been acknowledged`)).length > toldBefore, 'the reporter told');
    assert.equal(h.connector.messagesIn(reporterChat).filter((m) => (m.activity.text ?? '').includes(`${ref} has been acknowledged`)).length, toldBefore + 1, 'the reporter told once');
    assert.equal(await h.lantern.services.scheduler.get(`incident-escalate-${ref}`), undefined, 'its escalation cancelled');
  });

  it('scheduled work is done once with both schedulers ticking: an escalation, a step reminder, and a card update Teams refused retried by the outbox', async () => {
    const ref = await report(people.teacher2, 'Scheduled: a pupil using a VPN app on a school laptop.');
    const reference = await sendRequest(h, people.teacher, { reason: 'Scheduled: Year 11 biology sources on drugs education.' });
    // Teams refuses updates to one of the request's cards for now: the sanction press stands, and
    // the card's update waits in the outbox for a scheduler tick.
    const refused = (await postedCards(h, reference)).find((c) => c.part === 'sanction')!;
    h.connector.failingUpdates.add(refused.posted.activityId);
    assert.match(cardText(cardBody(await act(h, people.seniorDsl, 'filter.approve', reference, 'sanction'))), /Sanctioned\. Thank you/);
    assert.equal((await h.lantern.services.scheduler.pending('cards.filter')).length, 1, 'the refused update waits in the outbox');
    h.connector.failingUpdates.clear();
    const updatesBefore = h.connector.updated.filter((u) => u.activityId === refused.posted.activityId).length;

    // A day and an hour later on both instances: the case is past its acknowledgement time, the
    // authorise step past its reminder, the card's retry past its back-off.
    const offset = 25 * 60 * 60_000;
    await h.moveClocks(offset);
    await h.everySchedulerTicked();

    const escalated = (await h.lantern.services.audit.history('incident', ref)).filter((e) => e.action === 'case.escalated');
    assert.equal(escalated.length, 1, 'escalated once');
    const toDeputy = h.connector.sent.filter((s) => chatsOf(people.prepDeputy).includes(s.conversationId) && (s.activity.text ?? '').startsWith(`Case ${ref} (P2) has not been acknowledged`));
    assert.equal(toDeputy.length, 1, 'the Prep deputy got the escalation once');
    const reminded = (await h.lantern.services.audit.history('filter-request', reference)).filter((e) => e.action === 'filter.step-reminded');
    assert.equal(reminded.length, 1, 'reminded once');
    const reminders = h.connector.sent.filter((s) => (s.activity.text ?? '').startsWith(`Reminder: filter request ${reference} has waited`));
    assert.ok(reminders.length > 0, 'the authorise step\'s reminder went out');
    assert.deepEqual([...new Set(reminders.map((r) => r.conversationId))].length, reminders.length, 'once to each place');
    assert.equal(h.connector.updated.filter((u) => u.activityId === refused.posted.activityId).length - updatesBefore, 1, 'the refused card updated once by a tick');
    assert.deepEqual(await h.lantern.services.scheduler.pending('cards.filter'), [], 'and the retry is done');
  });

  it('a broadcast to a team: each member gets one card with both instances working the queue, and an acknowledgement redelivered to both is recorded once', async () => {
    const team = [people.seniorDeputy, people.prepDsl, people.technician, people.hodMaths, people.pastoralHead, people.academicHead];
    await addToStaffTeam(h, team, people.dpo);
    const { reply } = await startCampaign(h, people.seniorDsl, { audience: 'team:Staff', due: '2099-01-31' });
    assert.match(reply, /Started: 6 people/);
    await h.connector.waitFor(() => team.every((m) => requestsTo(h, m).length > 0), 'a card for every member', 20_000);
    await h.everySchedulerTicked();
    for (const m of team) assert.equal(requestsTo(h, m).length, 1, `${m.name} got exactly one card`);

    const card = requestsTo(h, people.hodMaths)[0];
    const confirm = actionsOf(cardOf(card)).find((a) => a.verb === 'acks.confirm')!;
    const answers = await toBoth(invokeActivity(h.connector.url, people.hodMaths, { id: card.conversationId, conversationType: 'personal' }, 'acks.confirm', confirm.data, card.id));
    const round = String((await h.lantern.services.scheduler.pending('acks.overdue'))[0].payload.round);
    const recorded = (await h.lantern.services.audit.history('acknowledgement-round', round)).filter((e) => e.action === 'acknowledgement.recorded');
    assert.deepEqual(recorded.map((e) => e.actor.name), ['Chris Shaw'], 'recorded once');
    for (const a of answers) assert.match(a, /^(Thank you: your acknowledgement is recorded\.|You have already acknowledged this: nothing more to do\.|Your acknowledgement is being recorded)/, a);
  });
});
