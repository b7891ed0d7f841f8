import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { PolicyAnswer, PolicyLibrary } from '../../bot/policy/policyLibrary';
import type { PolicySection } from '../../bot/policy/sectionParser';

export interface EvalItem {
  policy: string;
  q: string;
  any: string[];
  /** How the question is worded ("informal", "policy-worded"), or "off-topic" (then `any` is empty). */
  kind?: string;
}

export interface EvalOutcome {
  item: EvalItem;
  /** The right rule is in the first reply: the main quote or one of the "other rules" snippets. */
  hit: boolean;
  /** The main quote is the right rule. */
  mainHit: boolean;
  /** A rule was quoted as the answer, and it is not the right one (an ask-back quotes no single rule). */
  wrongMain: boolean;
  /** The reply asked "Do you mean…" instead of answering. */
  asked: boolean;
  answer: PolicyAnswer;
  rendered: string;
}

export interface EvalReport {
  total: number;
  hits: number;
  rate: number;
  outcomes: EvalOutcome[];
  meanAnswerMs: number;
  mainHits: number;
  wrongMain: number;
  notFound: number;
  asked: number;
  maxRendered: number;
}

const RENDERED_MAX_CHARS = 2500;

/** The answer as the bot would show it: quote, citation, the other rules that may apply. */
export function render(answer: PolicyAnswer): string {
  if (!answer.found || !answer.citation) return 'No matching policy found.';
  if (answer.choices) return ['Do you mean…', ...answer.choices.map((c) => `${c.quote} — ${c.citation.document}, ${c.citation.section}`), 'None of these'].join('\n');
  const lines = [answer.quote, `— ${answer.citation.document}, ${answer.citation.section}`];
  if (answer.others.length) lines.push('Other rules that may apply');
  for (const o of answer.others) lines.push(`${o.quote} — ${o.citation.document}, ${o.citation.section}`);
  return lines.join('\n');
}

const flatten = (text: string) => text.replace(/\*\*/g, '').replace(/\s+/g, ' ').toLowerCase();

function quotes(item: EvalItem, quote: string): boolean {
  const evidence = flatten(quote);
  return item.any.some((phrase) => evidence.includes(flatten(phrase)));
}

/** The main quote answers the item. */
export function isMainHit(item: EvalItem, answer: PolicyAnswer): boolean {
  return !answer.choices && answer.found && !!answer.citation && render(answer).length < RENDERED_MAX_CHARS && quotes(item, answer.quote);
}

/** The first reply shows the right rule: as the main quote or as one of the other rules. */
export function isHit(item: EvalItem, answer: PolicyAnswer): boolean {
  const shown = answer.choices ?? answer.others;
  return isMainHit(item, answer) || (answer.found && render(answer).length < RENDERED_MAX_CHARS && shown.some((o) => quotes(item, o.quote)));
}

/** One library per policy file, each alone in a temporary folder, as one school's deployment would be. */
export async function evaluate(items: EvalItem[], policyDir: string): Promise<EvalReport> {
  const libraries = new Map<string, PolicyLibrary>();
  const temp = await fs.mkdtemp(path.join(os.tmpdir(), 'lantern-eval-'));
  try {
    for (const policy of new Set(items.map((i) => i.policy))) {
      const dir = path.join(temp, policy.replace(/\W+/g, '_'));
      await fs.mkdir(dir);
      await fs.copyFile(path.join(policyDir, policy), path.join(dir, policy));
      libraries.set(policy, await PolicyLibrary.fromDirectory(dir));
    }
  } finally {
    await fs.rm(temp, { recursive: true, force: true });
  }
  let answerMs = 0;
  const outcomes = items.map((item) => {
    const library = libraries.get(item.policy) as PolicyLibrary;
    const started = performance.now();
    const answer = library.answer(item.q);
    answerMs += performance.now() - started;
    const mainHit = isMainHit(item, answer);
    return { item, hit: isHit(item, answer), mainHit, wrongMain: answer.found && !answer.choices && !mainHit, asked: !!answer.choices, answer, rendered: render(answer) };
  });
  const hits = outcomes.filter((o) => o.hit).length;
  return {
    total: items.length,
    hits,
    rate: items.length ? hits / items.length : 0,
    outcomes,
    meanAnswerMs: items.length ? answerMs / items.length : 0,
    mainHits: outcomes.filter((o) => o.mainHit).length,
    wrongMain: outcomes.filter((o) => o.wrongMain).length,
    notFound: outcomes.filter((o) => !o.answer.found).length,
    asked: outcomes.filter((o) => o.asked).length,
    maxRendered: Math.max(0, ...outcomes.map((o) => o.rendered.length)),
  };
}

export async function loadItems(file: string): Promise<EvalItem[]> {
  return JSON.parse(await fs.readFile(file, 'utf8')) as EvalItem[];
}

/**
 * What makes a parse unrealistic for a whole policy: too few or too many sections, empty or giant ones,
 * untitled ones, or page numbers left in the text. An empty list means the parse looks right.
 */
export function sectionProblems(sections: PolicySection[], count: { min: number; max: number }): string[] {
  const problems: string[] = [];
  if (sections.length < count.min || sections.length > count.max) problems.push(`${sections.length} sections (expected ${count.min}-${count.max})`);
  for (const s of sections) {
    const name = `${s.number} ${s.title}`.trim();
    if (s.text.trim().length === 0) problems.push(`empty section ${name}`);
    if (s.text.length > 2600) problems.push(`giant section ${name}: ${s.text.length}`);
    if (s.title.length === 0) problems.push(`untitled section ${s.number}`);
    for (const line of s.text.split('\n')) if (/^(page\s*)?\d{1,3}(\s*of\s*\d+)?$/i.test(line.trim())) problems.push(`page number "${line.trim()}" in ${name}`);
  }
  return problems;
}

/** The share of questions that get "not found", and the ones that were answered. */
export function rejectionRate(library: PolicyLibrary, questions: readonly string[]): { rate: number; answered: string[] } {
  const answered = questions.filter((q) => library.answer(q).found);
  return { rate: 1 - answered.length / questions.length, answered };
}

/** One library per policy file, each alone in a temporary folder, as a one-policy school would have it. */
export async function singlePolicyLibraries(policyDir: string): Promise<Map<string, PolicyLibrary>> {
  const libraries = new Map<string, PolicyLibrary>();
  for (const file of (await fs.readdir(policyDir)).sort()) {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lantern-single-'));
    try {
      await fs.copyFile(path.join(policyDir, file), path.join(dir, file));
      libraries.set(file, await PolicyLibrary.fromDirectory(dir));
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }
  return libraries;
}
