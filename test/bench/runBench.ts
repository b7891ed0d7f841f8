import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { capabilityModules } from '../../bot/capabilities';
import type { Member } from '../support/fakeConnector';
import { startHarness, type Harness } from '../support/harness';
import { startAzuriteProcess } from './azuriteProcess';
import { helpScenario } from './helpScenario';
import type { BenchScenario } from './scenario';
import { formatTable, percentile, type Figures } from './stats';

/**
 * `npm run bench [-- --turns 200 --concurrency 1,20 --only help,incidents]`: drives the bot over
 * HTTP (real Azurite, fake Teams connector) with N concurrent conversations per scenario and
 * prints throughput, p50/p95/p99 latency and RSS, each compared with a `help` turn in the same run.
 */
interface Options {
  turns: number;
  concurrency: number[];
  only?: string[];
}

function parseArgs(argv: string[]): Options {
  const get = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    turns: Number(get('--turns') ?? 200),
    concurrency: (get('--concurrency') ?? '1,20').split(',').map(Number),
    only: get('--only')?.split(','),
  };
}

async function loadScenarios(only?: string[]): Promise<BenchScenario[]> {
  const dir = path.join(__dirname, 'scenarios');
  const found: BenchScenario[] = [helpScenario];
  for (const file of readdirSync(dir).filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts')).sort()) {
    const mod = (await import(path.join(dir, file))) as { scenario?: BenchScenario };
    if (mod.scenario) found.push(mod.scenario);
  }
  return only ? found.filter((s) => s.name === 'help' || only.includes(s.name)) : found;
}

export function benchUsers(n: number): Member[] {
  return Array.from({ length: n }, (_, i) => ({ id: `29:bench-${i}`, name: `Bench Teacher ${i}`, aadObjectId: randomUUID(), email: `bench${i}@hollinspark.example.org` }));
}

export async function measure(h: Harness, scenario: BenchScenario, users: Member[], concurrency: number, turns: number): Promise<Figures> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  let firstError: unknown;
  const started = performance.now();
  const worker = async (user: Member) => {
    while (next < turns) {
      const i = next++;
      const t0 = performance.now();
      try {
        await scenario.turn(h, user, i);
        latencies.push(performance.now() - t0);
      } catch (err) {
        errors += 1;
        firstError ??= err;
      }
    }
  };
  await Promise.all(users.slice(0, concurrency).map(worker));
  const seconds = (performance.now() - started) / 1000;
  if (firstError) console.error(`  ${scenario.name}: first error: ${(firstError as Error).message.split('\n')[0]}`);
  return {
    scenario: scenario.name,
    concurrency,
    turns,
    errors,
    seconds,
    throughput: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    rssMb: process.memoryUsage().rss / 1024 / 1024,
  };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const scenarios = await loadScenarios(options.only);
  const azurite = await startAzuriteProcess();
  const h = await startHarness({ modules: capabilityModules, env: { TABLES_CONNECTION_STRING: azurite.connectionString } });
  const users = benchUsers(Math.max(...options.concurrency));
  const rows: Figures[] = [];
  try {
    for (const scenario of scenarios) {
      await scenario.setup?.(h, users);
      // A short warm-up so the first figures do not include module loading and JIT.
      await measure(h, scenario, users, 1, Math.min(20, options.turns));
      for (const c of options.concurrency) rows.push(await measure(h, scenario, users, c, options.turns));
    }
  } finally {
    await h.stop();
    await azurite.stop();
  }
  console.log(`\nLantern benchmark: ${options.turns} turns per row, over HTTP; Azurite in its own process; bot, load generator and fake Teams connector in this one (RSS is this process); Node ${process.version}`);
  console.log(formatTable(rows, (r) => rows.find((b) => b.scenario === 'help' && b.concurrency === r.concurrency)));
  process.exit(rows.some((r) => r.errors > 0) ? 1 : 0);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
