import assert from 'node:assert/strict';
import type sinon from 'sinon';
import { callsModule } from '../../bot/calls';
import { actionsOf, cardOf, cardText, visibleText } from '../support/cards';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { personalChat, teamChannel } from '../support/teamsChannel';
import { fakeDate as schoolClock } from '../support/fakeDate';
import { call, idOf } from './callSteps';


describe('1-1 calls with pupils (e2e)', () => {
  let h: Harness;
  let clock: sinon.SinonFakeTimers;
  beforeEach(async () => {
    clock = schoolClock('2026-11-25T10:00:00Z');
    h = await startHarness({ modules: [callsModule] });
  });
  afterEach(async () => {
    await h.stop();
    clock.restore();
  });

  const storedCall = async (id: string) => {
    const t = await h.lantern.services.tables.table('calls');
    const e = await t.getEntity('call', id);
    return JSON.parse(String(e.json0));
  };

  it('offers the planning form and keeps typed answers beside the errors', async () => {
    const form = cardOf((await h.say(people.teacher, 'plan a 1-1 call'))[0]);
    assert.match(cardText(form), /Plan a 1-1 call with a pupil/);
    assert.match(cardText(form), /Exceptional pastoral circumstances/);
    const res = await h.click(people.teacher, 'call.plan', call({ purpose: 'academic-reason', time: '', date: '2026-11-20' }));
    const text = cardText(res.body?.value);
    assert.match(text, /A call is planned in advance: the date cannot be in the past/);
    assert.match(text, /Give the time as HH:MM/);
    assert.match(text, /This purpose needs advance permission: say why/);
    assert.match(text, /Jamie Smith/);
  });

  it('allowed: tells the teacher what the rules require, and records the plan', async () => {
    const res = await h.click(people.teacher, 'call.plan', call({ department: 'Maths' }));
    const card = res.body?.value;
    const text = cardText(card);
    assert.match(text, /Allowed: this call can go ahead/);
    assert.match(text, /Book the call in your Teams calendar\./);
    assert.match(text, /Add Chris Shaw \(head of Maths\) to the booking as an optional attendee/);
    assert.doesNotMatch(text, /parents|Withhold|permission/i);
    const stored = await storedCall(idOf(card));
    assert.equal(stored.state, 'planned');
    assert.deepEqual(stored.pupil, { name: 'Jamie Smith', year: 'Year 9' });

    const phone = cardText((await h.click(people.teacher, 'call.plan', call({ kind: 'phone', year: 'Year 4', purpose: 'pastoral-catch-up' }))).body?.value);
    assert.match(phone, /Allowed/);
    assert.match(phone, /Book the call in your Teams calendar, even though it is by phone/);
    assert.match(phone, /Tell the pupil's parents about the call in advance \(Prep pupil\)/);
    assert.match(phone, /Withhold your number when you ring/);
    assert.match(phone, /write the secure note/);
  });

  it("takes a pupil's name as phones and keyboards type it: a curly apostrophe, accents typed as two characters, non-Latin scripts", async () => {
    // An iPhone types O’Brien with U+2019; macOS can send "Zoë" as e + U+0308; Hindi names carry vowel signs (marks, not letters).
    for (const pupil of ['Niamh O\u2019Brien', 'Zoe\u0308 Martin', '\u092A\u094D\u0930\u093F\u092F\u093E Sharma']) {
      const card = (await h.click(people.teacher, 'call.plan', call({ pupil }))).body?.value;
      assert.doesNotMatch(cardText(card), /Just the pupil's name/, pupil);
      assert.match(cardText(card), /Allowed: this call can go ahead/, pupil);
      assert.equal((await storedCall(idOf(card))).pupil.name, pupil.normalize('NFC'));
    }
    const digits = cardText((await h.click(people.teacher, 'call.plan', call({ pupil: 'Jamie 9B' }))).body?.value);
    assert.match(digits, /Just the pupil's name, please/, 'still refuses what is not a name');
  });

  it('not allowed: a purpose outside its section or call type is refused and nothing is stored', async () => {
    const mfl = cardText((await h.click(people.teacher, 'call.plan', call({ year: 'Year 4', purpose: 'mfl-conversation' }))).body?.value);
    assert.match(mfl, /Not allowed: this call cannot go ahead/);
    assert.match(mfl, /MFL conversation practice calls are allowed only for pupils in Senior, not Prep/);
    const counselling = cardText((await h.click(people.teacher, 'call.plan', call({ purpose: 'counselling' }))).body?.value);
    assert.match(counselling, /Counselling is not a purpose allowed for a 1-1 video call: the school allows it by audio or phone only/);
    const t = await h.lantern.services.tables.table('calls');
    assert.equal((await t.listEntities().next()).done, true);
  });

  it('needs permission: the deputy head (academic) approves in chat, checked on the server, and the teacher is told', async () => {
    await h.say(people.academicHead, 'hello');
    await h.say(people.teacher, 'hello');
    const res = await h.click(people.teacher, 'call.plan', call({ purpose: 'academic-reason', reason: 'Coursework moderation feedback' }));
    assert.match(cardText(res.body?.value), /Needs permission first: the request has gone to the deputy head \(academic\)/);
    const id = idOf(res.body?.value);
    const request = h.connector.messagesIn(personalChat(people.academicHead).id).at(-1)!;
    const requestText = visibleText(request);
    assert.match(requestText, new RegExp(`permission request ${id}`));
    assert.match(requestText, /J\.S\. \(Year 9, Senior\)/);
    assert.match(requestText, /Coursework moderation feedback/);
    assert.doesNotMatch(requestText, /Jamie|Smith/);
    assert.deepEqual(actionsOf(cardOf(request)).map((a) => [a.verb, a.data.id]), [['call.approve', id], ['call.decline', id]]);

    clock.tick(1000);
    assert.match((await h.click(people.teacher2, 'call.approve', { id })).body?.value, /Only the deputy head \(academic\) can decide this request/);
    clock.tick(1000);
    assert.match((await h.click(people.pastoralHead, 'call.approve', { id })).body?.value, /Only the deputy head \(academic\)/);
    clock.tick(1000);
    assert.equal((await storedCall(id)).state, 'awaiting-permission');

    const approved = await h.click(people.academicHead, 'call.approve', { id, comment: 'Keep it to 20 minutes.' });
    assert.match(cardText(approved.body?.value), /Approved by Nick Grant/);
    const stored = await storedCall(id);
    assert.equal(stored.state, 'planned');
    assert.equal(stored.permission.decidedBy.key, 'ngrant');
    const told = h.connector.messagesIn(personalChat(people.teacher).id).at(-1)!;
    assert.match(visibleText(told), new RegExp(`Permission given by Nick Grant: your call ${id} can go ahead`));
    assert.match(visibleText(told), /Keep it to 20 minutes/);
    assert.deepEqual(actionsOf(cardOf(told)).map((a) => a.verb), ['call.recordForm']);
    assert.equal(h.connector.updated.at(-1)?.activityId, request.id, 'the request card is updated in place');

    const again = await h.click(people.academicHead, 'call.decline', { id });
    assert.match(cardText(again.body?.value), /Approved by Nick Grant/);
    const history = await h.lantern.services.audit.history('call', id);
    assert.deepEqual(history.map((e) => e.action), ['call.planned', 'call.decision-refused', 'call.decision-refused', 'call.permission-approved']);
  });

  it('tells the deputy head when their decision could not reach the teacher, instead of only showing it decided', async () => {
    await h.say(people.academicHead, 'hello');
    await h.say(people.teacher, 'hello');
    const id = idOf((await h.click(people.teacher, 'call.plan', call({ purpose: 'academic-reason', reason: 'Coursework moderation feedback' }))).body?.value);
    // The teacher's chat refuses posts by the time the decision comes (app removed, account gone).
    h.connector.failing.add(personalChat(people.teacher).id);
    const approved = cardText((await h.click(people.academicHead, 'call.approve', { id })).body?.value);
    assert.equal((await storedCall(id)).state, 'planned');
    assert.match(approved, /Approved by Nick Grant/);
    assert.match(approved, /could not (reach|tell) Olivia Teacher/, approved);
  });

  it('two decisions racing on one request: exactly one is written, the other is shown the decided request', async () => {
    await h.say(people.academicHead, 'hello');
    const id = idOf((await h.click(people.teacher, 'call.plan', call({ purpose: 'academic-reason', reason: 'Mock exam review' }))).body?.value);
    const results = await Promise.all([h.click(people.academicHead, 'call.approve', { id }), h.click(people.academicHead, 'call.decline', { id })]);
    const decisions = (await h.lantern.services.audit.history('call', id)).filter((e) => e.action.startsWith('call.permission-'));
    assert.equal(decisions.length, 1);
    const winner = decisions[0].action === 'call.permission-approved' ? /Approved by Nick Grant/ : /Declined by Nick Grant/;
    for (const r of results) assert.match(cardText(r.body?.value), winner);
    assert.equal((await storedCall(id)).state, decisions[0].action === 'call.permission-approved' ? 'planned' : 'declined');
  });

  it('needs permission: the deputy head (pastoral) declines in the pastoral channel, whose card carries no pupil details', async () => {
    const channel = teamChannel('Pastoral', 'Staff');
    await h.say(people.dpo, 'register pastoral', channel);
    await h.say(people.teacher, 'hello');
    const res = await h.click(people.teacher, 'call.plan', call({ purpose: 'exceptional-pastoral', reason: 'Bereavement in the family' }));
    const id = idOf(res.body?.value);
    const posted = h.connector.messagesIn(channel.id).at(-1)!;
    const text = visibleText(posted);
    assert.match(text, new RegExp(id));
    assert.doesNotMatch(text, /Jamie|Smith|J\.S\.|Bereavement/);

    const declined = await h.click(people.pastoralHead, 'call.decline', { id, comment: 'Please refer to the DSL instead.' }, channel, posted.id);
    assert.match(cardText(declined.body?.value), /Declined by Emma Fisher/);
    assert.equal((await storedCall(id)).state, 'declined');
    const told = h.connector.messagesIn(personalChat(people.teacher).id).at(-1)!;
    assert.match(visibleText(told), new RegExp(`Permission declined by Emma Fisher: do not hold call ${id}`));
    assert.match(visibleText(told), /Please refer to the DSL instead/);
    assert.deepEqual(actionsOf(cardOf(told)).map((a) => a.verb), ['call.start'], 'no way to record a declined call');
    const update = h.connector.updated.find((u) => u.conversationId === channel.id)!;
    assert.match(JSON.stringify(update.activity), /Declined by Emma Fisher/);
    assert.doesNotMatch(JSON.stringify(update.activity), /Jamie|Bereavement|refer to the DSL/);
  });

  it('needs permission: the deputy head (pastoral) planning a call that needs their own permission does not give it: it goes 1:1 to the Head', async () => {
    const channel = teamChannel('Pastoral', 'Staff');
    await h.say(people.dpo, 'register pastoral', channel);
    await h.say(people.head, 'hello');
    const res = await h.click(people.pastoralHead, 'call.plan', call({ purpose: 'exceptional-pastoral', reason: 'Bereavement in the family' }));
    const id = idOf(res.body?.value);
    assert.match(cardText(res.body?.value), /the request has gone to Helen Brook, the Head, as the call's planner holds this permission/);
    assert.equal((await storedCall(id)).permission.alternate.personId, 'hbrook');
    assert.ok(!h.connector.messagesIn(channel.id).some((m) => visibleText(m).includes(id)), 'not to the pastoral channel, where the planner would be asked');
    const toHead = h.connector.messagesIn(personalChat(people.head).id).at(-1)!;
    assert.match(visibleText(toHead), new RegExp(id));
    assert.match(visibleText(toHead), /Its planner holds this permission themselves/);

    const own = await h.click(people.pastoralHead, 'call.approve', { id });
    assert.match(own.body?.value, /You planned this call, so its permission has to come from someone else\. Nothing was changed\./);
    const other = await h.click(people.academicHead, 'call.approve', { id });
    assert.match(other.body?.value, /Only the person this request was sent to can decide it\. Nothing was changed\./);
    assert.equal((await storedCall(id)).state, 'awaiting-permission');

    const approved = await h.click(people.head, 'call.approve', { id, comment: 'Fine: keep it short.' });
    assert.match(cardText(approved.body?.value), /Approved by Helen Brook/);
    assert.equal((await storedCall(id)).state, 'planned');
  });

  it('needs permission: a call planned before the planner could be told apart is still not approved by its own planner', async () => {
    const res = await h.click(people.pastoralHead, 'call.plan', call({ purpose: 'exceptional-pastoral', reason: 'Bereavement in the family' }));
    const id = idOf(res.body?.value);
    const t = await h.lantern.services.tables.table('calls');
    const e = await t.getEntity('call', id);
    const record = JSON.parse(String(e.json0));
    delete record.permission.alternate;
    await t.updateEntity({ partitionKey: 'call', rowKey: id, json0: JSON.stringify(record) }, 'Merge');
    const own = await h.click(people.pastoralHead, 'call.approve', { id });
    assert.match(own.body?.value, /You planned this call/);
    assert.equal((await storedCall(id)).state, 'awaiting-permission');
  });

  it('after a pastoral call: the secure note is required, then readable only by its author, the DSLs and the deputy head (pastoral)', async () => {
    const planned = await h.click(people.teacher, 'call.plan', call({ kind: 'audio', purpose: 'pastoral-catch-up' }));
    const id = idOf(planned.body?.value);
    clock.setSystemTime(Date.parse('2026-11-26T17:00:00Z'));
    assert.match((await h.click(people.teacher2, 'call.recordForm', { id })).body?.value, /Only the teacher who planned a call can log it/);
    const list = cardOf((await h.say(people.teacher, 'log a call'))[0]);
    assert.deepEqual(actionsOf(list).filter((a) => a.verb === 'call.recordForm').map((a) => a.data.id), [id]);
    const form = (await h.click(people.teacher, 'call.recordForm', { id })).body?.value;
    assert.match(cardText(form), /write the secure note/);

    const missing = await h.click(people.teacher, 'call.record', { id, date: '2026-11-26', time: '16:05', note: '' });
    assert.match(cardText(missing.body?.value), /A secure note must follow every 1-1 pastoral call/);
    assert.equal((await storedCall(id)).state, 'planned');

    const note = 'Worried about sleep before mocks; agreed to check in next week.';
    const recorded = (await h.click(people.teacher, 'call.record', { id, date: '2026-11-26', time: '16:05', note })).body?.value;
    assert.match(cardText(recorded), new RegExp(`Logged: call ${id}`));
    const concern = actionsOf(recorded).find((a) => a.verb === 'incident.start');
    assert.deepEqual(concern?.data, { source: '1-1 call', context: `1-1 pastoral call ${id} with pupil J.S. (Year 9) on Thu 26 Nov 2026` });
    const stored = await storedCall(id);
    assert.equal(stored.state, 'held');
    assert.deepEqual(stored.held, { date: '2026-11-26', time: '16:05', recordedAt: '2026-11-26T17:00:00.000Z' });
    assert.doesNotMatch(JSON.stringify(stored), /Worried/, 'the note is not in the call record');

    clock.tick(1000);
    assert.match(cardText((await h.click(people.teacher, 'call.note', { id })).body?.value), /Worried about sleep/);
    clock.tick(1000);
    assert.match(visibleText((await h.say(people.seniorDsl, `call note ${id}`))[0]), /Worried about sleep/);
    clock.tick(1000);
    assert.match(cardText((await h.click(people.pastoralHead, 'call.note', { id })).body?.value), /Worried about sleep/);
    for (const who of [people.teacher2, people.hodMaths, people.academicHead]) {
      clock.tick(1000);
      const refused = await h.click(who, 'call.note', { id });
      assert.equal(refused.body?.value, 'A secure note can be read only by its author, the DSLs and the deputy head (pastoral).');
    }
    const inChannel = await h.say(people.seniorDsl, `call note ${id}`, teamChannel('Safeguarding Senior'));
    assert.match(visibleText(inChannel[0]), /only in a 1:1 chat/);
    assert.doesNotMatch(visibleText(inChannel[0]), /Worried/);

    const history = (await h.lantern.services.audit.history('call', id)).map((e) => `${e.action}:${e.actor.id}`);
    // Written and notified share the clock's instant, so the notice is checked on its own.
    assert.ok(history.includes('call-note.notified:lantern'));
    assert.deepEqual(history.filter((a) => a.startsWith('call-note') && a !== 'call-note.notified:lantern'), [
      'call-note.written:o.teacher@hollinspark.example.org',
      'call-note.read:o.teacher@hollinspark.example.org',
      'call-note.read:dkhan',
      'call-note.read:efisher',
      'call-note.read-refused:s.tutor@hollinspark.example.org',
      'call-note.read-refused:cshaw',
      'call-note.read-refused:ngrant',
    ]);
    assert.doesNotMatch(JSON.stringify(await h.lantern.services.audit.history('call', id)), /Worried/);
  });
});
