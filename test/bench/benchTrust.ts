import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PolicyLibrary } from '../../bot/policy/policyLibrary';
import type { Member } from '../support/fakeConnector';
import { ProcessHarness } from '../support/processHarness';
import { startAzuriteProcess } from './azuriteProcess';
import { writeBenchTrust, type BenchTrust } from './benchTrustFile';
import { helpScenario } from './helpScenario';
import { measure } from './runBench';
import type { BenchScenario } from './scenario';
import { scenario as policyScenario } from './scenarios/policy';
import { formatColumns, formatTable, percentile, type Figures } from './stats';

/**
 * `npm run bench:trust [-- --turns 500 --concurrency 50 --schools 30 --people 6000]`: a trust-sized
 * Lantern. Generates a trust (test/bench/benchTrustFile.ts) in a temporary folder, then starts the
 * compiled bot in its own process (ProcessHarness) on Azurite in another, three times: the trust
 * with no policies (memory before any index), the trust with every school's policies, and a trust
 * of its first school alone (the baseline). For each it prints start-up time, the policy index
 * build time the bot logged, the bot's RSS and JS heap after a full GC (test/bench/benchTrustProbe.cjs),
 * and `help` and policy-answer turns at 50 conversations spread over the schools, with errors.
 * Before the bots, the same index construction runs in this process for every school, so the
 * indexes' own heap and build time are measured without the rest of the bot.
 */
const arg = (flag: string, fallback: number) => {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const PROBE = path.join(__dirname, 'benchTrustProbe.cjs');
const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');
const mb = (bytes: number) => bytes / 1024 / 1024;

interface Memory {
  rssMb: number;
  heapMb: number;
}

interface BotRun {
  label: string;
  schools: number;
  startMs: number;
  /** What the bot logged for its policy indexes: how many were built and their summed build time. */
  indexes: number;
  indexMs: number;
  sections: number;
  afterStart: Memory;
  afterTurns?: Memory;
  rows: Figures[];
}

function settled(): Memory {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc (npm run bench:trust does)');
  gc();
  gc();
  const m = process.memoryUsage();
  return { rssMb: mb(m.rss), heapMb: mb(m.heapUsed) };
}

/** The bot process's memory after a full GC, asked of the probe it was started with. */
async function botMemory(h: ProcessHarness): Promise<Memory> {
  const seen = h.output().split('MEMORY ').length;
  h.bot!.child.kill('SIGUSR2');
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const parts = h.output().split('MEMORY ');
    if (parts.length > seen) {
      const m = JSON.parse(parts[seen].split('\n')[0]) as Memory & { error?: string };
      if (m.error) throw new Error(`bot memory probe: ${m.error}`);
      return m;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the bot did not report its memory');
}

/** Conversations spread over the schools round-robin: the j-th is someone of school j mod n. */
function spreadUsers(trust: BenchTrust, n: number, who: 'staff' | 'unlisted'): Member[] {
  return Array.from({ length: n }, (_, j) => {
    const people = trust.schools[j % trust.schools.length][who];
    return people[Math.floor(j / trust.schools.length) % people.length];
  });
}

/** A scenario's turns from staff no roster lists: the router finds their school by their mail domain. */
const unlisted = (scenario: BenchScenario): BenchScenario & { unlisted: true } => ({ ...scenario, name: `${scenario.name}, unlisted staff`, unlisted: true });

/** The same index construction as each school's policy capability, for every school, in this process. */
async function buildInProcess(trust: BenchTrust, trustPolicies: string): Promise<{ ms: number[]; heapMb: number; sections: number }> {
  const before = settled();
  const libraries: PolicyLibrary[] = [];
  for (const school of trust.schools) libraries.push(await PolicyLibrary.fromDirectory(school.policies!, [trustPolicies]));
  const after = settled();
  const sections = libraries.reduce((n, l) => n + l.documents().reduce((m, d) => m + d.sections, 0), 0);
  return { ms: libraries.map((l) => l.buildMs), heapMb: after.heapMb - before.heapMb, sections };
}

async function runBot(label: string, trust: BenchTrust, connectionString: string, scenarios: BenchScenario[], options: { turns: number; concurrency: number }): Promise<BotRun> {
  // The scheduler at its production interval (the harness's 500 ms is for tests): 31 schedulers (each school's
  // and the trust's) polling twice a second would be most of what the table server does.
  const h = new ProcessHarness({ TABLES_CONNECTION_STRING: connectionString, SCHOOL_CONFIG: trust.file, SCHEDULER_INTERVAL_MS: '30000', NODE_OPTIONS: `--expose-gc --require ${PROBE}` });
  const t0 = performance.now();
  await h.start();
  const startMs = performance.now() - t0;
  try {
    const logged = [...h.output().matchAll(/policies: (\d+) documents, (\d+) sections from .* in (\d+) ms/g)];
    const afterStart = await botMemory(h);
    const listed = spreadUsers(trust, options.concurrency, 'staff');
    const others = spreadUsers(trust, options.concurrency, 'unlisted');
    for (const user of [...listed, ...others]) h.connector.addMember(user);
    const usersOf = (scenario: BenchScenario) => ('unlisted' in scenario ? others : listed);
    const rows: Figures[] = [];
    for (const scenario of scenarios) {
      // Untimed: every conversation's first turn (it records who they are), then a few for JIT.
      await measure(h, scenario, usersOf(scenario), options.concurrency, options.concurrency);
      await measure(h, scenario, usersOf(scenario), 1, 20);
    }
    for (const scenario of scenarios) {
      const row = await measure(h, scenario, usersOf(scenario), options.concurrency, Math.max(options.turns, options.concurrency));
      // The bot's RSS as the row ends (not this process's, which measure() reads).
      const status = readFileSync(`/proc/${h.bot!.child.pid}/status`, 'utf8');
      rows.push({ ...row, scenario: `${scenario.name} (${label})`, rssMb: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024 });
    }
    // What the bot logged about failures, so an error in the table can be told from a slow machine.
    for (const line of h.output().split('\n').filter((l) => /fail|error|unavailable|refused/i.test(l)).slice(0, 5)) console.log(`  ${label}, bot log: ${line.slice(0, 300)}`);
    h.connector.sent.length = 0;
    const afterTurns = rows.length ? await botMemory(h) : undefined;
    return {
      label,
      schools: trust.schools.length,
      startMs,
      indexes: logged.length,
      indexMs: logged.reduce((n, m) => n + Number(m[3]), 0),
      sections: logged.reduce((n, m) => n + Number(m[2]), 0),
      afterStart,
      afterTurns,
      rows,
    };
  } catch (err) {
    console.error(h.output().split('\n').slice(-20).join('\n'));
    throw err;
  } finally {
    await h.stop();
  }
}

async function main(): Promise<void> {
  const options = { turns: arg('--turns', 500), concurrency: arg('--concurrency', 50), schools: arg('--schools', 30), people: arg('--people', 6000) };
  console.log(`load average at start: ${load()} (${os.cpus().length} cores); Node ${process.version}`);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lantern-bench-trust-'));
  const azurite = await startAzuriteProcess();
  try {
    const t0 = performance.now();
    const full = await writeBenchTrust(path.join(dir, 'trust'), options);
    const bare = await writeBenchTrust(path.join(dir, 'bare'), { ...options, policies: false });
    const one = await writeBenchTrust(path.join(dir, 'one'), { ...options, only: 1 });
    console.log(`generated in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${full.schools.length} schools, ${full.people} people in their rosters, ${full.policyFiles} policy files (${dir})`);

    const inProcess = await buildInProcess(full, path.join(dir, 'trust', 'trust-policies'));
    const scenarios = [helpScenario, policyScenario, unlisted(policyScenario)];
    const runs = [
      await runBot('trust, no policies', bare, azurite.connectionString, [helpScenario], options),
      await runBot('trust', full, azurite.connectionString, scenarios, options),
      await runBot('one school', one, azurite.connectionString, scenarios, options),
    ];

    console.log(`\nTrust benchmark: ${options.schools} schools, ${full.people} people; the bot in its own process (compiled, as npm start runs it), Azurite in another; load average ${load()}`);
    console.log(`index construction in this process, every school's policies with the trust-wide ones: ${inProcess.ms.length} indexes, ${inProcess.sections} sections, ${inProcess.ms.reduce((a, b) => a + b, 0).toFixed(0)} ms in all (p50 ${percentile(inProcess.ms, 50).toFixed(0)} ms, max ${Math.max(...inProcess.ms).toFixed(0)} ms per school), JS heap +${inProcess.heapMb.toFixed(1)} MB after GC (${(inProcess.heapMb / inProcess.ms.length).toFixed(2)} MB per school)\n`);
    const fixed = (n: number | undefined, digits = 0) => (n === undefined ? '-' : n.toFixed(digits));
    console.log(
      formatColumns(
        ['bot', 'schools', 'start-up ms', 'indexes', 'sections', 'index build ms', 'RSS after GC MB', 'heap after GC MB', 'RSS after turns MB', 'heap after turns MB'],
        runs.map((r) => [r.label, String(r.schools), fixed(r.startMs), String(r.indexes), String(r.sections), fixed(r.indexMs), fixed(r.afterStart.rssMb), fixed(r.afterStart.heapMb), fixed(r.afterTurns?.rssMb), fixed(r.afterTurns?.heapMb)]),
      ),
    );
    const bareRun = runs[0];
    const trustRun = runs[1];
    console.log(`the indexes in the bot: RSS +${(trustRun.afterStart.rssMb - bareRun.afterStart.rssMb).toFixed(0)} MB, heap +${(trustRun.afterStart.heapMb - bareRun.afterStart.heapMb).toFixed(0)} MB after GC (trust with policies against the same trust without)\n`);
    const rows = runs.flatMap((r) => r.rows);
    const base = (name: string) => (r: Figures) => rows.find((b) => b.scenario === name);
    console.log(`turns at ${options.concurrency} conversations spread over the schools (${Math.max(options.turns, options.concurrency)} per row); RSS is the bot process's as the row ends:`);
    console.log(formatTable(rows, [{ label: 'p95 vs trust help', of: base('help (trust)') }, { label: 'vs one-school policy', of: base('policy (one school)') }]));
    process.exitCode = rows.some((r) => r.errors > 0) ? 1 : 0;
  } finally {
    await azurite.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
