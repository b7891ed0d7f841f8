import { randomBytes } from 'node:crypto';
import { DocumentTable, type Stored } from '../storage/documentTable';
import type { TableProvisioner } from '../storage/tableService';
import { uniqueTail } from './formId';
import type { TutorLog } from './tutorLog';

/** Tutor logs partitioned by week (the weekly record reads one partition), indexed by tutor. */
export class TutorLogStore {
  private readonly table: DocumentTable<TutorLog>;

  constructor(tables: TableProvisioner) {
    this.table = new DocumentTable(tables, 'tutorlogs');
  }

  /** A log's id from what makes it unique (who logs it, from which form), so a retry finds it. */
  static newId(week: string, uniqueBy?: string): string {
    const tail = uniqueBy ? uniqueTail(uniqueBy, 10) : randomBytes(5).toString('hex');
    return `${week}.${tail}`;
  }

  private static key(id: string): [string, string] | undefined {
    const m = /^(\d{4}-\d{2}-\d{2})\.([0-9a-f]{10})$/.exec(id);
    return m ? [m[1], m[2]] : undefined;
  }

  async get(id: string): Promise<Stored<TutorLog> | undefined> {
    const key = TutorLogStore.key(id);
    return key ? this.table.get(key[0], key[1]) : undefined;
  }

  async create(log: TutorLog): Promise<Stored<TutorLog>> {
    const [pk, rk] = TutorLogStore.key(log.id)!;
    return this.table.create(pk, rk, log, { tutor: log.loggedBy.key });
  }

  async replace(log: TutorLog, etag: string): Promise<Stored<TutorLog>> {
    const [pk, rk] = TutorLogStore.key(log.id)!;
    return this.table.replace(pk, rk, log, etag, { tutor: log.loggedBy.key });
  }

  async week(week: string): Promise<TutorLog[]> {
    return (await this.table.list(week)).map((r) => r.value);
  }

  /** This person's logs, newest session first. */
  async by(staffKey: string, limit: number): Promise<TutorLog[]> {
    const rows = (await this.table.where('tutor', staffKey)).map((r) => r.value);
    return rows.sort((a, b) => `${b.date}${b.time}`.localeCompare(`${a.date}${a.time}`)).slice(0, limit);
  }
}
