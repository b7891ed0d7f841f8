import assert from 'node:assert/strict';
import type { TableClient } from '@azure/data-tables';
import { endpointFromConnectionString } from '../../bot/storage/tableService';
import { cardOf, cardText, visibleText, actionsOf } from '../support/cards';
import { startHarness, type Harness } from '../support/harness';
import { messageActivity, personalChat, teamChannel } from '../support/teamsChannel';
import { QuestionLog } from '../../bot/policy/questionLog';
import { schoolOf } from './trustRolesSetup';
import { know, PUPIL_DETAILS, receivedBy, shown } from '../incidents/reportSteps';
import { act, sendRequest } from '../filtering/helpers';
import { RequestStore } from '../../bot/filtering/requestStore';
import { SCHOOL_FIELD } from '../../bot/trust/schoolStamp';
import { withBotTables } from '../../bot/tools/botTables';
import { configCheck } from '../../bot/config/configCheck';
import { setupCheckText } from '../../bot/setup/setupCheckScript';
import { DocumentTable } from '../../bot/storage/documentTable';
import type { IncidentCase } from '../../bot/incidents/caseRecord';
import type { Member } from '../support/fakeConnector';
import { EXAMPLE_TRUST, staff, trustMembers } from './trustPeople';

const m = trustMembers();

/** Files a report through the form as staff do; returns the reference in the receipt. */
async function report(h: Harness, user: Member, section: string): Promise<string> {
  await h.say(user, 'report an incident');
  await h.click(user, 'incident.danger', { step: 'safety', answer: 'no', section: '' });
  await h.click(user, 'incident.next', { step: 'category', category: 'cyberbullying', subject: 'pupil' });
  const receipt = shown(await h.click(user, 'incident.next', { step: 'details', section, ...PUPIL_DETAILS }));
  const ref = /\b([A-Z]{2,6}-\d{4}-\d{4})\b/.exec(receipt)?.[1];
  assert.ok(ref, `expected a receipt with a reference, got: ${receipt}`);
  return ref!;
}

async function partitionKeys(h: Harness, table: string): Promise<string[]> {
  const client: TableClient = endpointFromConnectionString(h.env.TABLES_CONNECTION_STRING, 'test', h.env.TABLES_PREFIX).client(table);
  const keys: string[] = [];
  for await (const e of client.listEntities()) keys.push(String(e.partitionKey));
  return keys;
}

describe('one Lantern for a trust of two schools (e2e over HTTP, Azurite)', function () {
  this.timeout(120_000);
  let h: Harness;

  before(async () => {
    h = await startHarness({ env: { SCHOOL_CONFIG: EXAMPLE_TRUST } });
    for (const member of [...Object.values(m), ...Object.values(staff)]) h.connector.addMember(member);
  });
  after(async () => h?.stop());

  it('starts every school of the trust file in one process', () => {
    assert.deepEqual(h.lantern.schools.map((s) => [s.id, s.name]), [['ashgrove', 'Ashgrove Primary School'], ['brookfield', 'Brookfield Academy']]);
  });

  it("answers each school's staff from that school's policies, and both from the trust's", async () => {
    const ash = (await h.say(staff.ashgrove, 'Can pupils use the class tablets at break?')).map(visibleText).join('\n');
    assert.match(ash, /trolley/i);
    assert.doesNotMatch(ash, /Brookfield/);
    const brk = (await h.say(staff.brookfield, 'Can students use their mobile phones in lessons?')).map(visibleText).join('\n');
    assert.match(brk, /Brookfield Academy Online Safety Policy/);
    assert.doesNotMatch(brk, /Ashgrove/);
    for (const who of [staff.ashgrove, staff.brookfield]) {
      const answer = (await h.say(who, 'Can I carry pupil data on a memory stick?')).map(visibleText).join('\n');
      assert.match(answer, /Trust Data Protection Policy/, `${who.name} gets the trust-wide policy: ${answer}`);
    }
  });

  it("sends each school's case to its own DSL, with its own reference, in its own partitions", async () => {
    await know(h, m.sdunn, m.kobi);
    const ashRef = await report(h, staff.ashgrove, 'Primary');
    const brkRef = await report(h, staff.brookfield, 'Lower');
    assert.match(ashRef, /^ASH-/);
    assert.match(brkRef, /^BRK-/);
    assert.match(receivedBy(h, m.sdunn), new RegExp(ashRef));
    assert.doesNotMatch(receivedBy(h, m.sdunn), new RegExp(brkRef));
    assert.match(receivedBy(h, m.kobi), new RegExp(brkRef));
    assert.doesNotMatch(receivedBy(h, m.kobi), new RegExp(ashRef));
    const keys = await partitionKeys(h, 'incidents');
    assert.ok(keys.length >= 2 && keys.every((k) => k.startsWith('s.ashgrove|') || k.startsWith('s.brookfield|')), keys.join(', '));
    const audit = await partitionKeys(h, 'audit');
    assert.ok(audit.some((k) => k.startsWith('s.ashgrove|')) && audit.some((k) => k.startsWith('s.brookfield|')), 'each school audits in its own partitions');
  });

  it('asks someone in both schools once which school a chat is for, runs what they sent, and remembers it', async () => {
    const asked = await h.say(m.jellis, 'help');
    assert.equal(asked.length, 1);
    const card = cardOf(asked[0]);
    assert.match(cardText(card), /Which school is this for\?/);
    // Long school names wrap in a list of choices; a button title would not (the browser check found them cut at phone width).
    const choices = card!.body.find((e: { id?: string }) => e.id === 'school');
    assert.deepEqual(choices.choices.map((c: { title: string; value: string }) => [c.title, c.value]), [['Ashgrove Primary School', 'ashgrove'], ['Brookfield Academy', 'brookfield']]);
    assert.deepEqual(actionsOf(card).map((a) => [a.title, a.verb]), [['Use this school', 'school.choose']]);

    const before = h.connector.sent.length;
    const chosen = await h.click(m.jellis, 'school.choose', { school: 'brookfield' });
    assert.match(shown(chosen), /now for Brookfield Academy/);
    const help = h.connector.sent.slice(before).filter((s) => s.conversationId === personalChat(m.jellis).id);
    assert.ok(help.some((s) => /Brookfield|Setting up Lantern/.test(cardText(cardOf(s)))), 'the help they asked for arrives once they chose');

    const again = await h.say(m.jellis, 'help');
    assert.doesNotMatch(again.map(visibleText).join('\n'), /Which school is this for/, 'the choice sticks for this chat');

    const switched = await h.say(m.jellis, 'switch school');
    assert.match(cardText(cardOf(switched[0])), /Which school is this for\?/);
    assert.match(shown(await h.click(m.jellis, 'school.choose', { school: 'ashgrove' })), /now for Ashgrove Primary School/);
  });

  it('refuses a choice of a school the person is not in, and never asks someone one school lists', async () => {
    const forged = await h.click(m.sdunn, 'school.choose', { school: 'brookfield' });
    assert.match(shown(forged), /now for Ashgrove Primary School/, 'the choice card of one school lists only theirs: the forged school is ignored');
    const help = await h.say(m.kobi, 'help');
    assert.doesNotMatch(help.map(visibleText).join('\n'), /Which school is this for/);
  });

  it("routes a channel turn to the school that registered the channel, whoever speaks there", async () => {
    const channel = teamChannel('Brookfield DSL', 'Brookfield Safeguarding');
    const registered = (await h.say(m.tnash, 'register dsl Lower', channel)).map(visibleText).join('\n');
    assert.match(registered, /Lower/);
    const inChannel = (await h.say(m.jellis, 'help', channel)).map(visibleText).join('\n');
    assert.doesNotMatch(inChannel, /Which school is this for/);
  });

  it("takes a press on a card to the school that sent it, whichever school the chat is for", async () => {
    await know(h, m.jellis);
    const ashRef = await sendRequest(h, staff.ashgrove, { audienceDetail: 'Year 5' });
    const brkRef = await sendRequest(h, staff.brookfield);
    assert.equal(ashRef, brkRef, 'each school numbers its own requests, so the same reference exists in both');
    assert.match(shown(await act(h, m.sdunn, 'filter.approve', ashRef, 'sanction')), /sanction/i);
    assert.match(shown(await act(h, m.kobi, 'filter.approve', brkRef, 'sanction')), /sanction/i);

    // Jo Ellis, IT manager of both, chose Ashgrove for this chat above; both requests now wait for them.
    const cards = h.connector.messagesIn(personalChat(m.jellis).id).map((s) => cardOf(s)).filter((c) => c);
    const authorise = (school: string) => cards.flatMap((c) => actionsOf(c)).find((a) => a.verb === 'filter.approve' && a.data[SCHOOL_FIELD] === school);
    const brookfieldButton = authorise('brookfield');
    assert.ok(brookfieldButton && authorise('ashgrove'), 'each school stamps its own cards');
    await h.click(m.jellis, 'filter.approve', { ...brookfieldButton!.data, comment: '', filterReference: '' });

    const [ashgrove, brookfield] = h.lantern.schools;
    const inBrookfield = (await new RequestStore(brookfield.services.tables).get(brkRef))!.value;
    const inAshgrove = (await new RequestStore(ashgrove.services.tables).get(ashRef))!.value;
    assert.equal(inAshgrove.step, 'authorise', "Ashgrove's request still waits for IT");
    assert.notEqual(inBrookfield.step, 'authorise', "Brookfield's request moved on");
    assert.equal(inBrookfield.history.at(-1)?.by.name, 'Jo Ellis');
  });

  it("runs an export or report script for one school, reading only that school's partitions (LANTERN_SCHOOL)", async () => {
    const refs = (school: string) =>
      withBotTables(async ({ tables, config }) => ({ school: config.loaded().validated.school.school.name, refs: (await new DocumentTable<IncidentCase>(tables, 'incidents').list('case')).map((r) => r.value.ref) }), { ...h.env, LANTERN_SCHOOL: school });
    const ash = await refs('ashgrove');
    assert.equal(ash.school, 'Ashgrove Primary School');
    assert.ok(ash.refs.length > 0 && ash.refs.every((r) => r.startsWith('ASH-')), ash.refs.join(', '));
    const brk = await refs('brookfield');
    assert.ok(brk.refs.length > 0 && brk.refs.every((r) => r.startsWith('BRK-')), brk.refs.join(', '));
    await assert.rejects(withBotTables(async () => undefined, { ...h.env }), /LANTERN_SCHOOL: required with a trust file: one of ashgrove, brookfield/);
  });

  it('checks one school of the trust with config:check and setup:check (LANTERN_SCHOOL)', async () => {
    const config = (await configCheck({ ...h.env, LANTERN_SCHOOL: 'brookfield' })).join('\n');
    assert.match(config, /Brookfield Academy/);
    assert.match(config, /incidents\.referencePrefix: BRK/);
    assert.doesNotMatch(config, /Ashgrove/);
    const setup = await setupCheckText({ ...h.env, LANTERN_SCHOOL: 'brookfield' });
    assert.match(setup, /Brookfield DSL/, 'the channel Brookfield registered above');
    assert.doesNotMatch(setup, /Ashgrove|Amira Holt/);
  });

  it("a policy question Teams redelivers is answered once and logged once, in the asker's school only", async () => {
    const logged = async (school: string) => (await new QuestionLog(schoolOf(h, school).services.tables).recent()).length;
    const before = { ashgrove: await logged('ashgrove'), brookfield: await logged('brookfield') };
    const chat = personalChat(staff.brookfield);
    const answers = () => h.connector.messagesIn(chat.id).filter((s) => /Did this answer your question\?|Do you mean…/.test(cardText(cardOf(s)))).length;
    const answered = answers();
    const activity = messageActivity(h.connector.url, staff.brookfield, chat, 'Can students use their mobile phones in lessons?');
    await h.post(activity);
    await h.post(activity);
    assert.equal(answers() - answered, 1, 'one answer');
    assert.deepEqual({ ashgrove: await logged('ashgrove'), brookfield: await logged('brookfield') }, { ashgrove: before.ashgrove, brookfield: before.brookfield + 1 });
  });
});
