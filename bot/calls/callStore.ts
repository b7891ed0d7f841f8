import { randomBytes } from 'node:crypto';
import { uniqueTail } from '../tutoring/formId';
import { DocumentTable, type Stored } from '../storage/documentTable';
import type { TableProvisioner } from '../storage/tableService';
import type { CallRecord, SecureNote } from './callRecord';

/** Calls, indexed by teacher; secure notes in their own table so no call listing can carry one. */
export class CallStore {
  private readonly calls: DocumentTable<CallRecord>;
  private readonly notes: DocumentTable<SecureNote>;

  constructor(tables: TableProvisioner) {
    this.calls = new DocumentTable(tables, 'calls');
    this.notes = new DocumentTable(tables, 'callnotes');
  }

  /** Random, or from what makes the call unique (who plans it, from which form) so a retry finds it. */
  static newId(date: string, uniqueBy?: string): string {
    const tail = uniqueBy ? uniqueTail(uniqueBy, 6) : randomBytes(3).toString('hex');
    return `CALL-${date.replace(/-/g, '')}-${tail.toUpperCase()}`;
  }

  get(id: string): Promise<Stored<CallRecord> | undefined> {
    return /^CALL-\d{8}-[0-9A-F]{6}$/.test(id) ? this.calls.get('call', id) : Promise.resolve(undefined);
  }

  create(record: CallRecord): Promise<Stored<CallRecord>> {
    return this.calls.create('call', record.id, record, { teacher: record.teacher.key, state: record.state });
  }

  replace(record: CallRecord, etag: string): Promise<Stored<CallRecord>> {
    return this.calls.replace('call', record.id, record, etag, { teacher: record.teacher.key, state: record.state });
  }

  async byTeacher(staffKey: string): Promise<CallRecord[]> {
    return (await this.calls.where('teacher', staffKey)).map((r) => r.value).sort((a, b) => `${b.date}${b.time}`.localeCompare(`${a.date}${a.time}`));
  }

  /** A note is written once; a second write for the same call is a conflict, not an overwrite. */
  addNote(note: SecureNote): Promise<Stored<SecureNote>> {
    return this.notes.create(note.callId, 'note', note);
  }

  async note(callId: string): Promise<SecureNote | undefined> {
    return (await this.notes.get(callId, 'note'))?.value;
  }

  /** Every call record (never a note): the termly report counts permissions. */
  async all(): Promise<CallRecord[]> {
    return (await this.calls.list('call')).map((r) => r.value);
  }
}
