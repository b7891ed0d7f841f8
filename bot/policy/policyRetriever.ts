import type { PolicyAnswer, PolicyLibrary } from './policyLibrary';

export interface RetrievedAnswer {
  answer: PolicyAnswer;
  /**
   * The clause keys shown (main first) when a ranker other than the lexical index chose them, so a later click on
   * the card re-reads the same clauses instead of asking the lexical index again.
   */
  order?: string[];
}

/**
 * Retrieval beyond the lexical index (bot/policy/semantic), optional. It never fails a question: on any
 * trouble it answers with `library.answer(question)`, the lexical answer, as if it were not there.
 */
export interface PolicyRetriever {
  retrieve(question: string, library: PolicyLibrary): Promise<RetrievedAnswer>;
}
