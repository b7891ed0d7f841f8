import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TableClient, TableServiceClient } from '@azure/data-tables';
import { capabilityModules } from '../../bot/capabilities';
import { startTablesWorker } from '../../bot/storage/embeddedAzurite';
import { startHarness } from '../support/harness';
import { startAzuriteProcess } from './azuriteProcess';
import { helpScenario } from './helpScenario';
import { benchUsers, measure } from './runBench';
import type { BenchScenario } from './scenario';
import { scenario as policyScenario } from './scenarios/policy';
import { percentile } from './stats';

/**
 * `npm run bench:soak [-- --turns 10000 --concurrency 20 --store process|embedded]`: help and
 * policy turns alternating over HTTP, with memory measured after a full GC (hence --expose-gc)
 * once warmed up, at ten checkpoints, and at the end. A leak per turn shows as growth that keeps
 * climbing from checkpoint to checkpoint; a plateau is the allocator's high-water mark.
 *
 * Memory is reported apart, so the figure means something: the bot process's RSS (anonymous and
 * file-backed pages), the bot's JS heap and buffers, and what the table server holds: its rows and
 * tables, and its own memory (Azurite's process RSS, or the embedded thread's JS heap, which is
 * also inside the bot process's RSS).
 */
const arg = (flag: string, fallback: string) => {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : fallback;
};

const mixed: BenchScenario = {
  name: 'help + policy',
  turn: (h, user, i) => (i % 2 ? policyScenario.turn(h, user, i) : helpScenario.turn(h, user, i)),
};

const MB = 1024 * 1024;

/** Fields of /proc/<pid>/status in MB (Linux only; NaN elsewhere). */
function procStatus(pid: number | 'self', field: string): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

interface TableServer {
  description: string;
  connectionString: string;
  /** What the table server itself uses, in MB, and what that figure is. */
  memory(): Promise<{ mb: number; what: string }>;
  stop(): Promise<void>;
}

async function openTableServer(store: string): Promise<TableServer> {
  if (store === 'process') {
    const azurite = await startAzuriteProcess();
    return {
      description: 'Azurite in its own process (in memory)',
      connectionString: azurite.connectionString,
      memory: async () => ({ mb: procStatus(azurite.pid, 'VmRSS'), what: "Azurite process's RSS" }),
      stop: () => azurite.stop(),
    };
  }
  if (store !== 'embedded') throw new Error(`--store: "${store}" is not process or embedded`);
  // What `npm start` with no settings runs (openStorage): the worker thread, data on disk.
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'lantern-soak-'));
  const tables = await startTablesWorker(dataDir);
  return {
    description: 'embedded store as `npm start` runs it (Azurite in a worker thread of the bot process, data on disk)',
    connectionString: tables.connectionString,
    memory: async () => ({ mb: (await tables.heapUsed!()) / MB, what: "table thread's JS heap (part of the bot's RSS)" }),
    stop: async () => {
      await tables.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Rows per table the table server holds. */
async function holdings(connectionString: string): Promise<Map<string, number>> {
  const options = { allowInsecureConnection: true };
  const rows = new Map<string, number>();
  for await (const table of TableServiceClient.fromConnectionString(connectionString, options).listTables()) {
    let n = 0;
    for await (const _ of TableClient.fromConnectionString(connectionString, table.name!, options).listEntities({ queryOptions: { select: ['RowKey'] } })) n += 1;
    rows.set(table.name!, n);
  }
  return rows;
}

interface Snapshot {
  turns: number;
  rssMb: number;
  anonMb: number;
  fileMb: number;
  heapMb: number;
  heapTotalMb: number;
  externalMb: number;
  table: { mb: number; what: string };
}

async function snapshot(turns: number, server: TableServer): Promise<Snapshot> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc (npm run bench:soak does)');
  const table = await server.memory();
  gc();
  gc();
  const m = process.memoryUsage();
  return { turns, rssMb: m.rss / MB, anonMb: procStatus('self', 'RssAnon'), fileMb: procStatus('self', 'RssFile'), heapMb: m.heapUsed / MB, heapTotalMb: m.heapTotal / MB, externalMb: m.external / MB, table };
}

const row = (s: Snapshot) => `  ${String(s.turns).padStart(6)}  ${s.rssMb.toFixed(0).padStart(7)}  ${s.anonMb.toFixed(0).padStart(7)}  ${s.fileMb.toFixed(0).padStart(7)}  ${s.heapMb.toFixed(0).padStart(7)}  ${s.heapTotalMb.toFixed(0).padStart(10)}  ${s.externalMb.toFixed(0).padStart(8)}  ${s.table.mb.toFixed(0).padStart(8)}`;
const growth = (from: number, to: number) => `${to >= from ? '+' : ''}${(((to - from) / from) * 100).toFixed(1)}%`;

async function main(): Promise<void> {
  const turns = Number(arg('--turns', '10000'));
  const concurrency = Number(arg('--concurrency', '20'));
  const checkpoints = 10;
  const server = await openTableServer(arg('--store', 'process'));
  const h = await startHarness({ modules: capabilityModules, env: { TABLES_CONNECTION_STRING: server.connectionString } });
  const users = benchUsers(concurrency, h);
  try {
    await measure(h, mixed, users, concurrency, 500);
    // The fake connector keeps every reply for the tests' sake: cleared so only the bot's memory counts.
    h.connector.sent.length = 0;
    const heldBefore = await holdings(server.connectionString);
    const snapshots = [await snapshot(0, server)];
    const latencies: number[] = [];
    let errors = 0;
    let seconds = 0;
    for (let done = 0; done < turns; ) {
      const chunk = Math.min(Math.ceil(turns / checkpoints), turns - done);
      const run = await measure(h, mixed, users, concurrency, chunk, latencies);
      errors += run.errors;
      seconds += run.seconds;
      done += chunk;
      h.connector.sent.length = 0;
      snapshots.push(await snapshot(done, server));
    }
    const heldAfter = await holdings(server.connectionString);
    const [start, end] = [snapshots[0], snapshots[snapshots.length - 1]];
    console.log(`\nLantern soak: ${turns} turns (help and policy alternating) at ${concurrency} conversations; ${server.description}; Node ${process.version}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    console.log(`  errors ${errors}, ${(latencies.length / seconds).toFixed(0)} turns/s, p95 ${percentile(latencies, 95).toFixed(1)} ms`);
    console.log(`  after GC, MB (bot process: RSS = anonymous + file-backed pages; the bot's JS heap used and reserved, and buffers; table: ${start.table.what}):`);
    console.log('   turns      RSS     anon     file  JS heap  heap total  external     table');
    for (const s of snapshots) console.log(row(s));
    // A leak keeps climbing; an allocator settling at its high-water mark stops: the last four fifths tell them apart.
    const settledAt = snapshots[Math.floor(checkpoints / 5)];
    console.log(`  bot process RSS ${start.rssMb.toFixed(0)} → ${end.rssMb.toFixed(0)} MB (${growth(start.rssMb, end.rssMb)}; from turn ${settledAt.turns} to the end ${growth(settledAt.rssMb, end.rssMb)}); its JS heap ${start.heapMb.toFixed(0)} → ${end.heapMb.toFixed(0)} MB; ${start.table.what} ${start.table.mb.toFixed(0)} → ${end.table.mb.toFixed(0)} MB`);
    const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
    const grew = [...heldAfter].filter(([t, n]) => n !== (heldBefore.get(t) ?? 0)).map(([t, n]) => `${t} ${heldBefore.get(t) ?? 0} → ${n}`);
    console.log(`  table server holds ${heldAfter.size} tables, ${total(heldBefore)} → ${total(heldAfter)} rows${grew.length ? ` (${grew.join(', ')})` : ''}`);
    process.exitCode = errors > 0 ? 1 : 0;
  } finally {
    await h.stop();
    await server.stop();
  }
}

main().then(() => process.exit(), (err) => {
  console.error(err);
  process.exit(1);
});
