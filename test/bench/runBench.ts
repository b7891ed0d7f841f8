import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { capabilityModules } from '../../bot/capabilities';
import { startEmbeddedTables, startTablesWorker } from '../../bot/storage/embeddedAzurite';
import type { Member } from '../support/fakeConnector';
import { startHarness, type Harness } from '../support/harness';
import { startAzuriteProcess } from './azuriteProcess';
import { echoInMemory, echoOnTables, echoScenario, type EchoBot } from './echoBot';
import { helpScenario } from './helpScenario';
import type { BenchScenario } from './scenario';
import { formatTable, percentile, type Figures } from './stats';

/**
 * `npm run bench [-- --turns 200 --concurrency 1,20,200 --only help,policy --stores process,embedded]`:
 * drives the bot over HTTP (real Azurite, fake Teams connector) with N concurrent conversations
 * per scenario and prints throughput, p50/p95/p99 latency, errors and RSS. Each p95 is divided by
 * two floors measured in the same run, at the same concurrency, on the same table service: the
 * teams-ai echo bot keeping its state in Tables (echo-tables) and in memory (echo-memory).
 *
 * Table stores (each in a process of its own, so scenarios' per-user progress starts afresh):
 * - process: Azurite in its own process, as any deployment's table service is;
 * - embedded: what `npm start` with no settings runs (Azurite in a worker thread, data on disk);
 * - in-loop: Azurite on the bot's own event loop, as the embedded store ran before (comparison).
 */
const STORES = ['process', 'embedded', 'worker-memory', 'in-loop'] as const;
type Store = (typeof STORES)[number];

interface Options {
  turns: number;
  concurrency: number[];
  only?: string[];
  stores: Store[];
}

function parseArgs(argv: string[]): Options {
  const get = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    turns: Number(get('--turns') ?? 200),
    concurrency: (get('--concurrency') ?? '1,20,200').split(',').map(Number),
    only: get('--only')?.split(','),
    stores: (get('--stores') ?? 'process,embedded').split(',').map((name) => {
      if (!(STORES as readonly string[]).includes(name)) throw new Error(`--stores: "${name}" is not one of ${STORES.join(', ')}`);
      return name as Store;
    }),
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

/**
 * Staff to drive the bot as. Given the harness, they are also members of its fake Teams, as every
 * real sender is: otherwise each turn of someone the roster does not know would ask Teams for
 * their email, be refused, and pay for a round trip and an error a deployment never sees.
 */
export function benchUsers(n: number, h?: Harness): Member[] {
  const users = Array.from({ length: n }, (_, i) => ({ id: `29:bench-${i}`, name: `Bench Teacher ${i}`, aadObjectId: randomUUID(), email: `bench${i}@hollinspark.example.org` }));
  for (const user of users) h?.connector.addMember(user);
  return users;
}

/** `latencies`: where each turn's latency goes (a soak gathers several runs' into one). */
export async function measure(h: Harness, scenario: BenchScenario, users: Member[], concurrency: number, turns: number, latencies: number[] = []): Promise<Figures> {
  const first = latencies.length;
  let errors = 0;
  let next = 0;
  let firstError: unknown;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
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
  const cpu = process.cpuUsage(cpuBefore);
  if (firstError) console.error(`  ${scenario.name}: first error: ${(firstError as Error).message.split('\n')[0]}`);
  return {
    scenario: scenario.name,
    concurrency,
    turns,
    errors,
    seconds,
    throughput: (latencies.length - first) / seconds,
    p50: percentile(latencies.slice(first), 50),
    p95: percentile(latencies.slice(first), 95),
    p99: percentile(latencies.slice(first), 99),
    rssMb: process.memoryUsage().rss / 1024 / 1024,
    cpuMsPerTurn: (cpu.user + cpu.system) / 1000 / Math.max(1, latencies.length - first),
  };
}

interface OpenedStore {
  env: Record<string, string>;
  description: string;
  stop(): Promise<void>;
}

async function openStore(store: Store): Promise<OpenedStore> {
  if (store === 'process') {
    const azurite = await startAzuriteProcess();
    return { env: { TABLES_CONNECTION_STRING: azurite.connectionString }, description: 'Azurite in its own process (in memory)', stop: () => azurite.stop() };
  }
  if (store === 'worker-memory') {
    const tables = await startTablesWorker();
    return { env: { TABLES_CONNECTION_STRING: tables.connectionString }, description: 'Azurite in a worker thread, in memory (the embedded store without its journal and snapshots on disk)', stop: () => tables.stop() };
  }
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'lantern-bench-'));
  const removeDir = () => rm(dataDir, { recursive: true, force: true });
  if (store === 'embedded') {
    return { env: { TABLES_CONNECTION_STRING: '', LANTERN_DATA_DIR: dataDir }, description: 'embedded store as `npm start` runs it (Azurite in a worker thread, data on disk)', stop: removeDir };
  }
  const tables = await startEmbeddedTables(dataDir);
  return {
    env: { TABLES_CONNECTION_STRING: tables.connectionString },
    description: "Azurite on the bot's event loop, data on disk (the embedded store before it had its own thread)",
    stop: async () => {
      await tables.stop();
      await removeDir();
    },
  };
}

/** One store's run, in this process: Lantern's scenarios and both floors, interleaved per concurrency. */
async function runStore(store: Store, options: Options): Promise<Figures[]> {
  const opened = await openStore(store);
  // What the bot logs about failures, so an error in the table can be told from a slow machine.
  const failures: string[] = [];
  const log = (line: string) => void (/fail|error|unavailable|refused/i.test(line) && failures.length < 5 && failures.push(line.split('\n')[0].slice(0, 300)));
  const h = await startHarness({ modules: capabilityModules, env: opened.env, log });
  const echoes: EchoBot[] = [];
  const rows: Figures[] = [];
  try {
    const onTables = await echoOnTables(h.lantern.services.tables);
    const inMemory = await echoInMemory();
    echoes.push(onTables, inMemory);
    const scenarios = [...(await loadScenarios(options.only)), echoScenario('echo-tables', onTables), echoScenario('echo-memory', inMemory)];
    const users = benchUsers(Math.max(...options.concurrency), h);
    for (const scenario of scenarios) {
      await scenario.setup?.(h, users);
      // Warm-up, untimed: one turn for every conversation (someone's first turn also records who
      // they are and creates their rows), then a few in a row for module loading and JIT.
      await measure(h, scenario, users, users.length, users.length);
      await measure(h, scenario, users, 1, Math.min(20, options.turns));
    }
    // Floors next to the turns they are compared with, so a change in the machine's load hits both.
    for (const c of options.concurrency) for (const scenario of scenarios) rows.push(await measure(h, scenario, users, c, Math.max(options.turns, c)));
    console.log(`\nLantern benchmark, ${store}: ${opened.description}; ${options.turns} turns per row (at least one per conversation), over HTTP; bot, echo bots, load generator and fake Teams connector in this process (RSS is this process); Node ${process.version}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    const floor = (name: string) => (r: Figures) => rows.find((b) => b.scenario === name && b.concurrency === r.concurrency);
    console.log(formatTable(rows, [{ label: 'p95 vs help', of: floor('help') }, { label: 'vs echo-tables', of: floor('echo-tables') }, { label: 'vs echo-memory', of: floor('echo-memory') }]));
    for (const line of failures) console.log(`  bot log: ${line}`);
  } finally {
    for (const echo of echoes) await echo.stop();
    await h.stop();
    await opened.stop();
  }
  return rows;
}

/** Runs each store in a child process of its own and fails if any row had errors. */
async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  console.log(`load average at start: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (${os.cpus().length} cores)`);
  if (options.stores.length === 1) {
    const rows = await runStore(options.stores[0], options);
    process.exit(rows.some((r) => r.errors > 0) ? 1 : 0);
  }
  let failed = false;
  for (const store of options.stores) {
    const args = [...process.argv.slice(2).filter((_, i, all) => all[i] !== '--stores' && all[i - 1] !== '--stores'), '--stores', store];
    const code = await new Promise<number | null>((resolve) => spawn(process.execPath, [...process.execArgv, __filename, ...args], { stdio: 'inherit' }).on('exit', resolve));
    failed ||= code !== 0;
  }
  process.exit(failed ? 1 : 0);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
