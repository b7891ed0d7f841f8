import type { Person } from '../config/schoolConfigSchema';
import type { Roster } from '../config/roster';
import { describeRoles } from '../core/roleNames';
import { DESTINATION_KINDS, type DestinationKind, type Destinations } from '../routing/destinations';
import type { DirectoryEntry, KnownTeam, PeopleDirectory, Refusal } from '../routing/peopleDirectory';
import type { Heartbeat } from '../scheduler/scheduler';
import type { PolicySummary } from './policySummary';
import { teamsOfSchool } from '../trust/schoolTeams';

export interface PersonReach {
  name: string;
  roles: string;
  reachable: boolean;
  /** How Lantern can reach them, or why it cannot. */
  how: string;
  lastRefusal?: string;
  /** What to do about it; empty when reachable. */
  todo: string;
}

export interface ChannelState {
  what: string;
  registered: boolean;
  where: string;
  /** What to type in the channel to register it. */
  command: string;
}

export interface SetupReport {
  people: PersonReach[];
  channels: ChannelState[];
  teams: string[];
  policies: PolicySummary;
  config: { source: string; at: string };
  scheduler?: Heartbeat;
  graphInstall: boolean;
}

export interface SetupSources {
  roster: Roster;
  directory: PeopleDirectory;
  destinations: Destinations;
  config: { describeSource(): { source: string; at: string } };
  scheduler: { lastRun(): Promise<Heartbeat | undefined> };
  policies: () => Promise<PolicySummary>;
  graphInstall: boolean;
}

const KINDS = Object.keys(DESTINATION_KINDS) as DestinationKind[];

/** Everything a school needs to know is in place before relying on Lantern, read from Tables. */
export async function buildSetupReport(src: SetupSources): Promise<SetupReport> {
  const { roster, directory } = src;
  const teams = await teamsOfSchool(directory, roster);
  const holders = roster.config.people.filter((p) => roster.rolesOf(p.id).length > 1);
  const people = await Promise.all(
    holders.map(async (p) => reachOf(p, roster, await directory.find(p), await directory.refusalFor(p), teams, src.graphInstall)),
  );
  const registered = new Map((await src.destinations.all()).map((d) => [d.key, d]));
  const channels: ChannelState[] = [];
  for (const kind of KINDS) {
    const sections = kind === 'dsl' ? roster.sections().map((s) => s.name) : [undefined];
    for (const section of sections) {
      const key = section ? `${kind}:${section.toLowerCase()}` : kind;
      const dest = registered.get(key);
      const what = `${DESTINATION_KINDS[kind]}${section ? ` (${section})` : ''}`;
      const command = `@Lantern register ${kind}${section ? ` ${section}` : ''}`;
      channels.push({ what, registered: !!dest, where: dest ? dest.label : 'not registered', command });
    }
  }
  return {
    people,
    channels,
    teams: teams.filter((t) => !t.removedAt).map((t) => `${t.name} (${t.members} members, ${t.rosterPeople} in the configuration; read ${t.syncedAt})`),
    policies: await src.policies(),
    config: src.config.describeSource(),
    scheduler: await src.scheduler.lastRun(),
    graphInstall: src.graphInstall,
  };
}

function reachOf(person: Person, roster: Roster, entry: DirectoryEntry | undefined, refusal: Refusal | undefined, teams: KnownTeam[], graph: boolean): PersonReach {
  const base = { name: person.name, roles: describeRoles(person.id, roster) };
  const refusedLast = !!refusal && !refusal.reachedAt;
  const lastRefusal = refusal
    ? `${refusal.by === 'graph' ? 'Graph' : 'Teams'} refused on ${refusal.at}: ${refusal.reason}${refusal.reachedAt ? ` (reached again on ${refusal.reachedAt})` : ''}`
    : undefined;
  const teamNames = (entry?.teamIds ?? []).map((id) => teams.find((t) => t.teamId === id)?.name ?? id);
  let how: string | undefined;
  if (entry?.personal) how = entry.graphInstalledAt ? 'yes — installed through Graph, 1:1 chat open' : 'yes — has a 1:1 chat with Lantern';
  else if (entry && !entry.goneAt && teamNames.length) how = `yes — through the team roster (${teamNames.join(', ')})`;
  if (how && !refusedLast) return { ...base, reachable: true, how, lastRefusal, todo: '' };
  const why = refusedLast ? 'no — the last attempt was refused' : entry?.goneAt ? `no — left every team Lantern is in (${entry.goneAt})` : 'no — in no team with Lantern and has not chatted with it';
  const todo = refusedLast
    ? 'Check Lantern is allowed for them in the Teams admin centre (Manage apps, app permission policies) and that their account is active; then ask them to open Lantern in Teams.'
    : graph
      ? 'Graph installation is on: Lantern will install itself for them when it first needs them. Or add Lantern to a team they are in, or ask them to open Lantern in Teams.'
      : 'Add Lantern to a team they are in, or ask them to open Lantern in Teams, or turn on Graph installation (GRAPH_INSTALL=on).';
  return { ...base, reachable: false, how: why, lastRefusal, todo };
}

/** The report as plain text: what `npm run setup:check` prints. */
export function setupReportText(r: SetupReport): string {
  const lines: string[] = ['Lantern setup check', ''];
  const unreachable = r.people.filter((p) => !p.reachable).length;
  const missing = r.channels.filter((c) => !c.registered).length;
  lines.push(`People with a role: ${r.people.length - unreachable} of ${r.people.length} reachable 1:1 now`);
  for (const p of r.people) {
    lines.push(`  ${p.reachable ? 'OK  ' : 'NO  '} ${p.name} (${p.roles}): ${p.how}`);
    if (p.lastRefusal) lines.push(`        last refusal: ${p.lastRefusal}`);
    if (p.todo) lines.push(`        to do: ${p.todo}`);
  }
  lines.push('', `Channels: ${r.channels.length - missing} of ${r.channels.length} registered`);
  for (const c of r.channels) lines.push(`  ${c.registered ? 'OK  ' : 'NO  '} ${c.what}: ${c.where}${c.registered ? '' : ` — in that channel type: ${c.command}`}`);
  lines.push('', `Teams Lantern is in: ${r.teams.length ? r.teams.join('; ') : 'none yet (add Lantern to the staff team)'}`);
  lines.push(`Graph installation: ${r.graphInstall ? 'on' : 'off'}`);
  lines.push(`Policies: ${r.policies.documents.length} documents, ${r.policies.sections} sections from ${r.policies.folder}`);
  for (const d of r.policies.documents) lines.push(`  ${d.title} (${d.sections} sections)`);
  lines.push(`Configuration: ${r.config.source}, stored ${r.config.at}`);
  lines.push(`Scheduler: ${r.scheduler ? `last ran ${r.scheduler.at} (${r.scheduler.ran} jobs)` : 'has not run yet — reminders and escalations are not being sent'}`);
  return lines.join('\n');
}
