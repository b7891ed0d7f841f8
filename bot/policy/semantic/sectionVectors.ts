import { EMBEDDING_BATCH, type EmbeddingsClient } from './embeddingsClient';
import { decodeVector, encodeVector, textHash, type VectorStore } from './vectorStore';

/** What is embedded for one section: its headings give a short clause the context it lacks on its own. */
export interface EmbeddableSection {
  key: string;
  document: string;
  /** "number title", as cited. */
  section: string;
  text: string;
}

export interface SyncReport {
  sections: number;
  /** Sections whose vector was computed now: new, or their text changed. */
  embedded: number;
  removed: number;
}

export const embeddedText = (s: EmbeddableSection) => `${s.document}\n${s.section}\n${s.text}`;

/**
 * The section vectors of the policies in use, kept in step with the store: a section is embedded only when
 * no stored vector was computed from its current text, so an unchanged policy costs no embedding calls.
 */
export class SectionVectors {
  private vectors = new Map<string, Float32Array>();

  constructor(private readonly store: VectorStore, private readonly embeddings: EmbeddingsClient) {}

  get size(): number {
    return this.vectors.size;
  }

  /** Throws (OpenAIRequestError or a storage error) part-way; what was embedded before the failure is kept. */
  async sync(sections: EmbeddableSection[]): Promise<SyncReport> {
    const unique = [...new Map(sections.map((s) => [s.key, s])).values()];
    const stored = await this.store.all();
    const next = new Map<string, Float32Array>();
    const stale: EmbeddableSection[] = [];
    for (const s of unique) {
      const row = stored.get(s.key);
      if (row && row.textHash === textHash(embeddedText(s))) next.set(s.key, decodeVector(row.vector));
      else stale.push(s);
    }
    // Unchanged sections answer at once, even if embedding the changed ones fails below.
    this.vectors = new Map(next);
    for (let i = 0; i < stale.length; i += EMBEDDING_BATCH) {
      const batch = stale.slice(i, i + EMBEDDING_BATCH);
      const vectors = await this.embeddings.embed(batch.map(embeddedText));
      await Promise.all(
        batch.map((s, j) => {
          this.vectors.set(s.key, vectors[j]);
          return this.store.save(s.key, { textHash: textHash(embeddedText(s)), document: s.document, section: s.section, vector: encodeVector(vectors[j]) });
        }),
      );
    }
    const current = new Set(unique.map((s) => s.key));
    const gone = [...stored.keys()].filter((k) => !current.has(k));
    await Promise.all(gone.map((k) => this.store.remove(k)));
    return { sections: unique.length, embedded: stale.length, removed: gone.length };
  }

  /** Sections by cosine similarity to a unit query vector, best first; vectors of another length are skipped. */
  nearest(query: Float32Array, limit: number): Array<{ key: string; score: number }> {
    const scored: Array<{ key: string; score: number }> = [];
    for (const [key, v] of this.vectors) if (v.length === query.length) scored.push({ key, score: dot(v, query) });
    return scored.sort((a, b) => b.score - a.score).slice(0, limit);
  }
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
