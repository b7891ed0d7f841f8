import { createHash, randomBytes } from 'node:crypto';
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
 * How far a message's own timestamp may be from this clock to key its question: Teams re-sends
 * within a minute or two, and a message's time is its server's, seconds from this one's.
 */
const SENT_AT_TRUSTED_MS = 10 * 60_000;

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

  /**
   * A new question's key, newest first. Asked by a message (`from`), it is the message's time and a
   * hash of it, so Teams' redelivery of that message (the same activity, id and timestamp) meets
   * the row the first delivery created and is not answered twice: the question's row is the turn's
   * redelivery claim. A message whose time is far from this clock (a channel's clock adrift, a
   * test's fake one) is keyed by this clock and a random suffix, so its redelivery is answered again.
   */
  newId(at: Date, from?: { conversationId: string; activityId: string; sentAt?: Date }): string {
    const sent = from?.activityId && from.sentAt && Math.abs(from.sentAt.getTime() - at.getTime()) <= SENT_AT_TRUSTED_MS ? from.sentAt : undefined;
    if (!sent) return `${reverseTimeKey(at)}-${randomBytes(3).toString('hex')}`;
    return `${reverseTimeKey(sent)}-${createHash('sha256').update(`${from!.conversationId}\u0000${from!.activityId}`).digest('hex').slice(0, 6)}`;
  }

  /** Creates the question's row; ConflictError when a redelivery of the same message made it first. */
  record(q: AskedQuestion): Promise<Stored<AskedQuestion>> {
    return this.created.write('q', { rk: q.id, value: q, index: { found: q.found } });
  }

  /** Removes a question whose answer could not be sent, so Teams' retry of the message answers it. */
  forget(id: string): Promise<void> {
    return this.table.delete('q', id);
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
