import { DocumentTable } from '../storage/documentTable';
import type { TableProvisioner } from '../storage/tableService';

interface Choice {
  school: string;
  at: string;
}

interface Pending {
  text: string;
  at: string;
}

const PENDING = 'pending:';

/**
 * Which school a conversation is for, per person (a group chat may hold staff of two schools), and
 * the message someone sent before they were asked: it runs once they choose, so nothing typed is lost.
 */
export class SchoolChoices {
  private readonly table: DocumentTable<Choice | Pending>;

  constructor(tables: TableProvisioner, private readonly now: () => Date = () => new Date()) {
    this.table = new DocumentTable(tables.unscoped(), 'schoolchoice');
  }

  async get(conversationId: string, person: string): Promise<string | undefined> {
    return ((await this.table.get(conversationId, person))?.value as Choice | undefined)?.school;
  }

  async set(conversationId: string, person: string, school: string): Promise<void> {
    await this.table.upsert(conversationId, person, { school, at: this.now().toISOString() });
  }

  async clear(conversationId: string, person: string): Promise<void> {
    await this.table.delete(conversationId, person);
  }

  async keepPending(conversationId: string, person: string, text: string): Promise<void> {
    await this.table.upsert(conversationId, PENDING + person, { text, at: this.now().toISOString() });
  }

  /** The message kept while the person chose, removed as it is read (so it runs once). */
  async takePending(conversationId: string, person: string): Promise<string | undefined> {
    const row = await this.table.get(conversationId, PENDING + person);
    if (!row) return undefined;
    await this.table.delete(conversationId, PENDING + person, row.etag).catch(() => undefined);
    return (row.value as Pending).text;
  }
}
