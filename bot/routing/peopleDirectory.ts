import type { Address } from '../chat/address';
import { DocumentTable } from '../storage/documentTable';
import type { TableProvisioner } from '../storage/tableService';

/** What Teams told us about a person: needed to reach them 1:1 later. */
export interface DirectoryEntry {
  aadObjectId: string;
  teamsUserId: string;
  name: string;
  email?: string;
  serviceUrl: string;
  tenantId?: string;
  /** Their personal chat with the bot, once known. */
  personal?: Address;
  /** Teams with Lantern installed whose roster lists them: any one lets Lantern open a 1:1. */
  teamIds?: string[];
  /** Removed from the last team that listed them (and no chat of their own). */
  goneAt?: string;
  /** When the app was installed for them through Microsoft Graph. */
  graphInstalledAt?: string;
  updatedAt: string;
}

/** The last time Teams or Graph refused to let Lantern reach someone 1:1, and why. */
export interface Refusal {
  /** The Entra object id or email the sender asked for (lower case). */
  key: string;
  name?: string;
  reason: string;
  by: 'teams' | 'graph';
  at: string;
  /** A later message got through: the refusal is history, not the current state. */
  reachedAt?: string;
}

/** A team Lantern is installed in, as its roster was last read. */
export interface KnownTeam {
  teamId: string;
  name: string;
  serviceUrl: string;
  tenantId?: string;
  members: number;
  rosterPeople: number;
  syncedAt: string;
  removedAt?: string;
}

/**
 * A cache of Teams identities, kept in Tables so proactive 1:1 messages work after a restart and
 * from any instance. Memory only saves re-reading an unchanged entry on every turn. Refusals and
 * teams live in their own partitions so the per-turn entry never changes because of them.
 */
export class PeopleDirectory {
  private readonly table: DocumentTable<DirectoryEntry>;
  private readonly refusals: DocumentTable<Refusal>;
  private readonly teams: DocumentTable<KnownTeam>;
  private readonly memo = new Map<string, { entry: DirectoryEntry; at: number }>();

  constructor(tables: TableProvisioner, private readonly memoMs = 10 * 60_000) {
    this.table = new DocumentTable(tables, 'people');
    this.refusals = new DocumentTable(tables, 'people');
    this.teams = new DocumentTable(tables, 'people');
  }

  async get(aadObjectId: string): Promise<DirectoryEntry | undefined> {
    const key = aadObjectId.toLowerCase();
    const hit = this.memo.get(key);
    if (hit && Date.now() - hit.at < this.memoMs) return hit.entry;
    return this.read(key);
  }

  async byEmail(email: string): Promise<DirectoryEntry | undefined> {
    return (await this.table.where('email', email.toLowerCase(), 1))[0]?.value;
  }

  /** By Entra object id, then email: how the roster names people. */
  async find(who: { aadObjectId?: string; email?: string }): Promise<DirectoryEntry | undefined> {
    return (who.aadObjectId && (await this.get(who.aadObjectId))) || (who.email && (await this.byEmail(who.email))) || undefined;
  }

  async all(): Promise<DirectoryEntry[]> {
    return (await this.table.list('aad')).map((r) => r.value);
  }

  /**
   * Writes only when something changed, to keep the hot path to one memo lookup. A change is
   * merged into a fresh read, so a memo older than another instance's roster sync loses nothing.
   */
  async remember(entry: DirectoryEntry): Promise<void> {
    const key = entry.aadObjectId.toLowerCase();
    const cached = await this.get(key);
    if (cached && sameEntry(cached, merge(cached, entry))) return;
    const known = cached ? await this.read(key) : undefined;
    const merged = merge(known, entry);
    if (known && sameEntry(known, merged)) return;
    await this.write(key, merged);
  }

  /** Replaces an entry outright (roster sync decides team membership, not a merge). */
  async put(entry: DirectoryEntry): Promise<void> {
    await this.write(entry.aadObjectId.toLowerCase(), entry);
  }

  async recordRefusal(refusal: Omit<Refusal, 'key'> & { who: { aadObjectId?: string; email?: string } }): Promise<void> {
    const key = (refusal.who.aadObjectId ?? refusal.who.email ?? '').toLowerCase();
    if (!key) return;
    const { who: _who, ...rest } = refusal;
    await this.refusals.upsert('refusal', key, { ...rest, key });
  }

  /** A 1:1 message reached them: an open refusal becomes history. */
  async noteReached(who: { aadObjectId?: string; email?: string }, at: string): Promise<void> {
    for (const key of keysOf(who)) {
      const open = await this.refusals.get('refusal', key);
      if (open && !open.value.reachedAt) await this.refusals.upsert('refusal', key, { ...open.value, reachedAt: at });
    }
  }

  /** The last refusal for this person, looked up by Entra object id and by email. */
  async refusalFor(who: { aadObjectId?: string; email?: string }): Promise<Refusal | undefined> {
    const found = await Promise.all(keysOf(who).map((k) => this.refusals.get('refusal', k)));
    return found
      .map((f) => f?.value)
      .filter((r): r is Refusal => !!r)
      .sort((a, b) => b.at.localeCompare(a.at))[0];
  }

  async saveTeam(team: KnownTeam): Promise<void> {
    await this.teams.upsert('team', team.teamId, team);
  }

  async team(teamId: string): Promise<KnownTeam | undefined> {
    return (await this.teams.get('team', teamId))?.value;
  }

  async allTeams(): Promise<KnownTeam[]> {
    return (await this.teams.list('team')).map((r) => r.value);
  }

  private async read(key: string): Promise<DirectoryEntry | undefined> {
    const found = (await this.table.get('aad', key))?.value;
    if (found) this.memo.set(key, { entry: found, at: Date.now() });
    return found;
  }

  private async write(key: string, entry: DirectoryEntry): Promise<void> {
    await this.table.upsert('aad', key, entry, { email: entry.email?.toLowerCase() });
    this.memo.set(key, { entry, at: Date.now() });
  }
}

function keysOf(who: { aadObjectId?: string; email?: string }): string[] {
  return [who.aadObjectId, who.email].filter((k): k is string => !!k).map((k) => k.toLowerCase());
}

function merge(known: DirectoryEntry | undefined, entry: DirectoryEntry): DirectoryEntry {
  const merged: DirectoryEntry = { ...known, ...entry, personal: entry.personal ?? known?.personal, email: entry.email ?? known?.email };
  // Someone who chats with Lantern is evidently still here.
  if (entry.personal) delete merged.goneAt;
  return merged;
}

function sameEntry(a: DirectoryEntry, b: DirectoryEntry): boolean {
  const strip = ({ updatedAt: _ignored, ...rest }: DirectoryEntry) => JSON.stringify(rest);
  return strip(a) === strip(b);
}
