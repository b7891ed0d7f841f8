import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { Roster } from '../config/roster';
import type { PeopleDirectory } from '../routing/peopleDirectory';
import { syncTeamRoster, type TeamMember } from '../routing/rosterSync';

// Teams serves at most 500 members a page.
const PAGE_SIZE = 500;

const MEMBER_EVENTS = new Set(['teamMemberAdded', 'teamMemberRemoved']);

/** What a conversationUpdate means for a team's roster, if anything. */
export function rosterChange(context: TurnContext): { teamId: string; teamName: string; uninstalled: boolean; removed: string[] } | undefined {
  const a = context.activity;
  const channelData = (a.channelData ?? {}) as { team?: { id?: string; name?: string }; eventType?: string };
  const teamId = channelData.team?.id;
  if (!teamId) return undefined;
  const added = a.membersAdded ?? [];
  const removed = (a.membersRemoved ?? []).map((m) => m.id);
  if (!added.length && !removed.length && !MEMBER_EVENTS.has(channelData.eventType ?? '')) return undefined;
  return { teamId, teamName: channelData.team?.name ?? 'a team', uninstalled: removed.includes(a.recipient.id), removed: removed.filter((id) => id !== a.recipient.id) };
}

/** Every member of a team, following continuation tokens page by page. */
export async function readTeamMembers(context: TurnContext, teamId: string): Promise<TeamMember[]> {
  const members: TeamMember[] = [];
  let token: string | undefined;
  do {
    const page = await TeamsInfo.getPagedTeamMembers(context, teamId, PAGE_SIZE, token);
    for (const m of page.members ?? []) {
      members.push({ teamsUserId: m.id, aadObjectId: m.aadObjectId, name: m.name, email: m.email, userPrincipalName: m.userPrincipalName });
    }
    token = page.continuationToken || undefined;
  } while (token);
  return members;
}

/** Re-reads the team's whole member list after Lantern joins it or its members change. */
export async function syncTeamFromUpdate(context: TurnContext, roster: Roster, directory: PeopleDirectory, log: (message: string) => void): Promise<{ teamId: string; joined: string[] } | undefined> {
  const change = rosterChange(context);
  if (!change) return undefined;
  const a = context.activity;
  const tenantId = a.conversation.tenantId ?? (a.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
  const team = { teamId: change.teamId, name: change.teamName, serviceUrl: a.serviceUrl, tenantId };
  const members = change.uninstalled ? [] : await readTeamMembers(context, change.teamId);
  const result = await syncTeamRoster(team, members, roster, directory, { removed: change.removed, uninstalled: change.uninstalled });
  log(
    change.uninstalled
      ? `team roster: Lantern was removed from ${team.name}`
      : `team roster: ${team.name} has ${result.members} members, ${result.rosterPeople} of them in the school configuration${result.left.length ? `; no longer listed: ${result.left.join(', ')}` : ''}`,
  );
  return { teamId: team.teamId, joined: result.joined };
}
