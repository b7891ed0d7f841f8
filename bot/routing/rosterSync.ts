import type { Roster } from '../config/roster';
import type { DirectoryEntry, PeopleDirectory } from './peopleDirectory';

/** One person in a team's member list, as Teams reports them (no SDK types). */
export interface TeamMember {
  teamsUserId: string;
  aadObjectId?: string;
  name?: string;
  email?: string;
  userPrincipalName?: string;
}

export interface TeamPlace {
  teamId: string;
  name: string;
  serviceUrl: string;
  tenantId?: string;
}

export interface SyncResult {
  members: number;
  /** Roster people found in the team, now reachable 1:1 through it. */
  rosterPeople: number;
  /** Names of roster people the team no longer lists. */
  left: string[];
  /** Entra ids of roster people the team lists now and did not before (joiners, or all on install). */
  joined: string[];
}

/**
 * Keeps, for every roster person a team lists, what opening a 1:1 with them needs; people the team
 * no longer lists lose it. `removed` are Teams user ids an event said left, trusted even if a
 * lagging member list still shows them. `uninstalled` means Lantern itself left the team: its
 * members lose the route but are not marked gone.
 */
export async function syncTeamRoster(
  team: TeamPlace,
  members: TeamMember[],
  roster: Roster,
  directory: PeopleDirectory,
  options: { removed?: string[]; uninstalled?: boolean; now?: Date } = {},
): Promise<SyncResult> {
  const at = (options.now ?? new Date()).toISOString();
  const removed = new Set(options.removed ?? []);
  const present = new Set<string>();
  let rosterPeople = 0;
  const joined: string[] = [];
  for (const m of options.uninstalled ? [] : members) {
    if (removed.has(m.teamsUserId)) continue;
    const person = roster.find({ aadObjectId: m.aadObjectId }) ?? roster.find({ email: m.email }) ?? roster.find({ email: m.userPrincipalName });
    const aadObjectId = (m.aadObjectId ?? person?.aadObjectId)?.toLowerCase();
    if (!person || !aadObjectId) continue;
    rosterPeople += 1;
    present.add(aadObjectId);
    const known = await directory.get(aadObjectId);
    if (!known?.teamIds?.includes(team.teamId)) joined.push(aadObjectId);
    const entry: DirectoryEntry = {
      ...known,
      aadObjectId,
      teamsUserId: m.teamsUserId,
      name: person.name,
      email: (person.email ?? m.email ?? m.userPrincipalName ?? known?.email)?.toLowerCase(),
      serviceUrl: team.serviceUrl,
      tenantId: team.tenantId ?? known?.tenantId,
      teamIds: [...new Set([...(known?.teamIds ?? []), team.teamId])].sort(),
      goneAt: undefined,
      updatedAt: at,
    };
    await directory.remember(entry);
  }
  const left: string[] = [];
  for (const entry of await directory.all()) {
    if (!entry.teamIds?.includes(team.teamId) || present.has(entry.aadObjectId.toLowerCase())) continue;
    const teamIds = entry.teamIds.filter((t) => t !== team.teamId);
    const gone = !options.uninstalled && !teamIds.length;
    if (!options.uninstalled) left.push(entry.name);
    await directory.put({ ...entry, teamIds, goneAt: gone ? at : entry.goneAt, updatedAt: at });
  }
  await directory.saveTeam({
    teamId: team.teamId,
    name: team.name,
    serviceUrl: team.serviceUrl,
    tenantId: team.tenantId,
    members: options.uninstalled ? 0 : members.length,
    rosterPeople,
    syncedAt: at,
    removedAt: options.uninstalled ? at : undefined,
  });
  return { members: members.length, rosterPeople, left, joined };
}
