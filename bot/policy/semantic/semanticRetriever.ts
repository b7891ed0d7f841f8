import { minimise } from '../generative';
import type { PolicyLibrary } from '../policyLibrary';
import type { PolicyRetriever, RetrievedAnswer } from '../policyRetriever';
import type { EmbeddingsClient } from './embeddingsClient';
import { candidatesToOffer } from './fusion';
import type { Reranker } from './reranker';
import type { SectionVectors } from './sectionVectors';

// Ten from each list is where the right clause almost always is when either list finds it; the model then reads
// five (each up to 600 characters), enough to choose from and small enough to answer in a second or two.
const LEXICAL_CANDIDATES = 10;
const VECTOR_CANDIDATES = 10;
const RERANK_CANDIDATES = 5;
// The lexical index's best three are always offered (measured: with weak vectors, plain fusion pushed the right
// clause out of the five more often than it brought one in).
const LEXICAL_KEPT = 3;
// The main quote and two "other rules that may apply", as the lexical answer shows at most.
const SHOWN = 3;
// A failed index build is tried again by a later question, but not by every one while the endpoint is down.
const RESYNC_AFTER_MS = 60_000;

const unbold = (markdown: string) => markdown.replace(/\*\*/g, '');

export interface SemanticRetrieverOptions {
  log: (message: string) => void;
  now?: () => number;
}

/**
 * Hybrid retrieval: the lexical index's candidates fused with the nearest section vectors, re-ranked by the model,
 * then quoted exactly as the lexical answer is. The lexical answer stands whenever any part fails, the model says
 * none of the candidates answers, or the question may be about a child in danger (it stays in school).
 */
export class SemanticRetriever implements PolicyRetriever {
  private synced?: PolicyLibrary;
  private syncing?: Promise<void>;
  private lastAttempt = -Infinity;
  private readonly log: (message: string) => void;
  private readonly now: () => number;

  constructor(
    private readonly vectors: SectionVectors,
    private readonly embeddings: EmbeddingsClient,
    private readonly reranker: Reranker,
    options: SemanticRetrieverOptions,
  ) {
    this.log = options.log;
    this.now = options.now ?? Date.now;
  }

  /** Brings the section vectors in step with this library; failures are logged, never thrown. */
  index(library: PolicyLibrary): Promise<void> {
    if (this.syncing) return this.syncing;
    this.lastAttempt = this.now();
    const started = this.now();
    this.syncing = this.vectors
      .sync(library.clauses())
      .then(
        (r) => {
          this.synced = library;
          this.log(`policies: semantic index: ${r.sections} sections, ${r.embedded} embedded now, ${r.removed} removed, in ${this.now() - started} ms`);
        },
        (err: Error) => this.log(`policies: semantic index incomplete (${this.vectors.size} sections have vectors): ${err.message}; lexical ranking for the rest`),
      )
      .finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  async retrieve(question: string, library: PolicyLibrary): Promise<RetrievedAnswer> {
    const lexical = library.answer(question);
    if (lexical.childInDanger) return { answer: lexical };
    // A reloaded policy folder is embedded in the background; unchanged sections keep their vectors meanwhile.
    if (library !== this.synced && !this.syncing && this.now() - this.lastAttempt >= RESYNC_AFTER_MS) void this.index(library);
    if (this.vectors.size === 0) return { answer: lexical };
    try {
      const asked = minimise(question);
      const [vector] = await this.embeddings.embed([asked]);
      const near = this.vectors.nearest(vector, VECTOR_CANDIDATES).map((n) => n.key);
      // Vectors of sections from before a reload may name clauses that are gone: those are left out first.
      const known = near.filter((key) => library.quoteFor(question, key) !== undefined);
      const candidates = candidatesToOffer([library.lexicalRanking(question, LEXICAL_CANDIDATES), known], RERANK_CANDIDATES, LEXICAL_KEPT)
        .map((key) => ({ key, quoted: library.quoteFor(question, key)! }))
        .map((c, i) => ({ id: i + 1, key: c.key, title: `${c.quoted.citation.document}, ${c.quoted.citation.section}`, text: unbold(c.quoted.quote) }));
      if (candidates.length === 0) return { answer: lexical };
      const ids = await this.reranker.rank(asked, candidates.map(({ id, title, text }) => ({ id, title, text })));
      if (ids.length === 0) {
        this.log('semantic retrieval: the model found no candidate that answers; lexical answer');
        return { answer: lexical };
      }
      const order = ids.slice(0, SHOWN).map((id) => candidates[id - 1].key);
      const answer = library.answerInOrder(question, order);
      return answer ? { answer, order } : { answer: lexical };
    } catch (err) {
      this.log(`semantic retrieval failed: ${(err as Error).message}; lexical answer`);
      return { answer: lexical };
    }
  }
}
