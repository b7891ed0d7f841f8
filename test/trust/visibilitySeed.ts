import assert from 'node:assert/strict';
import { weekStart } from '../../bot/calendar/schoolTime';
import { addDays, isoDate } from '../../bot/filtering/dates';
import { visibleText } from '../support/cards';
import type { Member } from '../support/fakeConnector';
import type { Harness } from '../support/harness';
import { teamChannel, type Conversation } from '../support/teamsChannel';
import { act, sendRequest } from '../filtering/helpers';
import { PUPIL_DETAILS, shown } from '../incidents/reportSteps';
import { call, idOf } from '../calls/callSteps';
import type { Campaigns } from '../../bot/acknowledgements/campaigns';
import { acknowledge, requestsTo, startCampaign } from '../acknowledgements/steps';
import { TWOFOLD, type SchoolFixture } from './visibilityTrust';

/** What one school's people put into Lantern through the bot, as the matrix refers to it. */
export interface Seeded {
  caseRef: string;
  callId: string;
  filterRefs: string[];
  week: string;
  channels: Conversation[];
}

export const today = () => isoDate(new Date());
/** The matrix's term: long enough to hold everything seeded today. */
export const PERIOD = { from: addDays(today(), -30), to: addDays(today(), 30) };

/** Points the chat of the person in both schools at `school`, as their choice card does. */
export async function chooseSchool(h: Harness, school: SchoolFixture): Promise<void> {
  assert.match(shown(await h.click(TWOFOLD, 'school.choose', { school: school.id })), new RegExp(`now for ${school.name}`));
}

/**
 * Seeds one school with a record of every kind, each carrying the school's marker, by its own
 * people over HTTP: registered DSL and IT channels, an incident case (claimed, under legal hold),
 * filter requests (one per `filterCount`, the first sanctioned) and a filter check, tutor logs by its own tutor and
 * by the person in both schools, a 1-1 pastoral call with its secure note, an acknowledgement
 * round (one person acknowledged) and policy questions.
 */
export async function seedSchool(h: Harness, s: SchoolFixture, filterCount: number): Promise<Seeded> {
  const p = s.people;
  const say = async (who: Member, text: string, where?: Conversation) => (await h.say(who, text, where)).map(visibleText).join('\n');
  const dslChannel = teamChannel(`${s.marker} DSL`, `${s.marker} Safeguarding`);
  const itChannel = teamChannel(`${s.marker} IT`, `${s.marker} Technical`);
  // Installed in each school's teams, as a school does before registering a channel: the trust's directory then knows the teams.
  // Each school's teams hold that school's people only (the person in both schools is in none of them).
  for (const channel of [dslChannel, itChannel]) {
    h.connector.setTeam(channel.team!.id, Object.values(p));
    await h.install(p.admin, channel);
  }
  assert.match(await say(p.admin, `register dsl ${s.section}`, dslChannel), new RegExp(s.section));
  assert.match(await say(p.admin, 'register it', itChannel), /IT/);
  await chooseSchool(h, s);

  await h.say(p.staff, 'report an incident');
  await h.click(p.staff, 'incident.danger', { step: 'safety', answer: 'no', section: '' });
  await h.click(p.staff, 'incident.next', { step: 'category', category: 'cyberbullying', subject: 'pupil' });
  const details = { ...PUPIL_DETAILS, occurredOn: today(), pupilName: s.pupil, pupilYear: s.years[0], description: `${s.marker} group chat messages calling the pupil names.`, childsWords: `They say nobody at ${s.marker} likes me.` };
  const receipt = shown(await h.click(p.staff, 'incident.next', { step: 'details', section: s.section, ...details }));
  const caseRef = new RegExp(`\\b(${s.prefix}-\\d{4}-\\d{4})\\b`).exec(receipt)?.[1];
  assert.ok(caseRef, `a receipt with a ${s.prefix} reference: ${receipt}`);
  assert.match(shown(await h.click(p.dsl, 'incident.claim', { ref: caseRef })), new RegExp(caseRef));
  assert.match(await say(p.dsl, `hold ${caseRef} ${s.marker} solicitor's letter`), /hold/i);

  const filterRefs: string[] = [];
  for (let i = 0; i < filterCount; i++) {
    filterRefs.push(await sendRequest(h, p.staff, { url: `${s.website}/${i}`, audienceDetail: s.years[0], reason: `${s.marker} history unit: pupils use the primary sources archive.` }));
  }
  assert.match(shown(await act(h, p.dsl, 'filter.approve', filterRefs[0], 'sanction')), /sanction/i);
  const check = { date: today(), tested: `${s.marker} search for gambling sites`, devices: `${s.marker} library PCs`, userGroups: s.years[0], result: 'passed', followUp: '' };
  assert.match(shown(await h.click(p.tech, 'filter.check-save', check)), /Filter check of .* saved/);

  const week = weekStart(today());
  const log = (who: Member, group: string) =>
    h.click(who, 'tutor.save', { id: '', group, date: week, time: '08:45', mode: 'in-person', attended: 20, absentees: `${s.marker} absentee`, topic: `${s.marker} assembly practice`, concern: 'false' });
  assert.match(shown(await log(TWOFOLD, s.groups.shared)), new RegExp(`Logged: ${s.groups.shared}`));
  assert.match(shown(await log(p.staff, s.groups.own)), new RegExp(`Logged: ${s.groups.own}`));

  const planned = await h.click(p.staff, 'call.plan', call({ kind: 'audio', purpose: 'pastoral-catch-up', pupil: s.pupil, year: s.years[0], date: today(), time: '00:05' }));
  const callId = idOf(planned.body?.value);
  assert.ok(callId, `a planned call: ${shown(planned)}`);
  const recorded = await h.click(p.staff, 'call.record', { id: callId, date: today(), time: '00:10', note: `${s.marker} note: worried about sleep.` });
  assert.match(shown(recorded), new RegExp(`Logged: call ${callId}`));

  const { reply } = await startCampaign(h, p.dsl, { typed: s.document, audience: 'all', due: addDays(today(), 10), note: `${s.marker} section 4 is new.` });
  assert.match(reply, /^Started: 10 people \(all staff\)/, "the round goes to the school's own roster only");
  // This school's own broadcast worker (the harness's capabilities are the first school's).
  const acks = h.lantern.schools.find((x) => x.id === s.id)!.capabilities.find((c) => c.name === 'acknowledgements') as unknown as { campaigns: Campaigns };
  const cardFor = () => requestsTo(h, p.deputy, /Please read and acknowledge/).at(-1);
  for (let tries = 0; tries < 50 && !cardFor(); tries++) {
    await acks.campaigns.worker.drain();
    if (!cardFor()) await new Promise((r) => setTimeout(r, 200));
  }
  const card = cardFor();
  assert.ok(card, `${p.deputy.name} got the acknowledgement card`);
  await acknowledge(h, p.deputy, card);

  await say(p.staff, `Can ${s.marker} pupils use the class tablets at break?`);
  await say(p.staff, `Where are the ${s.marker} minibus keys kept overnight?`);
  return { caseRef, callId, filterRefs, week, channels: [dslChannel, itChannel] };
}

