import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { EXAMPLE_POLICIES } from '../../bot/policy';
import { PolicyLibrary } from '../../bot/policy/policyLibrary';
import { parseSections } from '../../bot/policy/sectionParser';
import { evaluate, loadItems, rejectionRate, sectionProblems, singlePolicyLibraries, type EvalItem } from '../policy/evalHarness';
import { OFF_TOPIC } from '../policy/offTopicQuestions';
import { InputError } from './inputError';

// The checks behind `npm run eval:reference` (test/eval/evalReference.ts), on real schools' policies.
const EVAL = path.resolve(__dirname);
const MIN_HIT_RATE = 0.9;
const MIN_REJECTED = 0.9;

interface Floor {
  name: string;
  file: string;
  slice?: [number, number];
  min: number;
  /** At most this many replies quoting a wrong rule as the main answer. */
  maxWrong?: number;
  /** Only the set's questions of this kind ("informal", "policy-worded"); off-topic items are checked apart. */
  kind?: string;
}

// A hit is the right rule in the first reply: the main quote, one of the "other rules that may apply"
// snippets, or one of the "Do you mean…" choices.
const FLOORS: Floor[] = [
  { name: 'qa-own.json', file: path.join(EVAL, 'qa-own.json'), min: MIN_HIT_RATE },
  // qa-blind.json was written from the policies before the engine saw it, in the way busy staff type. Its first
  // 30 items (6 per policy) were used for tuning; the last 30 were held out and only measured at the end
  // (73.3%, 22/30 when first measured), so its floors are the levels actually reached minus a small margin.
  { name: 'qa-blind.json (all 60)', file: path.join(EVAL, 'qa-blind.json'), slice: [0, 60], min: 0.95, maxWrong: 2 },
  { name: 'qa-blind.json (held-out 30)', file: path.join(EVAL, 'qa-blind.json'), slice: [30, 60], min: 0.9, maxWrong: 2 },
  // qa-blind2.json: 40 more questions (8 per reference policy), written before any engine run. First measured
  // at 19/40 (47.5%); then used for tuning (29/40), 33/40 with other rules and ask-back, 34/40 with 3 wrong after
  // the unsure ask-back, compounds, lexicon and intents (qa-blind: 54/60 with 3 wrong, 26/30 of its held-out half).
  { name: 'qa-blind2.json (40, tuned on)', file: path.join(EVAL, 'qa-blind2.json'), slice: [0, 40], min: 0.82, maxWrong: 3 },
  // qa-blind3.json: 30 questions on topics the other sets do not ask about: 13/30 before and after the
  // vocabulary tuning, 15/30 with other rules and ask-back (it was a tuning set for those), 17/30 with 2 wrong after
  // the unsure ask-back, compounds, lexicon and intents.
  { name: 'qa-blind3.json (30)', file: path.join(EVAL, 'qa-blind3.json'), slice: [0, 30], min: 0.56, maxWrong: 3 },
  // qa-blind4.json: 50 informal questions (10 per reference policy) written before the other-rules,
  // ask-back, lexicon and saved-answer work and measured only at its end: 27/50 (54%) with 8 wrong
  // before, 31/50 (62%) with 7 wrong after; below the goal of 75%, so the floor holds what was reached.
  // Measured once after that work, it became a tuning set for the unsure ask-back, compounds, lexicon and
  // intents: 40/50 (80%) with 5 wrong.
  { name: 'qa-blind4.json (50, tuned on)', file: path.join(EVAL, 'qa-blind4.json'), slice: [0, 50], min: 0.8, maxWrong: 3 },
  // qa-blind5.json: 50 informal and 10 policy-worded questions (and 6 off-topic ones) written before that work
  // and measured only at its end: informal 25/50 (50%) with 10 wrong before, 28/50 (56%) with 8 wrong after;
  // policy-worded 10/10 with 1 wrong before and after. The floors hold what was reached.
  // Since then every qa-blind set is a tuning set (qa-blind6 is the held-out one). After the weak-answer ask-back,
  // the full first "Do you mean" choice, four lexicon entries and the intent-led quote: qa-blind 58/60 with 1 wrong,
  // qa-blind2 34/40 with 2, qa-blind3 18/30 with 2, qa-blind4 41/50 with 2, qa-blind5 informal 33/50 with 5 and
  // policy-worded 10/10 with 0; the floors are those levels less one question, the wrong counts plus one.
  { name: 'qa-blind5.json (informal 50, tuned on)', file: path.join(EVAL, 'qa-blind5.json'), kind: 'informal', min: 0.64, maxWrong: 6 },
  { name: 'qa-blind5.json (policy-worded 10, tuned on)', file: path.join(EVAL, 'qa-blind5.json'), kind: 'policy-worded', min: 0.9, maxWrong: 1 },
];
// Off-topic items of the question sets (no evidence phrase): each must be declined.
const OFF_TOPIC_SETS = [path.join(EVAL, 'qa-blind5.json')];

function medianAnswerMs(library: PolicyLibrary, questions: string[]): number {
  for (const q of questions) library.answer(q);
  const times: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const q of questions) {
      const started = performance.now();
      library.answer(q);
      times.push(performance.now() - started);
    }
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

async function requirePolicies(items: EvalItem[], dir: string, setName: string): Promise<void> {
  const present = new Set(await readdir(dir));
  const missing = [...new Set(items.map((i) => i.policy))].filter((p) => !present.has(p));
  if (missing.length) throw new InputError(`eval:reference: ${setName} asks about ${missing.join(', ')}, not in ${dir}`);
}

/** Every check on the policies in `dir` (which has `files`); prints one line per check, returns the exit code. */
export async function runReferenceChecks(dir: string, files: string[], devQa?: string): Promise<number> {
  const failures: string[] = [];
  const check = (ok: boolean, line: string) => {
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${line}`);
    if (!ok) failures.push(line);
  };
  console.log(`Reference evaluation on ${files.length} policies in ${dir} (Node ${process.version})`);

  for (const file of files) {
    const problems = sectionProblems(parseSections(readFileSync(path.join(dir, file), 'utf8')).sections, { min: 14, max: 80 });
    check(problems.length === 0, `${file}: realistic sections${problems.length ? ` (${problems.join('; ')})` : ''}`);
  }

  const sets: Floor[] = [...(devQa ? [{ name: 'dev-qa.json', file: devQa, min: MIN_HIT_RATE }] : []), ...FLOORS];
  if (!devQa) console.log('note dev-qa.json not given (--dev-qa); its floor is not checked in this run');
  for (const set of sets) {
    const items = (await loadItems(set.file)).slice(...(set.slice ?? [0])).filter((i) => i.any.length && (!set.kind || i.kind === set.kind));
    await requirePolicies(items, dir, set.name);
    const report = await evaluate(items, dir);
    check(report.rate >= set.min, `${set.name}: ${report.hits}/${report.total} = ${(report.rate * 100).toFixed(1)}% (floor ${set.min * 100}%)`);
    if (set.maxWrong !== undefined) check(report.wrongMain <= set.maxWrong, `${set.name}: ${report.wrongMain} wrong rule(s) as the main answer (at most ${set.maxWrong})`);
    for (const o of report.outcomes.filter((x) => !x.hit && set.min >= MIN_HIT_RATE)) console.log(`       miss: [${o.item.policy}] ${o.item.q}`);
  }

  for (const file of OFF_TOPIC_SETS) {
    const items = (await loadItems(file)).filter((i) => !i.any.length);
    await requirePolicies(items, dir, path.basename(file));
    const answered = (await evaluate(items, dir)).outcomes.filter((o) => o.answer.found).map((o) => o.item.q);
    check(answered.length === 0, `${path.basename(file)}: its ${items.length} off-topic questions declined${answered.length ? ` (answered: ${answered.join(' | ')})` : ''}`);
  }

  const together = await PolicyLibrary.fromDirectory(dir);
  const single = await singlePolicyLibraries(dir);
  for (const [name, library] of [[`all ${files.length} together`, together], ...single] as Array<[string, PolicyLibrary]>) {
    const { rate, answered } = rejectionRate(library, OFF_TOPIC);
    check(rate >= MIN_REJECTED, `off-topic, ${name}: ${(rate * 100).toFixed(0)}% "not found"${answered.length ? ` (answered: ${answered.join(' | ')})` : ''}`);
  }

  const onTopic = devQa ? await loadItems(devQa) : [];
  if (devQa) {
    await requirePolicies(onTopic, dir, 'dev-qa.json');
    const lost = onTopic.filter((item) => !single.get(item.policy)?.answer(item.q).found).map((item) => item.q);
    check(lost.length === 0, `dev-qa.json: every question finds an answer${lost.length ? ` (not found: ${lost.join(' | ')})` : ''}`);
  }

  // Speed is reported, never a pass/fail threshold: CI shares two cores with whatever else runs.
  const example = await PolicyLibrary.fromDirectory(EXAMPLE_POLICIES);
  const exampleQuestions = (await loadItems(path.join(EVAL, 'qa-example.json'))).map((i) => i.q);
  for (const [name, library, questions] of [
    [`all ${files.length} reference policies`, together, [...onTopic.map((i) => i.q), ...OFF_TOPIC]],
    ['the example set', example, [...exampleQuestions, ...OFF_TOPIC]],
  ] as Array<[string, PolicyLibrary, string[]]>) {
    console.log(`info answer() p50 ${medianAnswerMs(library, questions).toFixed(2)} ms with ${name} loaded`);
  }

  console.log(failures.length ? `eval:reference: ${failures.length} check(s) failed` : 'eval:reference: all checks passed');
  return failures.length ? 1 : 0;
}
