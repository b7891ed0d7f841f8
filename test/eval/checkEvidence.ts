import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readDocumentText } from '../../bot/policy/documentLoader';
import { parseSections } from '../../bot/policy/sectionParser';
import { projectPath } from '../../bot/projectRoot';

/**
 * `npm run eval:check -- <questions.json> [--fill] [--policies <dir>]`: a question set is only worth
 * measuring if its evidence phrases are really in the policy it names. Checks every `any` phrase is in the
 * policy's text, names the section(s) holding it (`--fill` writes them into the file as `section`), and
 * flags phrases that another set in test/eval already uses and questions that re-word one of theirs (a blind set
 * should not re-ask tuned questions).
 * Exits non-zero when any phrase is missing.
 */
interface Item {
  policy: string;
  q: string;
  any: string[];
  section?: string;
}

// Share of content words two questions have in common (Jaccard) at which they count as one question re-worded.
const SIMILAR = 0.5;
const GRAMMAR = new Set('a an the i my me can do is it to of on in for what who how if ok with and or at be are should'.split(' '));
const contentWords = (q: string) => new Set((q.toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((w) => !GRAMMAR.has(w)));
function similarity(a: Set<string>, b: Set<string>): number {
  const shared = [...a].filter((w) => b.has(w)).length;
  return shared / Math.max(1, a.size + b.size - shared);
}

const flat = (s: string) => s.replace(/\*\*|<\/?u>/g, '').replace(/[’‘]/g, "'").replace(/\s+/g, ' ').trim().toLowerCase();

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const file = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--policies');
  if (!file) throw new Error('usage: npm run eval:check -- <questions.json> [--fill] [--policies <dir>]');
  const at = args.indexOf('--policies');
  const dir = at >= 0 ? path.resolve(args[at + 1]) : path.resolve(projectPath(), '../shared/policies');
  const items = JSON.parse(await readFile(path.resolve(file), 'utf8')) as Item[];
  const evalDir = path.resolve(projectPath(), 'test/eval');
  const others = new Map<string, string>();
  const otherQuestions: Array<{ q: string; words: Set<string>; set: string }> = [];
  for (const name of ['qa-own.json', 'qa-blind.json', 'qa-blind2.json', 'qa-blind3.json', 'qa-blind4.json']) {
    if (path.resolve(evalDir, name) === path.resolve(file)) continue;
    for (const other of JSON.parse(await readFile(path.join(evalDir, name), 'utf8')) as Item[]) {
      for (const p of other.any) others.set(flat(p), name);
      otherQuestions.push({ q: other.q, words: contentWords(other.q), set: name });
    }
  }
  const texts = new Map<string, { whole: string; sections: Array<{ name: string; text: string }> }>();
  let missing = 0;
  for (const item of items) {
    if (!texts.has(item.policy)) {
      const raw = await readDocumentText(path.join(dir, item.policy));
      const sections = parseSections(raw).sections.map((s) => ({ name: s.number ? `${s.number} ${s.title}` : s.title, text: flat([s.title, s.text].join(' ')) }));
      texts.set(item.policy, { whole: flat(raw), sections });
    }
    const doc = texts.get(item.policy)!;
    const holders = new Set<string>();
    for (const phrase of item.any) {
      const p = flat(phrase);
      if (!doc.whole.includes(p)) {
        missing++;
        console.log(`MISSING [${item.policy}] "${phrase}" (for: ${item.q})`);
        continue;
      }
      for (const s of doc.sections) if (s.text.includes(p)) holders.add(s.name);
      if (others.has(p)) console.log(`overlap with ${others.get(p)}: "${phrase}" (for: ${item.q})`);
    }
    // A re-wording of a tuned question is not a test of unseen wording.
    const mine = contentWords(item.q);
    for (const o of otherQuestions) if (similarity(mine, o.words) >= SIMILAR) console.log(`similar question in ${o.set}: "${o.q}" (for: ${item.q})`);
    if (holders.size === 0 && item.any.length) console.log(`no single section holds the phrase(s) for: ${item.q}`);
    if (args.includes('--fill')) item.section = [...holders].join(' | ');
    else if (item.section && holders.size && !item.section.split(' | ').some((s) => holders.has(s))) console.log(`section "${item.section}" does not hold the evidence for: ${item.q}`);
  }
  if (args.includes('--fill')) await writeFile(path.resolve(file), `[\n${items.map((i) => ` ${JSON.stringify(i)}`).join(',\n')}\n]\n`);
  console.log(`${items.length} questions, ${missing} evidence phrase(s) missing from their policy`);
  if (missing) process.exitCode = 1;
}

main().catch((err) => {
  console.error((err as Error).message);
  process.exit(1);
});
