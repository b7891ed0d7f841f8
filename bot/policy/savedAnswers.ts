import { randomBytes } from 'node:crypto';
import { DocumentTable } from '../storage/documentTable';
import type { TableProvisioner } from '../storage/tableService';
import { analyseQuestion } from './queryAnalysis';

const NO_VOCABULARY: ReadonlySet<string> = new Set();

export interface SavedAnswer {
  id: string;
  question: string;
  terms: string[];
  /** The online-safety lead's own answer; '' when the saved answer is a clause of the policies. */
  answer: string;
  /** A clause someone chose for this question from "Do you mean…" (key looked up again when used). */
  clause?: { key: string; citation: string };
  /** A clause someone marked "Not helpful" for this question: questions like it are asked back, not told. */
  unhelpful?: { key: string; citation: string };
  by: { id: string; name: string };
  at: string;
}

/**
 * How alike two questions' content must be to reuse an answer given to one for the other. A chosen clause
 * may be looser, because it is used only if the policies still rank it among the new question's candidates.
 */
const SAME_QUESTION = 0.75;
const SIMILAR_FOR_CLAUSE = 0.5;
const CACHE_MS = 30_000;

/**
 * A question's content as comparable terms: its concepts (phrases such as "memory stick" kept whole, typos
 * and everyday words normalised as for retrieval), each named by the first of its close synonyms, so "can
 * kids bring mobiles" and "are pupils allowed phones" compare as the same content.
 */
export function contentTerms(question: string): string[] {
  const out = new Set<string>();
  for (const concept of analyseQuestion(question, NO_VOCABULARY)) {
    // Intents ("who do I tell") are how a question is asked, not what it is about.
    if (concept.variants[0].weight < 1) continue;
    const names = concept.variants.filter((v) => v.weight >= 0.7).map((v) => v.tokens.join(' '));
    out.add(names.sort()[0]);
  }
  return [...out];
}

function similarity(a: string[], b: string[]): number {
  const A = new Set(a);
  const B = new Set(b);
  if (!A.size || !B.size) return 0;
  let shared = 0;
  for (const t of A) if (B.has(t)) shared += 1;
  return shared / (A.size + B.size - shared);
}

/**
 * Answers worth giving again: ones the online-safety lead chose to keep, and clauses staff chose from
 * "Do you mean…". A later question with the same content, however worded, gets the saved answer.
 */
export class SavedAnswers {
  private readonly table: DocumentTable<SavedAnswer>;
  /** Each row with its question's terms, worked out once a load, not once a row for every question asked. */
  private cache?: { at: number; rows: Array<{ row: SavedAnswer; terms: string[] }> };
  /** A turn asks with the same question twice (match, then unhelpfulFor). */
  private lastAsked?: { question: string; terms: string[] };

  constructor(tables: TableProvisioner) {
    this.table = new DocumentTable(tables, 'policyanswers');
  }

  async save(question: string, answer: string, by: { id: string; name: string }, at: Date): Promise<SavedAnswer> {
    return this.store({ id: randomBytes(6).toString('hex'), question, terms: contentTerms(question), answer, by, at: at.toISOString() });
  }

  async saveClause(question: string, clause: { key: string; citation: string }, by: { id: string; name: string }, at: Date): Promise<SavedAnswer> {
    return this.store({ id: randomBytes(6).toString('hex'), question, terms: contentTerms(question), answer: '', clause, by, at: at.toISOString() });
  }

  async saveUnhelpful(question: string, clause: { key: string; citation: string }, by: { id: string; name: string }, at: Date): Promise<SavedAnswer> {
    return this.store({ id: randomBytes(6).toString('hex'), question, terms: contentTerms(question), answer: '', unhelpful: clause, by, at: at.toISOString() });
  }

  /** Keys of clauses marked "Not helpful" for questions with the same content as this one. */
  async unhelpfulFor(question: string): Promise<string[]> {
    const rows = await this.load();
    const terms = this.termsOf(question);
    return rows.filter((r) => r.row.unhelpful && similarity(terms, r.terms) >= SIMILAR_FOR_CLAUSE).map((r) => r.row.unhelpful!.key);
  }

  private async load(): Promise<Array<{ row: SavedAnswer; terms: string[] }>> {
    if (!this.cache || Date.now() - this.cache.at > CACHE_MS) {
      // Rows saved before terms were canonicalised are compared on their question, so every row's terms are worked out again.
      const rows = (await this.table.list('qa')).map((r) => ({ row: r.value, terms: contentTerms(r.value.question) }));
      this.cache = { at: Date.now(), rows };
    }
    return this.cache.rows;
  }

  private termsOf(question: string): string[] {
    if (this.lastAsked?.question !== question) this.lastAsked = { question, terms: contentTerms(question) };
    return this.lastAsked.terms;
  }

  private async store(saved: SavedAnswer): Promise<SavedAnswer> {
    await this.table.create('qa', saved.id, saved);
    this.cache = undefined;
    return saved;
  }

  /** The closest saved answer; the newest wins a tie, since a later choice reflects the policies as they are now. */
  async match(question: string): Promise<SavedAnswer | undefined> {
    return (await this.best(question, (row) => (row.clause ? SIMILAR_FOR_CLAUSE : SAME_QUESTION)))?.row;
  }

  private async best(question: string, threshold: (row: SavedAnswer) => number): Promise<{ row: SavedAnswer; score: number } | undefined> {
    const rows = await this.load();
    const terms = this.termsOf(question);
    let best: { row: SavedAnswer; score: number } | undefined;
    for (const { row, terms: theirs } of rows) {
      if (row.unhelpful) continue;
      const score = similarity(terms, theirs);
      if (score >= threshold(row) && (!best || score > best.score || (score === best.score && row.at > best.row.at))) best = { row, score };
    }
    return best;
  }
}
