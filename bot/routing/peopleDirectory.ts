import type { Address } from '../chat/address';
import { BatchedWrites } from '../storage/batchedWrites';
import { DocumentTable, type Stored } from '../storage/documentTable';
import { ConflictError, NotFoundError } from '../storage/errors';
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
 * How long a broadcast's bookkeeping waits to share a request: a chat opened is written with the
 * others of the next half second in one Table transaction, and one read of the refusals serves
 * every delivery of that half second. Not waited for by the sender (see TeamsMessenger), so a
 * crash loses at most this much of it: the next message opens the chat again and Teams hands back
 * the same one.
 */
export const BOOKKEEPING_MS = 500;
/** A half second's deliveries at most; beyond, a read of the refusals goes at once. */
const MAX_NOTES = 100;

/**
 * A cache of Teams identities, kept in Tables so proactive 1:1 messages work after a restart and
 * from any instance. Memory only saves re-reading an unchanged entry on every turn. Refusals and
 * teams live in their own partitions so the per-turn entry never changes because of them.
 */
export class PeopleDirectory {
  private readonly table: DocumentTable<DirectoryEntry>;
  private readonly refusals: DocumentTable<Refusal>;
  private readonly teams: DocumentTable<KnownTeam>;
  /** With the ETag of the version read or written, so a change can be written without reading it again. */
  private readonly memo = new Map<string, { entry: DirectoryEntry; etag: string; at: number }>();
  private readonly batched: BatchedWrites<DirectoryEntry>;
  /** Deliveries waiting for the next read of the refusals (see noteReachedSoon). */
  private notes: Array<{ keys: string[]; at: string; resolve(): void; reject(err: unknown): void }> = [];
  private noteTimer?: NodeJS.Timeout;

  constructor(tables: TableProvisioner, private readonly memoMs = 10 * 60_000) {
    this.table = new DocumentTable(tables, 'people');
    this.refusals = new DocumentTable(tables, 'people');
    this.teams = new DocumentTable(tables, 'people');
    this.batched = new BatchedWrites(this.table, BOOKKEEPING_MS);
  }

  async get(aadObjectId: string): Promise<DirectoryEntry | undefined> {
    return (await this.current(aadObjectId.toLowerCase()))?.entry;
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
   * merged into the version this process last read or wrote and written with its ETag, so a memo
   * older than another instance's roster sync loses nothing: that write is refused, and the change
   * is merged into a fresh read instead.
   */
  async remember(entry: DirectoryEntry): Promise<void> {
    await this.change(entry.aadObjectId, (known) => merge(known, entry));
  }

  /**
   * A 1:1 chat Teams opened with someone: only the chat is written, into whatever the entry holds
   * by then (a roster sync elsewhere may have moved them since this process read it). `batched` (a
   * broadcast, which does not wait for it): it shares a transaction with the next half second's.
   */
  async rememberChat(aadObjectId: string, personal: Address, options: { batched?: boolean } = {}): Promise<void> {
    await this.change(aadObjectId, (known) => known && merge(known, { ...known, personal, updatedAt: new Date().toISOString() }), options);
  }

  /** Writes `next(entry as stored)` with the ETag it was read with; read again and redone when it moved on. */
  private async change(aadObjectId: string, next: (known: DirectoryEntry | undefined) => DirectoryEntry | undefined, options: { batched?: boolean } = {}): Promise<void> {
    const key = aadObjectId.toLowerCase();
    let known = await this.current(key);
    for (let tries = 0; ; tries++) {
      const merged = next(known?.entry);
      if (!merged || (known && sameEntry(known.entry, merged))) return;
      const op = { rk: key, value: merged, etag: known?.etag, index: indexOf(merged) };
      try {
        const stored = options.batched && tries === 0 ? await this.batched.write('aad', op) : op.etag ? await this.table.replace('aad', key, merged, op.etag, op.index) : await this.table.create('aad', key, merged, op.index);
        this.memoise(key, stored);
        return;
      } catch (err) {
        // Changed (or created, or removed) by another instance since: redo it on what is there now.
        if (!(err instanceof ConflictError || err instanceof NotFoundError) || tries >= 3) throw err;
        this.memo.delete(key);
        known = await this.read(key);
      }
    }
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

  /**
   * noteReached for a broadcast: the deliveries of the next half second share one read of the
   * refusals (a small partition: only people Lantern could not reach) instead of two reads each,
   * and only a refusal older than the delivery is closed by it.
   */
  noteReachedSoon(who: { aadObjectId?: string; email?: string }, at: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.notes.push({ keys: keysOf(who), at, resolve, reject });
      if (this.notes.length >= MAX_NOTES) void this.closeRefusals();
      else if (!this.noteTimer) {
        this.noteTimer = setTimeout(() => void this.closeRefusals(), BOOKKEEPING_MS);
        this.noteTimer.unref();
      }
    });
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

  private async closeRefusals(): Promise<void> {
    clearTimeout(this.noteTimer);
    this.noteTimer = undefined;
    const notes = this.notes;
    this.notes = [];
    if (!notes.length) return;
    try {
      const open = new Map((await this.refusals.list('refusal')).filter((r) => !r.value.reachedAt).map((r) => [r.rowKey, r]));
      const reached = new Map<string, string>();
      for (const note of notes) for (const key of note.keys) if (open.has(key) && open.get(key)!.value.at <= note.at) reached.set(key, note.at);
      await Promise.all([...reached].map(([key, at]) => this.refusals.upsert('refusal', key, { ...open.get(key)!.value, reachedAt: at })));
      for (const note of notes) note.resolve();
    } catch (err) {
      for (const note of notes) note.reject(err);
    }
  }

  /** The entry and its ETag: from memory while fresh, else read. */
  private async current(key: string): Promise<{ entry: DirectoryEntry; etag: string } | undefined> {
    const hit = this.memo.get(key);
    if (hit && Date.now() - hit.at < this.memoMs) return hit;
    return this.read(key);
  }

  private async read(key: string): Promise<{ entry: DirectoryEntry; etag: string } | undefined> {
    const found = await this.table.get('aad', key);
    if (!found) return undefined;
    this.memoise(key, found);
    return { entry: found.value, etag: found.etag };
  }

  private async write(key: string, entry: DirectoryEntry): Promise<void> {
    this.memoise(key, await this.table.upsert('aad', key, entry, indexOf(entry)));
  }

  private memoise(key: string, stored: Stored<DirectoryEntry>): void {
    // A write whose answer carried no ETag leaves nothing to write against: read next time.
    if (!stored.etag || stored.etag === 'undefined') return void this.memo.delete(key);
    this.memo.set(key, { entry: stored.value, etag: stored.etag, at: Date.now() });
  }
}

function indexOf(entry: DirectoryEntry) {
  return { email: entry.email?.toLowerCase() };
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
