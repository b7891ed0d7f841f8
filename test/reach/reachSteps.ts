import type { Member } from '../support/fakeConnector';
import type { Harness } from '../support/harness';
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
