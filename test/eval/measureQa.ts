import { readFile, readdir, mkdtemp, copyFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PolicyLibrary } from '../../bot/policy/policyLibrary';
import { projectPath } from '../../bot/projectRoot';
import { evaluate, loadItems, type EvalReport } from '../policy/evalHarness';

/**
 * `npm run eval:measure [-- --sets a.json,b.json] [--verbose]`: the figures the ranking is judged by, per set:
 * right rule in the first reply (main quote, an "other rules" snippet, or a "Do you mean" choice), right rule as
 * the main quote, a wrong rule as the main answer, "not found", replies that asked back, and the longest reply;
 * then off-topic questions declined.
 * By default only the tuning sets: every qa-blind set here has been measured once held out and tuned on since; the
 * held-out set of the day (qa-blind6.json) is named explicitly when measured, by whoever did not tune on it.
 */
const SHARED = path.resolve(projectPath(), '../shared');
const REFERENCE = path.join(SHARED, 'policies');
const EXAMPLE = projectPath('bot/policy/example');
const TUNING = ['qa-own.json', 'qa-blind.json', 'qa-blind2.json', 'qa-blind3.json', 'qa-blind4.json', 'qa-blind5.json', 'qa-example.json', 'dev-qa.json'];

const fileOf = (name: string) => (name === 'dev-qa.json' ? path.join(SHARED, 'eval', name) : projectPath('test/eval', name));
const pct = (n: number, d: number) => `${((100 * n) / Math.max(1, d)).toFixed(1)}%`;

function p95(r: EvalReport): number {
  const lengths = r.outcomes.map((o) => o.rendered.length).sort((a, b) => a - b);
  return lengths.length ? lengths[Math.min(lengths.length - 1, Math.ceil(0.95 * lengths.length) - 1)] : 0;
}

function row(name: string, r: EvalReport): string {
  return `${name.padEnd(30)} ${String(r.total).padStart(4)}  ${`${r.hits} ${pct(r.hits, r.total)}`.padStart(11)}  ${`${r.mainHits} ${pct(r.mainHits, r.total)}`.padStart(11)}  ${`${r.wrongMain} ${pct(r.wrongMain, r.total)}`.padStart(11)}  ${String(r.notFound).padStart(5)}  ${String(r.asked).padStart(5)}  ${String(r.maxRendered).padStart(6)}  ${String(p95(r)).padStart(6)}`;
}

async function offTopic(): Promise<string[]> {
  const set = JSON.parse(await readFile(projectPath('test/eval/off-topic.json'), 'utf8')) as Record<string, string[] | string>;
  const lines: string[] = [];
  const singles: PolicyLibrary[] = [];
  for (const file of await readdir(REFERENCE)) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lantern-measure-'));
    await copyFile(path.join(REFERENCE, file), path.join(dir, file));
    singles.push(await PolicyLibrary.fromDirectory(dir));
    await rm(dir, { recursive: true, force: true });
  }
  const libraries = [await PolicyLibrary.fromDirectory(REFERENCE), await PolicyLibrary.fromDirectory(EXAMPLE), ...singles];
  for (const group of ['formal', 'informal']) {
    const qs = set[group] as string[];
    let declined = 0;
    for (const lib of libraries) for (const q of qs) if (!lib.answer(q).found) declined++;
    lines.push(`off-topic (${group}, ${qs.length} x ${libraries.length} policy sets): ${pct(declined, qs.length * libraries.length)} declined`);
  }
  return lines;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--sets');
  const sets = at >= 0 ? args[at + 1].split(',') : TUNING;
  console.log(`${'set'.padEnd(30)} ${'n'.padStart(4)}  ${'first reply'.padStart(11)}  ${'main quote'.padStart(11)}  ${'wrong main'.padStart(11)}  ${'none'.padStart(5)}  ${'asked'.padStart(5)}  ${'max ch'.padStart(6)}  ${'p95 ch'.padStart(6)}`);
  const all: EvalReport[] = [];
  for (const name of sets) {
    const policies = name === 'qa-example.json' ? EXAMPLE : REFERENCE;
    const items = await loadItems(fileOf(name));
    // A set may mix kinds (qa-blind5: informal, policy-worded, and off-topic items with no evidence): each kind
    // gets its own row, and off-topic items count as declined or not instead of as misses.
    const kinds = [...new Set(items.filter((i) => i.any.length).map((i) => i.kind ?? ''))];
    for (const kind of kinds) {
      const report = await evaluate(items.filter((i) => i.any.length && (i.kind ?? '') === kind), policies);
      all.push(report);
      console.log(row(kind ? `${name} ${kind}` : name, report));
      if (args.includes('--verbose'))
        for (const o of report.outcomes.filter((x) => !x.hit)) console.log(`   ${o.answer.found ? 'WRONG' : 'NONE '} ${o.item.q}  -> ${o.answer.citation?.section ?? ''}`);
    }
    const offTopicItems = items.filter((i) => !i.any.length);
    if (offTopicItems.length) {
      const report = await evaluate(offTopicItems, policies);
      console.log(`${`${name} off-topic`.padEnd(30)} ${String(report.total).padStart(4)}  declined ${report.notFound} ${pct(report.notFound, report.total)}`);
      if (args.includes('--verbose')) for (const o of report.outcomes.filter((x) => x.answer.found)) console.log(`   ANSWERED ${o.item.q}  -> ${o.answer.citation?.section ?? ''}`);
    }
  }
  const sum = (f: (r: EvalReport) => number) => all.reduce((n, r) => n + f(r), 0);
  console.log(row('all', { total: sum((r) => r.total), hits: sum((r) => r.hits), mainHits: sum((r) => r.mainHits), wrongMain: sum((r) => r.wrongMain), notFound: sum((r) => r.notFound), asked: sum((r) => r.asked), maxRendered: Math.max(...all.map((r) => r.maxRendered)), outcomes: all.flatMap((r) => r.outcomes) } as EvalReport));
  for (const line of await offTopic()) console.log(line);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error((err as Error).message);
    process.exit(1);
  },
);
