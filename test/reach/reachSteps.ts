import assert from 'node:assert/strict';
import { shown } from '../incidents/reportSteps';
import { cardOf, cardText, visibleText } from '../support/cards';
import type { Member } from '../support/fakeConnector';
import type { Harness } from '../support/harness';
import { people } from '../support/people';
import { teamChannel, teamMembersActivity } from '../support/teamsChannel';

/** The staff team's General channel: where Teams announces installs and member changes. */
export const STAFF_GENERAL = teamChannel('General', 'Staff');
export const STAFF_TEAM_ID = STAFF_GENERAL.team!.id;

/** Lantern added to the staff team by an admin, with `members` on the team's roster. */
export async function addToStaffTeam(h: Harness, members: Member[], by: Member): Promise<void> {
  h.connector.setTeam(STAFF_TEAM_ID, members);
  await h.install(by, STAFF_GENERAL);
}

/** Teams telling Lantern someone joined or left the staff team (the roster is changed first). */
export async function changeStaffTeam(h: Harness, by: Member, change: { added?: Member[]; removed?: Member[] }): Promise<void> {
  const now = (h.connector.teams.get(STAFF_TEAM_ID) ?? []).filter((m) => !change.removed?.some((r) => r.id === m.id));
  h.connector.setTeam(STAFF_TEAM_ID, [...now, ...(change.added ?? [])]);
  const res = await h.post(teamMembersActivity(h.connector.url, by, STAFF_GENERAL, change));
  if (res.status >= 300) throw new Error(`bot answered HTTP ${res.status}`);
}

/** The 1:1 conversation Lantern opened with `member`, if it did. */
export function openedChatWith(h: Harness, member: Member): string | undefined {
  return h.connector.created.find((c) => c.parameters?.members?.[0]?.id === member.id)?.id;
}

/** A teacher says a child is in immediate danger in `section`; returns what the gate card tells them. */
export async function raiseDangerAlert(h: Harness, section: string, reporter: Member = people.teacher): Promise<string> {
  await h.say(reporter, 'report an incident');
  return shown(await h.click(reporter, 'incident.danger', { step: 'safety', answer: 'yes', section }));
}

/** The setup check card a person gets in their 1:1 chat, as text. */
export async function setupCheck(h: Harness, who: Member = people.seniorDsl): Promise<string> {
  const replies = await h.say(who, 'setup check');
  const card = cardOf(replies.find((r) => cardOf(r)));
  assert.ok(card, `expected a setup check card, got: ${replies.map((r) => visibleText(r)).join(' | ')}`);
  return cardText(card);
}
