import type { Roster } from '../config/roster';
import type { KnownTeam, PeopleDirectory } from '../routing/peopleDirectory';

/**
 * The teams Lantern is in, as one school sees them. The directory is the trust's, so it knows every
 * school's teams: a team whose configured members are all another school's is that school's and is
 * left out (its name is theirs to see), and `rosterPeople` counts this school's roster only. A team
 * nobody configured is in no school's roster, so every school sees it (a school of its own sees
 * exactly what it did before).
 */
export async function teamsOfSchool(directory: PeopleDirectory, roster: Roster): Promise<KnownTeam[]> {
  const [teams, entries] = await Promise.all([directory.allTeams(), directory.all()]);
  const ours = new Map<string, number>();
  for (const entry of entries) {
    if (!roster.find({ aadObjectId: entry.aadObjectId, email: entry.email })) continue;
    for (const team of entry.teamIds ?? []) ours.set(team, (ours.get(team) ?? 0) + 1);
  }
  return teams.filter((t) => ours.has(t.teamId) || !t.rosterPeople).map((t) => ({ ...t, rosterPeople: ours.get(t.teamId) ?? 0 }));
}
