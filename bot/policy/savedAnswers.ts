import { randomBytes } from 'node:crypto';
import { DocumentTable } from '../storage/documentTable';
import type { TableProvisioner } from '../storage/tableService';
import { analyse } from './textAnalysis';

export interface SavedAnswer {
  id: string;
  question: string;
  terms: string[];
  answer: string;
  by: { id: string; name: string };
  at: string;
}

/** How alike two questions' stemmed content words must be to reuse a lead's answer. */
const SAME_QUESTION = 0.75;
const CACHE_MS = 30_000;

function similarity(a: string[], b: string[]): number {
  const A = new Set(a);
  const B = new Set(b);
  if (!A.size || !B.size) return 0;
  let shared = 0;
  for (const t of A) if (B.has(t)) shared += 1;
  return shared / (A.size + B.size - shared);
}

/**
 * Answers the online-safety lead chose to keep. A later question with (nearly) the same content
 * words gets the lead's answer instead of "I couldn't find that".
 */
export class SavedAnswers {
  private readonly table: DocumentTable<SavedAnswer>;
  private cache?: { at: number; rows: SavedAnswer[] };

  constructor(tables: TableProvisioner) {
    this.table = new DocumentTable(tables, 'policyanswers');
  }

  async save(question: string, answer: string, by: { id: string; name: string }, at: Date): Promise<SavedAnswer> {
    const saved: SavedAnswer = { id: randomBytes(6).toString('hex'), question, terms: analyse(question), answer, by, at: at.toISOString() };
    await this.table.create('qa', saved.id, saved);
    this.cache = undefined;
    return saved;
  }

  async match(question: string): Promise<SavedAnswer | undefined> {
    if (!this.cache || Date.now() - this.cache.at > CACHE_MS) this.cache = { at: Date.now(), rows: (await this.table.list('qa')).map((r) => r.value) };
    const terms = analyse(question);
    let best: { row: SavedAnswer; score: number } | undefined;
    for (const row of this.cache.rows) {
      const score = similarity(terms, row.terms);
      if (score >= SAME_QUESTION && (!best || score > best.score)) best = { row, score };
    }
    return best?.row;
  }
}
