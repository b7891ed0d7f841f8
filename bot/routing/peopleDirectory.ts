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
  updatedAt: string;
}

/**
 * A cache of Teams identities, kept in Tables so proactive 1:1 messages work after a restart and
 * from any instance. Memory only saves re-reading an unchanged entry on every turn.
 */
export class PeopleDirectory {
  private readonly table: DocumentTable<DirectoryEntry>;
  private readonly memo = new Map<string, { entry: DirectoryEntry; at: number }>();

  constructor(tables: TableProvisioner, private readonly memoMs = 10 * 60_000) {
    this.table = new DocumentTable(tables, 'people');
  }

  async get(aadObjectId: string): Promise<DirectoryEntry | undefined> {
    const key = aadObjectId.toLowerCase();
    const hit = this.memo.get(key);
    if (hit && Date.now() - hit.at < this.memoMs) return hit.entry;
    const found = (await this.table.get('aad', key))?.value;
    if (found) this.memo.set(key, { entry: found, at: Date.now() });
    return found;
  }

  async byEmail(email: string): Promise<DirectoryEntry | undefined> {
    return (await this.table.where('email', email.toLowerCase(), 1))[0]?.value;
  }

  /** Writes only when something changed, to keep the hot path to one memo lookup. */
  async remember(entry: DirectoryEntry): Promise<void> {
    const key = entry.aadObjectId.toLowerCase();
    const known = await this.get(key);
    const merged: DirectoryEntry = { ...known, ...entry, personal: entry.personal ?? known?.personal, email: entry.email ?? known?.email };
    if (known && sameEntry(known, merged)) return;
    await this.table.upsert('aad', key, merged, { email: merged.email?.toLowerCase() });
    this.memo.set(key, { entry: merged, at: Date.now() });
  }
}

function sameEntry(a: DirectoryEntry, b: DirectoryEntry): boolean {
  const strip = ({ updatedAt: _ignored, ...rest }: DirectoryEntry) => JSON.stringify(rest);
  return strip(a) === strip(b);
}
