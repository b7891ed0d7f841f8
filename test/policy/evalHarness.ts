import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { PolicyAnswer, PolicyLibrary } from '../../bot/policy/policyLibrary';
import type { PolicySection } from '../../bot/policy/sectionParser';

export interface EvalItem {
  policy: string;
  q: string;
  any: string[];
}

export interface EvalOutcome {
  item: EvalItem;
  hit: boolean;
  answer: PolicyAnswer;
  rendered: string;
}

export interface EvalReport {
  total: number;
  hits: number;
  rate: number;
  outcomes: EvalOutcome[];
  meanAnswerMs: number;
}

const RENDERED_MAX_CHARS = 2500;

/** The answer as the bot would show it: quote, citation, see-also lines. */
export function render(answer: PolicyAnswer): string {
  if (!answer.found || !answer.citation) return 'No matching policy found.';
  const lines = [answer.quote, `— ${answer.citation.document}, ${answer.citation.section}`];
  for (const s of answer.seeAlso) lines.push(`See also: ${s.document}, ${s.section}`);
  return lines.join('\n');
}

const flatten = (text: string) => text.replace(/\*\*/g, '').replace(/\s+/g, ' ').toLowerCase();

export function isHit(item: EvalItem, answer: PolicyAnswer): boolean {
  if (!answer.found || !answer.citation) return false;
  const evidence = flatten(`${answer.quote} ${answer.citation.document} ${answer.citation.section}`);
  return render(answer).length < RENDERED_MAX_CHARS && item.any.some((phrase) => evidence.includes(flatten(phrase)));
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
    return { item, hit: isHit(item, answer), answer, rendered: render(answer) };
  });
  const hits = outcomes.filter((o) => o.hit).length;
  return { total: items.length, hits, rate: items.length ? hits / items.length : 0, outcomes, meanAnswerMs: items.length ? answerMs / items.length : 0 };
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
export function rejectionRate(library: PolicyLibrary, questions: string[]): { rate: number; answered: string[] } {
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
