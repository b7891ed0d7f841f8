import assert from 'node:assert/strict';
import { incidentsModule } from '../../bot/incidents';
import type { IncidentCase } from '../../bot/incidents/caseRecord';
import { DocumentTable } from '../../bot/storage/documentTable';
import { cardOf, cardText, visibleText } from '../support/cards';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { groupChat, personalChat, teamChannel } from '../support/teamsChannel';
import { fileReport, PUPIL_DETAILS, refIn, shown } from './reportSteps';

describe('reporting an incident (guided card form, end to end)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ modules: [incidentsModule] });
  });
  afterEach(async () => h.stop());

  const stored = async (ref: string) => (await new DocumentTable<IncidentCase>(h.lantern.services.tables, 'incidents').get('case', ref))!.value;
  const draft = () => h.lantern.services.drafts.get<Record<string, unknown>>(people.teacher.aadObjectId, 'incident');

  it('asks about immediate danger first, says "Call 999 now" and alerts the DSL and deputy at once, then takes the report as P0', async () => {
    const channel = teamChannel('Safeguarding Senior');
    await h.say(people.dpo, 'register dsl Senior', channel);
    await h.say(people.seniorDsl, 'help');
    await h.say(people.seniorDeputy, 'help');
    const first = visibleText((await h.say(people.teacher, 'report an incident'))[0]);
    assert.match(first, /If a child is in immediate danger, call 999 first[\s\S]*Is a child in immediate danger\?/);
    const channelBefore = h.connector.messagesIn(channel.id).length;
    const gate = await h.click(people.teacher, 'incident.danger', { step: 'safety', answer: 'yes', section: 'Senior' });
    assert.match(shown(gate), /Call 999 now\.[\s\S]*I have alerted: the Safeguarding › Safeguarding Senior channel, Daniel Khan, Laura Morris/);
    const alertPost = h.connector.messagesIn(channel.id).slice(channelBefore)[0];
    const alert = visibleText(alertPost);
    assert.match(alert, /URGENT: a child may be in immediate danger[\s\S]*Alert\nALERT-[0-9A-F]{6}[\s\S]*Senior[\s\S]*Olivia Teacher/);
    const alertRef = /ALERT-[0-9A-F]{6}/.exec(alert)![0];
    // A way to reach the reporter at once, and nothing about the child in the channel.
    const chat = (cardOf(alertPost)!.actions as any[]).find((a) => a.type === 'Action.OpenUrl');
    assert.deepEqual([chat?.title, chat?.url], ['Chat with Olivia Teacher', 'https://teams.microsoft.com/l/chat/0/0?users=o.teacher%40hollinspark.example.org']);
    assert.match(visibleText(h.connector.messagesIn(personalChat(people.seniorDsl).id).at(-1)), /URGENT/);
    assert.match(visibleText(h.connector.messagesIn(personalChat(people.seniorDeputy).id).at(-1)), /URGENT/);
    // The report continues afterwards, and a second "yes" does not alert again.
    const alertsBefore = h.connector.sent.length;
    await h.click(people.teacher, 'incident.back', { step: 'danger' });
    await h.click(people.teacher, 'incident.danger', { step: 'safety', answer: 'yes', section: 'Senior' });
    assert.equal(h.connector.sent.length, alertsBefore);
    await h.click(people.teacher, 'incident.next', { step: 'danger' });
    await h.click(people.teacher, 'incident.next', { step: 'category', category: 'cyberbullying', subject: 'pupil' });
    const receipt = shown(await h.click(people.teacher, 'incident.next', { step: 'details', ...PUPIL_DETAILS }));
    const ref = refIn(receipt)!;
    assert.match(receipt, /P0 — immediate danger/);
    const c = await stored(ref);
    assert.equal(c.immediateDanger, true);
    assert.equal(c.urgency, 'P0');
    const chronology = (await h.lantern.services.audit.history('incident', ref)).map((e) => e.action);
    assert.deepEqual(chronology.slice(0, 3), ['case.urgent-alert', 'case.reported', 'case.routed']);
    assert.equal(c.urgentAlertRef, alertRef, 'the case carries the reference the alert gave');
    const record = cardText((await h.click(people.seniorDsl, 'incident.open', { ref })).body?.value);
    assert.match(record, new RegExp(`Yes: 999 advised, alert ${alertRef} sent`));
    assert.match(record, /Reported · status set to New/, 'the chronology in words, not "status: — → New"');
    assert.match(record, /What was reported/);
    assert.doesNotMatch(record, /—\s*→|\bAccount\b/);
  });

  it('alerts every DSL and deputy when the reporter does not know the section, and says so when no one is reachable', async () => {
    const lonely = await h.click(people.teacher2, 'incident.start', {});
    assert.equal(lonely.body?.value, 'Your report has started below.');
    assert.match(shown(await h.click(people.teacher2, 'incident.danger', { step: 'safety', answer: 'yes', section: 'unsure' })), /Call 999 now\.[\s\S]*Nobody has received this alert[\s\S]*Phone now: Tom Jones \(07700 900006\)[\s\S]*Helen Brook \(07700 900001\)/);
    for (const m of [people.seniorDsl, people.prepDsl, people.prePrepDsl, people.prepDeputy]) await h.say(m, 'help');
    await h.say(people.teacher, 'report an incident');
    const gate = shown(await h.click(people.teacher, 'incident.danger', { step: 'safety', answer: 'yes', section: 'unsure' }));
    assert.match(gate, /I have alerted: .*Tom Jones.*Kiran Patel.*Priya Green.*Daniel Khan\. Not reached in Teams: Laura Morris \(07700 900004\)\. Phone them/);
    assert.match(visibleText(h.connector.messagesIn(personalChat(people.prepDsl).id).at(-1)), /URGENT[\s\S]*Not known yet/);
  });

  it('shows the illegal-content rules before anything else, records which were done, flags police referral and takes no attachments', async () => {
    const channel = teamChannel('Safeguarding Senior');
    await h.say(people.dpo, 'register dsl Senior', channel);
    await h.say(people.teacher, 'report an incident');
    await h.click(people.teacher, 'incident.danger', { step: 'safety', answer: 'no', section: 'Senior' });
    const rules = shown(await h.click(people.teacher, 'incident.next', { step: 'category', category: 'indecent-image', subject: 'pupil' }));
    assert.match(rules, /Stop\. This may be illegal content[\s\S]*Do not look any further[\s\S]*Do not copy, forward, print or screenshot[\s\S]*Turn the screen off, but do not switch the device off[\s\S]*Secure the device[\s\S]*Note the web address/);
    assert.match(rules, /takes no attachments/);
    const details = shown(await h.click(people.teacher, 'incident.next', { step: 'illegal', stoppedLooking: 'true', notCopied: 'true', screenOff: 'true', secured: 'false', urlNoted: 'true' }));
    assert.match(details, /Do not attach, paste or screenshot anything/);
    const receipt = shown(await h.click(people.teacher, 'incident.next', { step: 'details', ...PUPIL_DETAILS, url: 'https://bad.example.com/x' }));
    assert.match(receipt, /P1 — urgent[\s\S]*Flagged for a police referral/);
    const ref = refIn(receipt)!;
    const c = await stored(ref);
    assert.equal(c.policeReferral, true);
    assert.deepEqual(c.facts.preserved, { stoppedLooking: true, notCopied: true, screenOff: true, secured: false, urlNoted: true });
    assert.match(visibleText(h.connector.messagesIn(channel.id).at(-1)), /Police referral needed/);
  });

  it('re-shows a step with the error by the field and keeps what was typed; enforces limits, URLs and asks for an unknown section', async () => {
    await h.say(people.teacher, 'report an incident');
    await h.click(people.teacher, 'incident.danger', { step: 'safety', answer: 'no', section: 'unsure' });
    const missing = await h.click(people.teacher, 'incident.next', { step: 'category', subject: 'pupil' });
    assert.match(shown(missing), /Choose what happened\./);
    await h.click(people.teacher, 'incident.next', { step: 'category', category: 'other', subject: 'pupil' });
    const bad = await h.click(people.teacher, 'incident.next', {
      step: 'details',
      occurredOn: '2026-11-20',
      place: 'online',
      pupilName: 'Jamie Example',
      pupilYear: 'Year 14',
      url: 'javascript:alert(1)',
      childsWords: 'x'.repeat(1001),
      description: '',
    });
    const card = cardOf({ activity: { attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: bad.body?.value }] } })!;
    const text = shown(bad);
    assert.match(text, /Describe what happened\./);
    assert.match(text, /Give a web address starting with http:\/\/ or https:\/\//);
    assert.match(text, /The child's words is 1001 characters; the limit is 1000\./);
    assert.match(text, /I can't tell the section from "Year 14"\. Which section does this concern\?/);
    assert.match(text, /up to 2,000 characters/, 'limits are stated on the card');
    const pupilName = JSON.stringify(card).match(/"id":"pupilName"[^}]*"value":"([^"]*)"/)?.[1];
    assert.equal(pupilName, 'Jamie Example', 'typed values are kept');
    assert.equal((await draft())?.value.step, 'details');
    // Fields that hold text or an error are open; the section is asked here because the first card said "not sure".
    assert.equal(JSON.stringify(card).includes('"id":"section"'), true);
    const openOf = (id: string) => (card.body as any[]).find((b) => b.id === id)?.isVisible;
    assert.equal(openOf('more-words'), true, "the child's words hold text and an error: shown");
    assert.equal(openOf('more-device'), true, 'the web address has an error: shown');
    const ok = shown(await h.click(people.teacher, 'incident.next', { step: 'details', ...PUPIL_DETAILS, pupilYear: 'Year 14', section: 'Prep' }));
    assert.ok(refIn(ok), ok);
  });

  it('asks nothing twice and keeps the details card short: the section is not asked again, optional fields fold away', async () => {
    await h.say(people.teacher, 'report an incident');
    await h.click(people.teacher, 'incident.danger', { step: 'safety', answer: 'no', section: 'Senior' });
    const details = (await h.click(people.teacher, 'incident.next', { step: 'category', category: 'cyberbullying', subject: 'pupil' })).body?.value;
    const inputs: Array<{ id: string; hidden: boolean }> = [];
    const walk = (node: any, hidden: boolean) => {
      if (Array.isArray(node)) return node.forEach((n) => walk(n, hidden));
      if (!node || typeof node !== 'object') return;
      const here = hidden || node.isVisible === false;
      if (typeof node.type === 'string' && node.type.startsWith('Input.')) inputs.push({ id: node.id, hidden: here });
      for (const [k, v] of Object.entries(node)) if (k !== 'actions' && typeof v === 'object') walk(v, here);
    };
    walk(details.body, false);
    assert.ok(!inputs.some((i) => i.id === 'section'), 'the section was answered on the first card');
    const shownNow = inputs.filter((i) => !i.hidden).map((i) => i.id);
    assert.deepEqual(shownNow, ['occurredOn', 'occurredAt', 'place', 'pupilName', 'pupilYear', 'description', 'actionTaken']);
    assert.deepEqual(inputs.filter((i) => i.hidden).map((i) => i.id), ['childsWords', 'device', 'url'], 'one tap away, not gone');
    // Sent without a section field, the report keeps the first card's answer.
    const receipt = shown(await h.click(people.teacher, 'incident.next', { step: 'details', ...PUPIL_DETAILS, pupilYear: 'Year 3' }));
    const ref = refIn(receipt)!;
    assert.equal((await stored(ref)).section, 'Senior', 'the answer given on the first card, not guessed again from the year');
  });

  it('keeps a half-filled report through a restart and resumes it', async () => {
    await h.say(people.teacher, 'report an incident');
    await h.click(people.teacher, 'incident.danger', { step: 'safety', answer: 'no', section: 'Senior' });
    await h.click(people.teacher, 'incident.next', { step: 'category', category: 'cyberbullying', subject: 'pupil' });
    await h.click(people.teacher, 'incident.back', { step: 'details', description: 'Half typed account' });
    await h.restart();
    const resume = visibleText((await h.say(people.teacher, 'report an incident'))[0]);
    assert.match(resume, /You have an unfinished incident report[\s\S]*what happened/);
    const back = await h.click(people.teacher, 'incident.resume');
    assert.match(JSON.stringify(back.body?.value), /"value":"cyberbullying"/);
    const details = await h.click(people.teacher, 'incident.next', { step: 'category', category: 'cyberbullying', subject: 'pupil' });
    assert.match(JSON.stringify(details.body?.value), /Half typed account/);
  });

  it('answers a card from an earlier step without changing anything, and cancels cleanly', async () => {
    await h.say(people.teacher, 'report an incident');
    await h.click(people.teacher, 'incident.danger', { step: 'safety', answer: 'no', section: 'Senior' });
    const stale = await h.click(people.teacher, 'incident.next', { step: 'details', ...PUPIL_DETAILS });
    assert.match(shown(stale), /That card was out of date, so nothing was changed/);
    assert.equal((await draft())?.value.step, 'category');
    assert.match(shown(await h.click(people.teacher, 'incident.cancel')), /Report cancelled/);
    assert.equal(await draft(), undefined);
    assert.match(shown(await h.click(people.teacher, 'incident.next', { step: 'category' })), /There is no report in progress/);
  });

  it('never takes a report in a channel or group chat: the form goes 1:1 and the channel hears one sentence', async () => {
    const channel = teamChannel('Staffroom', 'Staff');
    const reply = await h.say(people.teacher, 'report an incident', channel);
    assert.equal(reply.length, 1);
    assert.equal(reply[0].activity.text, "I've sent you a private message to take the report.");
    assert.match(visibleText(h.connector.sent.at(-2)), /Is a child in immediate danger\?/);
    assert.notEqual(h.connector.sent.at(-2)?.conversationId, channel.id);
    const group = await h.click(people.teacher2, 'incident.start', { source: 'tutor session', context: 'Tutor group 9B' }, groupChat('year9'));
    assert.equal(group.body?.value, "I've sent you a private message to take the report.");
    const inChannel = await h.click(people.teacher, 'incident.danger', { step: 'safety', answer: 'no' }, channel);
    assert.match(String(inChannel.body?.value), /only taken in your private chat/);
  });

  it('starts from another capability\'s button with its context, capped and shown to the reporter and stored on the case', async () => {
    const res = await h.click(people.teacher, 'incident.start', { source: 'tutor session', context: `Tutor group 9B, 20 Nov${'!'.repeat(300)}` });
    assert.equal(res.body?.value, 'Your report has started below.');
    const form = visibleText(h.connector.messagesIn(personalChat(people.teacher).id).at(-1));
    assert.match(form, /Started from tutor session: Tutor group 9B, 20 Nov/);
    assert.equal(((await draft())?.value.values as { context: string }).context.length, 200);
    await h.click(people.teacher, 'incident.danger', { step: 'safety', answer: 'no', section: 'Senior' });
    await h.click(people.teacher, 'incident.next', { step: 'category', category: 'other', subject: 'pupil' });
    const ref = refIn(shown(await h.click(people.teacher, 'incident.next', { step: 'details', ...PUPIL_DETAILS })))!;
    assert.equal((await stored(ref)).source, 'tutor session');
  });

  it('makes one case from two "Send report" clicks at once', async () => {
    await h.say(people.teacher, 'report an incident');
    await h.click(people.teacher, 'incident.danger', { step: 'safety', answer: 'no', section: 'Senior' });
    await h.click(people.teacher, 'incident.next', { step: 'category', category: 'other', subject: 'pupil' });
    const both = await Promise.all([1, 2].map(() => h.click(people.teacher, 'incident.next', { step: 'details', ...PUPIL_DETAILS })));
    assert.equal(both.filter((r) => refIn(shown(r))).length, 1, both.map(shown).join('\n===\n'));
    const cases = await new DocumentTable<IncidentCase>(h.lantern.services.tables, 'incidents').list('case');
    assert.equal(cases.length, 1);
  });

  it('after sending, the old cards answer with the same receipt, Cancel says it was already sent, and a new report starts fresh', async () => {
    const { ref } = await fileReport(h, people.teacher, { category: 'other', subject: 'pupil', section: 'Senior', details: PUPIL_DETAILS });
    assert.equal(refIn(shown(await h.click(people.teacher, 'incident.next', { step: 'details', ...PUPIL_DETAILS }))), ref, 'Send report again: the same receipt');
    assert.equal(refIn(shown(await h.click(people.teacher, 'incident.back', { step: 'details' }))), ref, 'Back on the old card: the same receipt');
    assert.match(shown(await h.click(people.teacher, 'incident.cancel')), new RegExp(`already sent as ${ref}, so it cannot be cancelled`));
    const cases = await new DocumentTable<IncidentCase>(h.lantern.services.tables, 'incidents').list('case');
    assert.deepEqual(cases.map((c) => c.value.ref), [ref]);
    await h.say(people.teacher, 'report an incident');
    assert.match(visibleText(h.connector.messagesIn(personalChat(people.teacher).id).at(-1)), /Is a child in immediate danger\?/, 'a new report, not "continue?"');
  });

  it('drafts left `sending` by the version before the outbox are back at their last step and each sends its own case', async () => {
    const refs: string[] = [];
    for (const user of [people.teacher, people.teacher2]) {
      await h.say(user, 'report an incident');
      await h.click(user, 'incident.danger', { step: 'safety', answer: 'no', section: 'Senior' });
      await h.click(user, 'incident.next', { step: 'category', category: 'other', subject: 'pupil' });
      const left = (await h.lantern.services.drafts.get<Record<string, unknown>>(user.aadObjectId, 'incident'))!;
      await h.lantern.services.drafts.save(user.aadObjectId, 'incident', 'sending', { ...left.value.values, ...PUPIL_DETAILS, section: 'Senior' }, left.etag);
      const ref = refIn(shown(await h.click(user, 'incident.next', { step: 'details', ...PUPIL_DETAILS })));
      assert.ok(ref);
      refs.push(ref!);
    }
    const cases = await new DocumentTable<IncidentCase>(h.lantern.services.tables, 'incidents').list('case');
    assert.deepEqual(cases.map((c) => [c.value.ref, c.value.reporter.name]), [[refs[0], people.teacher.name], [refs[1], people.teacher2.name]]);
  });

  it('is offered on the help card, role-aware, and starts from its button', async () => {
    const teacherHelp = visibleText((await h.say(people.teacher, 'help'))[0]);
    assert.match(teacherHelp, /Report a concern/);
    assert.doesNotMatch(teacherHelp, /Mark me away|Export a case/);
    assert.match(visibleText((await h.say(people.seniorDeputy, 'help'))[0]), /Mark me away[\s\S]*Export a case/);
    await h.click(people.teacher, 'core.run', { command: 'report an incident' });
    assert.match(visibleText(h.connector.messagesIn(personalChat(people.teacher).id).at(-1)), /Is a child in immediate danger\?/);
  });

  it('issues a new reference per report', async () => {
    const a = await fileReport(h, people.teacher, { category: 'other', subject: 'pupil', details: PUPIL_DETAILS });
    const b = await fileReport(h, people.teacher2, { category: 'other', subject: 'pupil', details: PUPIL_DETAILS });
    assert.notEqual(a.ref, b.ref);
    assert.match(a.ref, /^INC-\d{4}-\d{4}$/);
  });
});
