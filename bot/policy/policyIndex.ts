import MiniSearch from 'minisearch';
import { analyse, normalise, stemWord, words, isStopWord } from './textAnalysis';
import { analyseQuestion, Concept, Variant } from './queryAnalysis';
import { IndexedSection, isEnumeration, Passage, sectionPassages, sectionUnits, Unit } from './passages';
import type { PolicySection } from './sectionParser';

export interface SectionInput {
  documentId: string;
  documentTitle: string;
  section: PolicySection;
}

export interface RankedSection {
  section: IndexedSection;
  score: number;
}

export interface SearchResult {
  /** Combined relevance in [0, 1]. */
  score: number;
  /** Weighted share of the question's concepts found in the best passage. */
  coverage: number;
  section: IndexedSection;
  quote: string;
  ranked: RankedSection[];
}

const QUOTE_MAX_CHARS = 600;
// Sentences are chosen within a smaller plain-text budget so that bold markers never push a key sentence out.
const QUOTE_PLAIN_CHARS = 560;
const MIN_QUOTE_CHARS = 450;
const CANDIDATES = 40;
// How the re-rank blends its evidence: concept coverage of the passage window and of its best sentence,
// the search engine's BM25 score (relative to the top hit), the section's headings, and rule-like wording.
const WEIGHTS = { coverage: 0.35, sentence: 0.25, engine: 0.15, heading: 0.2, rule: 0.05 };
const LIST_DISCOUNT = 0.75;

interface IndexedPassage {
  id: number;
  text: string;
  title: string;
  document: string;
}

export class PolicyIndex {
  readonly sections: IndexedSection[] = [];
  private readonly passages: Passage[] = [];
  private readonly search: MiniSearch<IndexedPassage>;
  private readonly vocabulary = new Set<string>();
  private readonly idf = new Map<string, number>();
  private readonly defaultIdf: number;

  constructor(inputs: SectionInput[]) {
    this.search = new MiniSearch<IndexedPassage>({
      fields: ['text', 'title', 'document'],
      tokenize: (text) => words(normalise(text)),
      processTerm: (term) => (isStopWord(term) || (term.length < 2 && !/\d/.test(term)) ? null : stemWord(term)),
      searchOptions: {
        // Queries arrive already analysed (stemmed, expanded), so they must not be analysed twice.
        tokenize: (text) => text.split(' '),
        processTerm: (term) => term,
      },
    });
    const documentFrequency = new Map<string, number>();
    for (const input of inputs) {
      const units = sectionUnits(input.section.text);
      const titleStems = new Set(analyse(input.section.title));
      const headingStems = new Set(analyse([input.documentTitle, ...input.section.path, input.section.title].join(' ')));
      const section: IndexedSection = { ...input.section, id: this.sections.length, documentId: input.documentId, documentTitle: input.documentTitle, units, titleStems, headingStems };
      this.sections.push(section);
      const sectionStems = new Set<string>(headingStems);
      for (const u of units) for (const s of u.stems) sectionStems.add(s);
      for (const s of sectionStems) {
        this.vocabulary.add(s);
        documentFrequency.set(s, (documentFrequency.get(s) ?? 0) + 1);
      }
      const passages = sectionPassages(section, this.passages.length);
      this.passages.push(...passages);
      this.search.addAll(passages.map((p) => ({ id: p.id, text: p.text, title: [...section.path, section.title].join(' '), document: section.documentTitle })));
    }
    const n = Math.max(1, this.sections.length);
    for (const [term, df] of documentFrequency) this.idf.set(term, Math.log(1 + n / df));
    this.defaultIdf = Math.log(1 + n / 2);
  }

  get size(): number {
    return this.passages.length;
  }

  private variantIdf(v: Variant): number {
    return Math.max(...v.tokens.map((t) => this.idf.get(t) ?? 0));
  }

  /** A concept's importance: how rare its words are in these policies; unknown words count as fairly rare. */
  private conceptWeight(c: Concept): number {
    const known = c.variants.filter((v) => v.tokens.every((t) => this.vocabulary.has(t)));
    if (known.length === 0) return this.defaultIdf;
    const original = c.variants[0];
    return known.includes(original) ? this.variantIdf(original) : Math.max(...known.map((v) => this.variantIdf(v)));
  }

  private match(c: Concept, stems: ReadonlySet<string>, also?: ReadonlySet<string>): number {
    let best = 0;
    for (const v of c.variants) if (v.weight > best && v.tokens.every((t) => stems.has(t) || (also !== undefined && also.has(t)))) best = v.weight;
    return best;
  }

  /** Weighted share of the question's concepts present in `stems` (or in `also`, e.g. the section heading). */
  private coverage(concepts: Concept[], weights: number[], stems: ReadonlySet<string>, also?: ReadonlySet<string>): number {
    const total = weights.reduce((a, b) => a + b, 0);
    if (total === 0) return 0;
    return concepts.reduce((sum, c, i) => sum + weights[i] * this.match(c, stems, also), 0) / total;
  }

  query(question: string): SearchResult | undefined {
    // Synonyms these policies never use cannot match anything; dropping them keeps the search small.
    const concepts = analyseQuestion(question, this.vocabulary).map((c) => ({
      ...c,
      variants: c.variants.filter((v, i) => i === 0 || v.tokens.every((t) => this.vocabulary.has(t))),
    }));
    if (concepts.length === 0 || this.passages.length === 0) return undefined;
    const weights = concepts.map((c) => this.conceptWeight(c));
    const termWeights = new Map<string, number>();
    concepts.forEach((c, i) => {
      for (const v of c.variants) for (const t of v.tokens) termWeights.set(t, Math.max(termWeights.get(t) ?? 0, v.weight * weights[i] / v.tokens.length ** 0.5));
    });
    const terms = [...termWeights.keys()];
    // Typo and prefix matching only for the words actually typed: expanding synonyms fuzzily drifts off topic (and is slow).
    const typed = new Set(concepts.flatMap((c) => c.variants[0].tokens));
    const hits = this.search.search(terms.join(' '), {
      boost: { title: 1.5, document: 0.3 },
      boostTerm: (term) => termWeights.get(term) ?? 0.5,
      prefix: (term) => typed.has(term) && term.length >= 6,
      fuzzy: (term) => (typed.has(term) && term.length >= 6 ? 0.2 : false),
      weights: { fuzzy: 0.3, prefix: 0.3 },
    });
    if (hits.length === 0) return undefined;
    const top = hits[0].score;
    const scored = hits.slice(0, CANDIDATES).map((hit) => {
      const passage = this.passages[hit.id as number];
      const section = this.sections[passage.sectionId];
      const textCoverage = this.coverage(concepts, weights, passage.stems);
      // A section's own title is specific; its chapter's title is shared by all its siblings.
      const headingCoverage = Math.max(this.coverage(concepts, weights, section.titleStems), 0.5 * this.coverage(concepts, weights, section.headingStems));
      const coverage = Math.max(textCoverage, this.coverage(concepts, weights, passage.stems, section.headingStems) * 0.9);
      const rule = passage.isRule ? 1 : 0;
      // Concepts that meet in one sentence are better evidence than the same words spread over a window.
      let unitCoverage = 0;
      for (let u = passage.start; u < passage.end; u++) {
        const unit = section.units[u];
        unitCoverage = Math.max(unitCoverage, this.coverage(concepts, weights, unit.contextStems) * (unit.isList ? LIST_DISCOUNT : 1));
      }
      const listy = isEnumeration(passage.text) ? LIST_DISCOUNT : 1;
      const score =
        listy * (WEIGHTS.coverage * coverage + WEIGHTS.sentence * unitCoverage) +
        WEIGHTS.engine * (hit.score / top) +
        WEIGHTS.heading * headingCoverage +
        WEIGHTS.rule * rule;
      return { passage, section, score, coverage };
    });
    scored.sort((a, b) => b.score - a.score);
    const best = scored[0];
    const ranked: RankedSection[] = [];
    for (const s of scored) if (!ranked.some((r) => r.section.id === s.section.id)) ranked.push({ section: s.section, score: s.score });
    const quote = this.quote(best.section, best.passage, concepts, weights);
    return { score: best.score, coverage: best.coverage, section: best.section, quote, ranked };
  }

  /**
   * The run of up to four consecutive sentences around the passage that covers most of the question, with a
   * small cost per extra sentence so one complete answer beats several partial ones; a very short answer is
   * then widened with its closest neighbour, because a lone clause often loses the condition that makes it a rule.
   */
  private quote(section: IndexedSection, passage: Passage, concepts: Concept[], weights: number[]): string {
    const units = section.units;
    const unitScore = (u: Unit) => this.coverage(concepts, weights, u.contextStems) + (u.isRule ? 0.05 : 0);
    const length = (start: number, end: number) => {
      let n = units[start].leadIn?.length ?? 0;
      for (let i = start; i < end; i++) n += units[i].text.length + 1;
      return n;
    };
    let best = { start: passage.start, end: passage.start + 1, score: -Infinity };
    const from = Math.max(0, passage.start - 1);
    const to = Math.min(units.length, passage.end + 1);
    for (let start = from; start < to; start++) {
      const stems = new Set<string>();
      for (let end = start + 1; end <= Math.min(to, start + 4); end++) {
        if (end > start + 1 && length(start, end) > QUOTE_PLAIN_CHARS) break;
        for (const t of units[end - 1].contextStems) stems.add(t);
        if (end <= passage.start || start >= passage.end) continue;
        let rule = 0;
        for (let i = start; i < end; i++) if (units[i].isRule) rule = 0.05;
        const score = this.coverage(concepts, weights, stems) + rule - 0.03 * (end - start - 1);
        if (score > best.score + 1e-9) best = { start, end, score };
      }
    }
    let { start, end } = best;
    while (length(start, end) < MIN_QUOTE_CHARS) {
      const next = end < units.length && length(start, end + 1) <= QUOTE_PLAIN_CHARS ? units[end] : undefined;
      const previous = start > 0 && length(start - 1, end) <= QUOTE_PLAIN_CHARS ? units[start - 1] : undefined;
      if (!next && !previous) break;
      const takeNext = next !== undefined && (previous === undefined || units[end - 1].text.endsWith(':') || unitScore(next) >= unitScore(previous));
      if (takeNext) end++;
      else start--;
    }
    const chosen = units.slice(start, end);
    const lead = chosen[0].leadIn;
    const pieces = lead ? [lead] : [];
    for (const u of chosen) pieces.push(u.leadIn ? `\n• ${u.text}` : ` ${u.text}`);
    // A section that ends by introducing its sub-clauses ("use the following titles:") is answered by them.
    const following = this.sections[section.id + 1];
    if (end === units.length && units[end - 1].text.endsWith(':') && following?.documentId === section.documentId && following.units.length > 0) {
      const item = `\n• ${following.number ? `${following.number} ` : ''}${following.title}: ${following.units[0].text}`;
      if (length(start, end) + item.length <= QUOTE_PLAIN_CHARS) pieces.push(item);
    }
    // The limit applies to the markdown as shown, so leave room for the bold markers.
    const text = pieces.join('').trim();
    let budget = QUOTE_MAX_CHARS;
    let quote = emphasise(truncate(text, budget), concepts);
    while (quote.length > QUOTE_MAX_CHARS && budget > 100) {
      budget -= quote.length - QUOTE_MAX_CHARS;
      quote = emphasise(truncate(text, budget), concepts);
    }
    return quote;
  }
}

/** Cut at a sentence end if one is near, otherwise at a word boundary; never mid-word. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const slice = text.slice(0, max - 1);
  const sentenceEnd = Math.max(slice.lastIndexOf('. '), slice.lastIndexOf('.\n'));
  if (sentenceEnd > max * 0.5) return slice.slice(0, sentenceEnd + 1);
  const space = slice.lastIndexOf(' ');
  return `${slice.slice(0, space > 0 ? space : slice.length).replace(/[,;:\s]+$/, '')}…`;
}

/** Bold the words that matched the question, merging neighbours into one bold run. */
export function emphasise(text: string, concepts: Concept[]): string {
  const wanted = new Set<string>();
  for (const c of concepts) for (const v of c.variants) for (const t of v.tokens) wanted.add(t);
  const bolded = text.replace(/[A-Za-z0-9][A-Za-z0-9'’-]*/g, (word) => {
    const stems = word
      .toLowerCase()
      .replace(/['’]s$/, '')
      .split(/[-'’]/)
      .filter((w) => w.length > 1 && !isStopWord(w))
      .map(stemWord);
    const joined = stemWord(word.toLowerCase().replace(/[-'’]/g, ''));
    return (stems.length > 0 && stems.every((s) => wanted.has(s))) || wanted.has(joined) ? `**${word}**` : word;
  });
  return bolded.replace(/\*\*(\s+)\*\*/g, '$1');
}
