import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { policyModule } from '../../bot/policy';
import { PolicyLibrary } from '../../bot/policy/policyLibrary';
import { projectPath } from '../../bot/projectRoot';
import { visibleText } from '../support/cards';
import { startHarness } from '../support/harness';
import { startAzuriteProcess } from './azuriteProcess';
import { helpScenario } from './helpScenario';
import { benchUsers, measure } from './runBench';
import type { BenchScenario } from './scenario';
import { formatTable, percentile, type Figures } from './stats';

/**
 * `npm run bench:qa`: the policy Q&A figures. Index build time for the five reference policies,
 * then answer latency at 1 and 20 concurrent conversations over HTTP with those five loaded as
 * one policy set, beside a `help` turn measured in the same run.
 */
async function main(): Promise<void> {
  const turns = Number(process.argv[process.argv.indexOf('--turns') + 1]) || 300;
  const reference = path.resolve(projectPath(), '../shared/policies');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lantern-bench-qa-'));
  for (const f of await readdir(reference)) await copyFile(path.join(reference, f), path.join(dir, f));

  const builds: number[] = [];
  let library: PolicyLibrary | undefined;
  for (let i = 0; i < 5; i++) {
    library = await PolicyLibrary.fromDirectory(dir);
    builds.push(library.buildMs);
  }
  const sections = library!.documents().reduce((n, d) => n + d.sections, 0);

  const questions: string[] = [];
  for (const file of [path.resolve(projectPath(), '../shared/eval/dev-qa.json'), projectPath('test', 'eval', 'qa-own.json')]) {
    questions.push(...(JSON.parse(await readFile(file, 'utf8')) as Array<{ q: string }>).map((i) => i.q));
  }
  const inProcess: number[] = [];
  for (const q of questions) {
    const t0 = performance.now();
    library!.answer(q);
    inProcess.push(performance.now() - t0);
  }

  const policyScenario: BenchScenario = {
    name: 'policy answer',
    async turn(h, user, i) {
      const replies = await h.say(user, questions[i % questions.length]);
      assert.ok(replies.length >= 1 && visibleText(replies.at(-1)).length > 0, 'no answer');
    },
  };

  const azurite = await startAzuriteProcess();
  const h = await startHarness({ modules: [policyModule], env: { TABLES_CONNECTION_STRING: azurite.connectionString, POLICY_DIR: dir } });
  const users = benchUsers(20);
  const rows: Figures[] = [];
  try {
    for (const scenario of [helpScenario, policyScenario]) {
      await measure(h, scenario, users, 1, 20);
      for (const c of [1, 20]) rows.push(await measure(h, scenario, users, c, turns));
    }
  } finally {
    await h.stop();
    await azurite.stop();
  }
  console.log(`\nPolicy Q&A benchmark (Node ${process.version})`);
  console.log(`index build, five reference policies (${library!.documents().length} documents, ${sections} sections): p50 ${percentile(builds, 50).toFixed(0)} ms over ${builds.length} builds`);
  console.log(`answer() alone, ${questions.length} questions: p50 ${percentile(inProcess, 50).toFixed(2)} ms, p95 ${percentile(inProcess, 95).toFixed(2)} ms`);
  console.log(`over HTTP, ${turns} turns per row; Azurite in its own process; RSS is the bot + load generator process:`);
  console.log(formatTable(rows, (r) => rows.find((b) => b.scenario === 'help' && b.concurrency === r.concurrency)));
  const p20 = rows.find((r) => r.scenario === 'policy answer' && r.concurrency === 20)!;
  const h20 = rows.find((r) => r.scenario === 'help' && r.concurrency === 20)!;
  console.log(`target: policy p95 at 20 concurrent within 2× help p95 → ${(p20.p95 / h20.p95).toFixed(2)}× (${p20.p95 <= 2 * h20.p95 ? 'met' : 'not met'})`);
  process.exit(rows.some((r) => r.errors > 0) ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
