import { createHash } from 'crypto';
import { watch as watchFolder, FSWatcher } from 'fs';
import { loadDocuments, PolicyDocument } from './documentLoader';
import { parseSections, PolicySection } from './sectionParser';
import { PolicyIndex, type SearchResult } from './policyIndex';
import type { IndexedSection } from './passages';
import { childInDanger, nextSteps, NextStep } from './intent';

export interface PolicyCitation {
  document: string;
  /** e.g. "2.6 File Attachments" */
  section: string;
}

export interface PolicyAnswer {
  /** false when nothing answers well enough. */
  found: boolean;
  /** Markdown, at most 600 characters, key words in bold; '' when !found. */
  quote: string;
  citation?: PolicyCitation;
  /** At most two other relevant sections (the citations of `others`). */
  seeAlso: PolicyCitation[];
  /** Other clauses that score close enough to be plausible, each a short quote with its citation. */
  others: OtherRule[];
  /** Set when the best candidates are too close to call and in different sections: ask "Do you mean…". */
  choices?: OtherRule[];
  /** The choices are asked because no clause scores high enough to be quoted as the rule (not because two tie). */
  unsure?: boolean;
  /** Key of the main clause (see sectionKey). */
  key?: string;
  score: number;
  nextSteps: NextStep[];
  childInDanger: boolean;
}

export interface OtherRule {
  quote: string;
  citation: PolicyCitation;
  /** Stable key of the clause (document id and section id), looked up again when a choice is made. */
  key: string;
}

export interface SectionSummary {
  document: string;
  fileName: string;
  number: string;
  title: string;
  chars: number;
}

// Calibrated on questions with and without an answer in the reference policies (test/policy/offTopic.spec.ts):
// below this the best passage shares too little with the question to be worth quoting as "the rule". The
// index also requires the passage to speak of one of the question's topics (keyCovered), which is what
// turns away "when is half term" however many everyday words it shares with the policies.
const FOUND_MIN_SCORE = 0.4;
const FOUND_MIN_COVERAGE = 0.35;
// Runner-up clauses within this share of the best score are plausible enough to show as "other rules that may
// apply" (tuned on the tuning sets; a lower share adds more wrong snippets than right ones).
const OTHER_RELATIVE = 0.7;
const MAX_OTHERS = 2;
// Candidates this close to the best one are too close to call: ask which is meant (2 or 3 of them).
const ASK_RELATIVE = 0.92;
// A weak answer needs a clearer lead: when the best clause scores under WEAK_SCORE and another section's clause
// is within WEAK_ASK_RELATIVE of it, the two are about as likely, and quoting one as "the rule" is wrong about as
// often as it is right (measured on the tuning sets: a wrong main answer is worse than asking).
const WEAK_SCORE = 0.6;
const WEAK_ASK_RELATIVE = 0.83;
const MAX_CHOICES = 3;
// Below the answer threshold a question is asked back rather than turned away when its best clause still speaks
// of two of its topics: one of the two or three candidates is often the rule, and "None of these" still passes
// it on. One topic is not enough: "can I bring my dog to work" meets "Bring your own device" on "bring".
// An answer scoring under UNSURE_MAX_SCORE is weak too: with other sections near it, asking beats quoting a
// wrong rule. Calibrated on the tuning sets (eval:measure) with the off-topic questions still declined.
const UNSURE_MIN_SCORE = 0.3;
const UNSURE_MIN_COVERAGE = 0.2;
const UNSURE_MIN_TOPICS = 2;
const UNSURE_MAX_SCORE = 0.5;
// The candidates offered when unsure: those within this share of the best.
const UNSURE_RELATIVE = 0.6;
// A snippet is a reminder, not the answer: one or two sentences.
const SNIPPET = { max: 300, plain: 270, min: 140 };
const WATCH_DEBOUNCE_MS = 500;

function citationOf(section: IndexedSection): PolicyCitation {
  return { document: section.documentTitle, section: section.number ? `${section.number} ${section.title}` : section.title };
}

/** Survives a reload of unchanged policies (section ids are positions and shift when a file changes). */
export function sectionKey(section: IndexedSection): string {
  return createHash('sha256').update([section.documentId, section.number, section.title, section.text.slice(0, 200)].join('\n')).digest('hex').slice(0, 16);
}

export class PolicyLibrary {
  readonly buildMs: number;

  private constructor(
    readonly directory: string,
    private readonly docs: Array<{ document: PolicyDocument; sections: PolicySection[] }>,
    private readonly index: PolicyIndex,
    private readonly warningList: string[],
    buildMs: number,
    /** Folders whose policies every answer also draws on (a trust's own, beside the school's). */
    private readonly alsoFrom: string[] = [],
  ) {
    this.buildMs = buildMs;
  }

  /** Reads, parses and indexes every policy in the folder; problems become warnings, not failures. */
  static async fromDirectory(dir: string, alsoFrom: string[] = []): Promise<PolicyLibrary> {
    const started = performance.now();
    const { documents, warnings } = await loadDocuments(dir);
    for (const extra of alsoFrom) {
      const more = await loadDocuments(extra);
      warnings.push(...more.warnings);
      for (const doc of more.documents) {
        // Document ids are file names: the school's own document wins over a trust's of the same name.
        if (documents.some((d) => d.id === doc.id)) warnings.push(`${extra}/${doc.fileName}: skipped, the school has a document of the same file name`);
        else documents.push(doc);
      }
    }
    if (documents.length === 0) warnings.push(`${dir}: no policy documents found`);
    return PolicyLibrary.fromDocuments(dir, documents, warnings, alsoFrom, started);
  }

  /** Parses and indexes documents already read: the same library, wherever it is built (see searchThread.ts). */
  static fromDocuments(dir: string, documents: PolicyDocument[], warnings: string[] = [], alsoFrom: string[] = [], started = performance.now()): PolicyLibrary {
    const docs = documents.map((document) => {
      const parsed = parseSections(document.text);
      warnings.push(...parsed.warnings.map((w) => `${document.fileName}: ${w}`));
      return { document, sections: parsed.sections };
    });
    const index = new PolicyIndex(
      docs.flatMap(({ document, sections }) => sections.map((section) => ({ documentId: document.id, documentTitle: document.title, section }))),
    );
    return new PolicyLibrary(dir, docs, index, warnings, performance.now() - started, alsoFrom);
  }

  /** The documents this library was built from, the trust's among them. */
  sourceDocuments(): PolicyDocument[] {
    return this.docs.map((d) => d.document);
  }

  answer(question: string): PolicyAnswer {
    const danger = childInDanger(question);
    const result = this.index.query(question);
    const found = result !== undefined && result.keyCovered && result.score >= FOUND_MIN_SCORE && result.coverage >= FOUND_MIN_COVERAGE;
    // When a child may be in danger the reply must not wait on a question back.
    const unsure = !danger && result !== undefined && result.topicsCovered >= UNSURE_MIN_TOPICS && result.score >= UNSURE_MIN_SCORE && result.coverage >= UNSURE_MIN_COVERAGE && (!found || result.score < UNSURE_MAX_SCORE);
    const steps = nextSteps(question, found ? { sectionTitle: result.section.path.join(' ') } : undefined);
    const unsureChoices = unsure ? this.unsureChoicesOf(result) : [];
    if (!result || (!found && unsureChoices.length < 2)) return { found: false, quote: '', seeAlso: [], others: [], score: result?.score ?? 0, nextSteps: steps, childInDanger: danger };
    const answer = this.build(result, { section: result.section, quote: result.quote }, danger, steps);
    if (unsureChoices.length >= 2) return { ...answer, choices: unsureChoices, ...(found ? {} : { unsure: true }) };
    const choices = danger ? [] : this.choicesOf(result);
    return choices.length >= 2 ? { ...answer, choices } : answer;
  }

  /**
   * The answer for the clause the asker chose from "Do you mean…": the question is asked again and the key
   * must be one of the candidates offered for it, so a key from anywhere else answers nothing.
   */
  answerFor(question: string, key: string): PolicyAnswer | undefined {
    const result = this.index.query(question);
    if (!result) return undefined;
    const chosen = result.ranked.slice(0, MAX_CHOICES + MAX_OTHERS).find((r) => sectionKey(r.section) === key);
    if (!chosen) return undefined;
    const quote = result.quoteOf(chosen);
    const danger = childInDanger(question);
    return this.build(result, { section: quote.section, quote: quote.text }, danger, nextSteps(question, { sectionTitle: chosen.section.path.join(' ') }));
  }

  private build(result: SearchResult, main: { section: IndexedSection; quote: string }, danger: boolean, steps: NextStep[]): PolicyAnswer {
    const citation = citationOf(main.section);
    const same = (x: PolicyCitation, c: PolicyCitation) => x.document === c.document && x.section === c.section;
    const others: OtherRule[] = [];
    for (const candidate of result.ranked) {
      if (others.length >= MAX_OTHERS || candidate.score < result.score * OTHER_RELATIVE) break;
      const c = citationOf(candidate.section);
      if (same(citation, c) || others.some((o) => same(o.citation, c))) continue;
      const snippet = result.quoteOf(candidate, SNIPPET);
      others.push({ quote: snippet.text, citation: c, key: sectionKey(candidate.section) });
    }
    const seeAlso = others.map((o) => o.citation);
    return { found: true, quote: main.quote, citation, seeAlso, others, score: result.score, nextSteps: steps, childInDanger: danger, key: sectionKey(main.section) };
  }

  /** The best candidates when they are close and in different sections: the asker is better placed to choose. */
  private choicesOf(result: SearchResult): OtherRule[] {
    const close = new Set<string>();
    const relative = result.score < WEAK_SCORE ? WEAK_ASK_RELATIVE : ASK_RELATIVE;
    for (const candidate of result.ranked) {
      if (candidate.score < result.score * relative) break;
      close.add(citationOf(candidate.section).section + candidate.section.documentId);
    }
    if (close.size < 2) return [];
    // Once asking, the third button may be any plausible rule, as "other rules" would have shown it.
    return this.candidates(result, OTHER_RELATIVE);
  }

  /** The best two or three clauses, in different sections, when none is good enough to quote as the rule. */
  private unsureChoicesOf(result: SearchResult): OtherRule[] {
    return this.candidates(result, UNSURE_RELATIVE);
  }

  /** Up to MAX_CHOICES clauses of different sections scoring at least `relative` of the best, as snippets. */
  private candidates(result: SearchResult, relative: number): OtherRule[] {
    const choices: OtherRule[] = [];
    for (const candidate of result.ranked) {
      if (choices.length >= MAX_CHOICES || candidate.score < result.score * relative) break;
      const c = citationOf(candidate.section);
      if (choices.some((o) => o.citation.document === c.document && o.citation.section === c.section)) continue;
      // The best candidate is quoted as it would be as the answer: a snippet of it can lose the sentence that answers.
      const quote = choices.length === 0 ? result.quoteOf(candidate) : result.quoteOf(candidate, SNIPPET);
      choices.push({ quote: quote.text, citation: citationOf(quote.section), key: sectionKey(candidate.section) });
    }
    return choices;
  }

  documents(): Array<{ title: string; fileName: string; sections: number }> {
    return this.docs.map(({ document, sections }) => ({ title: document.title, fileName: document.fileName, sections: sections.length }));
  }

  sections(): SectionSummary[] {
    return this.docs.flatMap(({ document, sections }) =>
      sections.map((s) => ({ document: document.title, fileName: document.fileName, number: s.number, title: s.title, chars: s.text.length })),
    );
  }

  warnings(): string[] {
    return [...this.warningList];
  }

  /**
   * Rebuilds when files in the folder change (debounced, since editors write several times per save) and
   * hands the new library to the callback; a failed rebuild keeps the old library. Returns a stop function.
   */
  watch(onReload: (lib: PolicyLibrary) => void, onError: (err: Error) => void = () => undefined): () => void {
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    const changed = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        PolicyLibrary.fromDirectory(this.directory, this.alsoFrom).then(
          (lib) => {
            if (!stopped) onReload(lib);
          },
          (err: Error) => onError(err),
        );
      }, WATCH_DEBOUNCE_MS);
    };
    const watchers: FSWatcher[] = [this.directory, ...this.alsoFrom].map((dir) => watchFolder(dir, changed));
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    };
  }

  // Below: what another ranker (bot/policy/semantic) needs to work beside the lexical index without changing it.

  private byKey?: Map<string, IndexedSection>;

  private section(key: string): IndexedSection | undefined {
    if (!this.byKey) {
      this.byKey = new Map();
      for (const s of this.index.sections) if (!this.byKey.has(sectionKey(s))) this.byKey.set(sectionKey(s), s);
    }
    return this.byKey.get(key);
  }

  /** Every clause with its stable key, citation and full text, for an index kept elsewhere. */
  clauses(): Array<{ key: string; document: string; section: string; text: string }> {
    return this.index.sections.map((s) => ({ key: sectionKey(s), ...citationOf(s), text: s.text }));
  }

  /** The lexical ranking behind answer(), best first and without its thresholds: candidates to fuse with others. */
  lexicalRanking(question: string, limit: number): string[] {
    return (this.index.query(question)?.ranked ?? []).slice(0, limit).map((r) => sectionKey(r.section));
  }

  /** A clause quoted for this question, as the main answer would quote it; undefined for an unknown key. */
  quoteFor(question: string, key: string): { citation: PolicyCitation; quote: string } | undefined {
    const section = this.section(key);
    if (!section) return undefined;
    const quoted = this.index.quoteSection(question, section.id);
    return { citation: citationOf(quoted.section), quote: quoted.text };
  }

  /**
   * The answer another ranker chose: the first key is the main quote, the next up to two are "other rules that may
   * apply". Undefined when the first key is unknown (e.g. the policies changed since it was chosen).
   */
  answerInOrder(question: string, keys: string[]): PolicyAnswer | undefined {
    const main = this.section(keys[0] ?? '');
    if (!main) return undefined;
    const quoted = this.index.quoteSection(question, main.id);
    const others: OtherRule[] = [];
    for (const key of keys.slice(1)) {
      const s = this.section(key);
      if (!s || others.length >= MAX_OTHERS) continue;
      const snippet = this.index.quoteSection(question, s.id, SNIPPET);
      others.push({ quote: snippet.text, citation: citationOf(snippet.section), key });
    }
    const steps = nextSteps(question, { sectionTitle: main.path.join(' ') });
    // The lexical score of the chosen clause, for the question log: 0 when only the other ranker found it.
    const score = this.index.query(question)?.ranked.find((r) => r.section.id === main.id)?.score ?? 0;
    return { found: true, quote: quoted.text, citation: citationOf(quoted.section), seeAlso: others.map((o) => o.citation), others, score, nextSteps: steps, childInDanger: childInDanger(question), key: keys[0] };
  }
}
