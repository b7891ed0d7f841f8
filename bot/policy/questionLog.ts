import { randomBytes } from 'node:crypto';
import type { PostedMessage } from '../chat/address';
import { BatchedWrites, WHILE_BUSY } from '../storage/batchedWrites';
import { DocumentTable, type Stored } from '../storage/documentTable';
import { reverseTimeKey } from '../storage/keys';
import type { TableProvisioner } from '../storage/tableService';

export interface AskedQuestion {
  id: string;
  question: string;
  asker: { id: string; name: string; aadObjectId?: string; email?: string };
  at: string;
  found: boolean;
  source: 'policy' | 'saved-answer' | 'none';
  citation?: string;
  score: number;
  feedback?: { helpful: boolean; at: string };
  /** The clauses offered by "Do you mean…" (keys), and the one the asker chose ('none' for "None of these"). */
  offered?: string[];
  choice?: { key: string; citation?: string; at: string };
  /** The clauses shown (keys, main first) when the semantic re-rank chose them rather than the lexical index. */
  ranked?: string[];
  escalation?: {
    status: 'waiting' | 'answered';
    sentTo: string;
    sentAt: string;
    card?: PostedMessage;
    answer?: string;
    answeredBy?: { id: string; name: string };
    answeredAt?: string;
    saved?: boolean;
  };
}

/**
 * Every question asked, with what Lantern answered: feedback, hand-overs to the online-safety lead
 * and `npm run report:qa` read from here. Newest first by key.
 */
export class QuestionLog {
  private readonly table: DocumentTable<AskedQuestion>;
  /** Questions asked at the same moment share one request: every answer writes one. */
  private readonly created: BatchedWrites<AskedQuestion>;

  constructor(tables: TableProvisioner) {
    this.table = new DocumentTable(tables, 'policyquestions');
    this.created = new BatchedWrites(this.table, WHILE_BUSY);
  }

  newId(at: Date): string {
    return `${reverseTimeKey(at)}-${randomBytes(3).toString('hex')}`;
  }

  record(q: AskedQuestion): Promise<Stored<AskedQuestion>> {
    return this.created.write('q', { rk: q.id, value: q, index: { found: q.found } });
  }

  get(id: string): Promise<Stored<AskedQuestion> | undefined> {
    if (!/^[0-9]{16}-[0-9a-f]{6}$/.test(id)) return Promise.resolve(undefined);
    return this.table.get('q', id);
  }

  replace(q: AskedQuestion, etag: string): Promise<Stored<AskedQuestion>> {
    return this.table.replace('q', q.id, q, etag, { found: q.found });
  }

  async recent(limit = 500): Promise<AskedQuestion[]> {
    return (await this.table.list('q', { limit })).map((r) => r.value);
  }
}
