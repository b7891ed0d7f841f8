import MiniSearch from 'minisearch';
import { analyse, normalise, stemWord, words, isStopWord, isQuestionNoise } from './textAnalysis';
import { DEFAULT_SYNONYMS } from './synonyms';
import { analyseQuestion, Concept, Variant } from './queryAnalysis';
import { IndexedSection, isEnumeration, Passage, Unit } from './passages';
import { analyseSection, type SectionAnalysis } from './sectionAnalysis';
import { PROCEDURE_HEADING, PolicySection } from './sectionParser';

export interface SectionInput {
  documentId: string;
  documentTitle: string;
  section: PolicySection;
}

export interface RankedSection {
  section: IndexedSection;
  score: number;
  /** The section's best passage for this question. */
  passage: Passage;
}

export interface QuoteLimits {
  max: number;
  plain: number;
  min: number;
}

export interface SearchResult {
  /** Combined relevance in [0, 1]. */
  score: number;
  /** Weighted share of the question's concepts found in the best passage. */
  coverage: number;
  /** Whether the best passage (or its headings) speaks of the question's most telling concept. */
  keyCovered: boolean;
  /** How many of the question's distinct topics the best passage (or its headings) speaks of. */
  topicsCovered: number;
  section: IndexedSection;
  quote: string;
  ranked: RankedSection[];
  /** Quotes a ranked section for the same question, e.g. a short snippet of a runner-up. */
  quoteOf: (ranked: RankedSection, limits?: QuoteLimits) => { section: IndexedSection; text: string };
}

const QUOTE_MAX_CHARS = 600;
// Sentences are chosen within a smaller plain-text budget so that bold markers never push a key sentence out.
const QUOTE_PLAIN_CHARS = 560;
const MIN_QUOTE_CHARS = 450;
const MAIN_QUOTE: QuoteLimits = { max: QUOTE_MAX_CHARS, plain: QUOTE_PLAIN_CHARS, min: MIN_QUOTE_CHARS };
const CANDIDATES = 40;
const NEAR_PASSAGE_BONUS = 0.02;
const BROKEN_ITEM_COST = 0.02;
const QUOTE_FOCUS = 0.5;
const QUOTE_INTENT_WEIGHT = 2;
const PROCEDURE_START_BONUS = 0.1;
// Policies often give staff and pupils separate rules: "can pupils use facebook" is not answered by a section
// headed "Staff using social networks", nor by any section of a staff acceptable use policy.
const PUPIL_QUESTION = /\b(pupils?|students?|kids?|children|child|learners?)\b/i;
const STAFF_QUESTION = /\b(i|i'm|me|my|we|our|staff|teachers?|colleagues?|employees?)\b/i;
const STAFF_HEADING = /\b(staff|employees?|adults|teachers?)\b/i;
// A topic counts as answered when matched by its own word or a close synonym, not a loose one.
const KEY_MATCH_MIN = 0.5;
// How the re-rank blends its evidence: concept coverage of the passage window and of its best sentence,
// the search engine's BM25 score (relative to the top hit), the section's headings, rule-like wording, a
// procedure written for the situation asked about, and (against) a section addressed to the wrong audience.
const WEIGHTS = { coverage: 0.35, sentence: 0.3, engine: 0.15, heading: 0.2, rule: 0.05, procedure: 0.1, audience: 0.1 };
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
  private readonly maxIdf: number;
  private readonly topics = new Set<string>();
  // Kept so the shared analyses stay shared while this index lives (sectionAnalysis holds them weakly).
  private readonly analyses: SectionAnalysis[] = [];

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
    const staffOnly = inputs.every((input) => STAFF_HEADING.test(input.documentTitle));
    for (const input of inputs) {
      // The same section in several indexes (a trust's policies in every school's) is analysed once and shared.
      const analysis = analyseSection(input.documentTitle, input.section);
      this.analyses.push(analysis);
      const { units, titleStems, headingStems, headingTopics, sectionStems, windows } = analysis;
      const { title, path } = input.section;
      const headings = input.section.titleFromBody ? path.slice(0, -1) : [...path, title];
      for (const t of headingTopics) this.topics.add(t);
      // A staff policy's title only tells its sections apart from those of a pupils' policy loaded beside it.
      const forStaff = STAFF_HEADING.test(headings.join(' ')) || (STAFF_HEADING.test(input.documentTitle) && !staffOnly);
      const section: IndexedSection = { ...input.section, id: this.sections.length, documentId: input.documentId, documentTitle: input.documentTitle, units, titleStems, headingStems, forStaff };
      this.sections.push(section);
      for (const s of sectionStems) {
        this.vocabulary.add(s);
        documentFrequency.set(s, (documentFrequency.get(s) ?? 0) + 1);
      }
      const first = this.passages.length;
      const passages = windows.map((w, k) => ({ ...w, id: first + k, sectionId: section.id }));
      this.passages.push(...passages);
      this.search.addAll(passages.map((p) => ({ id: p.id, text: p.text, title: [...section.path, section.title].join(' '), document: section.documentTitle })));
    }
    const n = Math.max(1, this.sections.length);
    for (const [term, df] of documentFrequency) this.idf.set(term, Math.log(1 + n / df));
    this.maxIdf = Math.log(1 + n);
  }

  get size(): number {
    return this.passages.length;
  }

  private variantIdf(v: Variant): number {
    return Math.max(...v.tokens.map((t) => this.idf.get(t) ?? 0));
  }

  /**
   * A concept's importance: how rare its words are in these policies. A word the policies never use is
   * as telling as their rarest one: the question is about something they may not cover at all.
   */
  private conceptWeight(c: Concept): number {
    const importance = c.importance ?? 1;
    const known = c.variants.filter((v) => v.tokens.every((t) => this.vocabulary.has(t)));
    if (known.length === 0) return importance * this.maxIdf;
    const original = c.variants[0];
    if (known.includes(original)) return importance * this.variantIdf(original);
    return importance * Math.max(...known.map((v) => this.variantIdf(v)));
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

  /**
   * Off-topic questions share everyday words with the policies ("half term" meets "longer term") but not their
   * topics, so the answer must match a question concept that is a topic: one of the synonym table's subjects,
   * or a word the policies' own headings use that is not everyday vocabulary.
   */
  private topicsCovered(concepts: Concept[], places: Array<{ stems: ReadonlySet<string>; heading: ReadonlySet<string> }>): number {
    return concepts.filter((c) => this.isTopic(c) && places.some((p) => this.match(c, p.stems, p.heading) >= KEY_MATCH_MIN)).length;
  }

  private isTopic(c: Concept): boolean {
    if (c.topic) return true;
    const tokens = c.variants[0].tokens;
    const key = tokens.join(' ');
    if (DEFAULT_SYNONYMS.topical.has(key)) return true;
    if ((c.importance ?? 1) !== 1 || isQuestionNoise(c.label)) return false;
    // A compound read as two words ("antivirus") is about what either word names.
    if (tokens.length > 1) return tokens.some((t) => DEFAULT_SYNONYMS.topical.has(t) || this.isHeadingTopic(t));
    return this.isHeadingTopic(key);
  }

  private isHeadingTopic(term: string): boolean {
    return this.topics.has(term) && !DEFAULT_SYNONYMS.everyday.has(term);
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
    const aboutPupils = PUPIL_QUESTION.test(question) && !STAFF_QUESTION.test(question);
    // Typo and prefix matching only for the words actually typed: expanding synonyms fuzzily drifts off topic (and is slow).
    // A typed word the policies already use needs no typo matching.
    const typed = new Set(concepts.flatMap((c) => c.variants[0].tokens));
    const hits = this.search.search(terms.join(' '), {
      boost: { title: 1.5, document: 0.3 },
      boostTerm: (term) => termWeights.get(term) ?? 0.5,
      prefix: (term) => typed.has(term) && term.length >= 6,
      fuzzy: (term) => (typed.has(term) && term.length >= 6 && !this.vocabulary.has(term) ? 0.2 : false),
      weights: { fuzzy: 0.3, prefix: 0.3 },
    });
    if (hits.length === 0) return undefined;
    const top = hits[0].score;
    const scored = hits.slice(0, CANDIDATES).map((hit) => {
      const passage = this.passages[hit.id as number];
      const section = this.sections[passage.sectionId];
      const textCoverage = this.coverage(concepts, weights, passage.stems);
      // A section's own title is specific; its chapter's title is shared by all its siblings.
      const titleCoverage = this.coverage(concepts, weights, section.titleStems);
      const headingCoverage = Math.max(titleCoverage, 0.5 * this.coverage(concepts, weights, section.headingStems));
      // "Action you must take if…" is written for exactly the situation it names, under its topic heading.
      const procedure = PROCEDURE_HEADING.test(section.title) ? this.coverage(concepts, weights, section.headingStems) : 0;
      const misaddressed = aboutPupils && section.forStaff ? 1 : 0;
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
        WEIGHTS.procedure * procedure -
        WEIGHTS.audience * misaddressed +
        WEIGHTS.rule * rule;
      return { passage, section, score, coverage };
    });
    scored.sort((a, b) => b.score - a.score);
    const best = scored[0];
    const ranked: RankedSection[] = [];
    for (const s of scored) if (!ranked.some((r) => r.section.id === s.section.id)) ranked.push({ section: s.section, score: s.score, passage: s.passage });
    const quote = this.quote(best.section, best.passage, concepts, weights);
    const topicsCovered = this.topicsCovered(concepts, [{ stems: best.passage.stems, heading: best.section.headingStems }]);
    // The same snippet is wanted for "other rules" and for "Do you mean…": quote each section once per size.
    const quoted = new Map<string, { section: IndexedSection; text: string }>();
    const quoteOf = (r: RankedSection, limits: QuoteLimits = MAIN_QUOTE) => {
      const key = `${r.section.id}:${limits.max}`;
      let q = quoted.get(key);
      if (!q) quoted.set(key, (q = this.quote(r.section, r.passage, concepts, weights, limits)));
      return q;
    };
    return { score: best.score, coverage: best.coverage, keyCovered: topicsCovered > 0, topicsCovered, section: quote.section, quote: quote.text, ranked, quoteOf };
  }

  /** The parts a very long section was split into (see splitGiant): one heading, so one place to quote from. */
  private partsOf(section: IndexedSection): IndexedSection[] {
    const same = (s: IndexedSection | undefined) => s !== undefined && s.documentId === section.documentId && s.number === section.number && s.title === section.title;
    let first = section.id;
    while (same(this.sections[first - 1])) first--;
    let last = section.id;
    while (same(this.sections[last + 1])) last++;
    return this.sections.slice(first, last + 1);
  }

  /**
   * The run of up to four consecutive sentences of the section that covers most of the question, with a
   * small cost per extra sentence so one complete answer beats several partial ones; a very short answer is
   * then widened with its closest neighbour, because a lone clause often loses the condition that makes it a rule.
   */
  private quote(ranked: IndexedSection, passage: Passage, concepts: Concept[], rankWeights: number[], limits: QuoteLimits = MAIN_QUOTE): { section: IndexedSection; text: string } {
    const { plain, min } = limits;
    // "do I have to record calls" is answered by the sentence that says whether it is required, not by the one
    // that names the most of its other words: within a section, the kind of answer asked for counts double.
    const weights = rankWeights.map((w, i) => (concepts[i].intent ? w * QUOTE_INTENT_WEIGHT : w));
    let best = { section: ranked, start: passage.start, end: passage.start + 1, score: -Infinity };
    for (const part of this.partsOf(ranked)) {
      const run = this.bestRun(part, part.id === ranked.id ? passage : undefined, concepts, weights, plain);
      if (run.score > best.score + 1e-9) best = { section: part, ...run };
    }
    const { section } = best;
    const units = section.units;
    const unitScore = (u: Unit) => this.coverage(concepts, weights, u.contextStems) + (u.isRule ? 0.05 : 0);
    const length = (start: number, end: number) => runLength(units, start, end);
    let { start, end } = best;
    while (length(start, end) < min) {
      const next = end < units.length && length(start, end + 1) <= plain ? units[end] : undefined;
      const previous = start > 0 && length(start - 1, end) <= plain ? units[start - 1] : undefined;
      if (!next && !previous) break;
      const takeNext = next !== undefined && (previous === undefined || units[end - 1].text.endsWith(':') || unitScore(next) >= unitScore(previous));
      if (takeNext) end++;
      else start--;
    }
    // If the quote would be cut to fit, drop whole sentences first (those added for context, then the weaker
    // end), so the cut never removes the sentence that answers.
    let quote = this.render(section, start, end, concepts, limits);
    while (quote.cut && end - start > 1) {
      if (start < best.start) start++;
      else if (end > best.end) end--;
      else if (unitScore(units[start]) < unitScore(units[end - 1])) start++;
      else end--;
      quote = this.render(section, start, end, concepts, limits);
    }
    return { section, text: quote.text };
  }
  private bestRun(section: IndexedSection, passage: Passage | undefined, concepts: Concept[], weights: number[], plain: number): { start: number; end: number; score: number } {
    const units = section.units;
    const procedure = PROCEDURE_HEADING.test(section.title);
    let best = { start: 0, end: 1, score: -Infinity };
    const unitCoverage = units.map((u) => this.coverage(concepts, weights, u.contextStems));
    for (let start = 0; start < units.length; start++) {
      const stems = new Set<string>();
      let strongest = 0;
      for (let end = start + 1; end <= Math.min(units.length, start + 4); end++) {
        if (end > start + 1 && runLength(units, start, end) > plain) break;
        for (const t of units[end - 1].contextStems) stems.add(t);
        strongest = Math.max(strongest, unitCoverage[end - 1]);
        let rule = 0;
        for (let i = start; i < end; i++) if (units[i].isRule) rule = 0.05;
        // The ranked passage breaks ties: elsewhere in the section only a better match wins.
        const near = passage && end > passage.start && start < passage.end ? NEAR_PASSAGE_BONUS : 0;
        // "Action you must take if…" lists its steps in order: the first steps are the answer.
        const first = procedure && start === 0 ? PROCEDURE_START_BONUS : 0;
        // A list item cut in half reads as a different rule.
        const broken = (units[start].continues ? 1 : 0) + (units[end]?.continues ? 1 : 0);
        // Words spread thinly over four sentences are weaker evidence than one sentence that answers.
        const covered = (1 - QUOTE_FOCUS) * this.coverage(concepts, weights, stems) + QUOTE_FOCUS * strongest;
        const score = covered + rule + near + first - 0.03 * (end - start - 1) - BROKEN_ITEM_COST * broken;
        if (score > best.score + 1e-9) best = { start, end, score };
      }
    }
    return best;
  }

  /** The quote as markdown, and whether it had to be cut to fit. */
  private render(section: IndexedSection, start: number, end: number, concepts: Concept[], limits: QuoteLimits): { text: string; cut: boolean } {
    const { max, plain } = limits;
    const units = section.units;
    const chosen = units.slice(start, end);
    const body = chosen.reduce((n, u) => n + u.text.length + 1, 0);
    // "Staff must not:" gives the items their force; a long preamble that does not fit gives way to them.
    const lead = chosen[0].leadIn !== undefined && chosen[0].leadIn.length + body <= plain ? chosen[0].leadIn : undefined;
    const pieces = lead ? [lead] : [];
    chosen.forEach((u, i) => pieces.push(u.leadIn && (!u.continues || i === 0) ? `\n• ${u.text}` : ` ${u.text}`));
    // A clause that introduces its sub-clauses ("use the following titles") is answered by them.
    const following = this.sections[section.id + 1];
    const introduces = units[end - 1].text.endsWith(':') || chosen.some((u) => /\bthe following\b/i.test(u.text));
    const child = following?.documentId === section.documentId && following.number !== '' && following.number.startsWith(`${section.number}.`);
    if (end === units.length && introduces && (child || units[end - 1].text.endsWith(':')) && following?.units.length) {
      const item = `\n• ${following.number ? `${following.number} ` : ''}${following.title}: ${following.units[0].text}`;
      if (pieces.join('').length + item.length <= plain) pieces.push(item);
    }
    // The limit applies to the markdown as shown, so leave room for the bold markers.
    const text = pieces.join('').trim();
    let budget = max;
    let quote = emphasise(truncate(text, budget), concepts);
    while (quote.length > max && budget > 100) {
      budget -= quote.length - max;
      quote = emphasise(truncate(text, budget), concepts);
    }
    return { text: quote, cut: budget < text.length };
  }

  /**
   * Quotes a section another retriever found (bot/policy/semantic), even one the lexical search missed: from
   * its passage that covers most of the question, as query() quotes its own best section.
   */
  quoteSection(question: string, sectionId: number, limits: QuoteLimits = MAIN_QUOTE): { section: IndexedSection; text: string } {
    const section = this.sections[sectionId];
    const concepts = analyseQuestion(question, this.vocabulary);
    const weights = concepts.map((c) => this.conceptWeight(c));
    let passage: Passage | undefined;
    let best = -1;
    for (const p of this.passages) {
      if (p.sectionId !== sectionId) continue;
      const covered = this.coverage(concepts, weights, p.stems);
      if (covered > best) [passage, best] = [p, covered];
    }
    return this.quote(section, passage!, concepts, weights, limits);
  }
}

/** Plain length of units [start, end); the lead-in is shown only when it fits (see render), so it does not count. */
function runLength(units: Unit[], start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) n += units[i].text.length + 1;
  return n;
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
