/**
 * What keeping every write on disk costs the embedded store: upserts per second and latency, in
 * memory (no disk at all, the ceiling) against on disk with every write journalled before it is
 * answered, at two database sizes (a write appends its change, so the size should not matter);
 * then how long a start takes after kill -9 left a long journal to replay.
 * Run with `npm run bench:storage [-- --journal 20000]`; prints tables, asserts nothing.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DocumentTable } from '../../bot/storage/documentTable';
import { startEmbeddedTables } from '../../bot/storage/embeddedAzurite';
import { endpointFromConnectionString, TableProvisioner } from '../../bot/storage/tableService';
import { segmentsIn } from '../../bot/storage/writeJournal';
import { startTablesProcess } from '../support/tablesProcess';
import { percentile } from './stats';

const WRITES = 400;
const BODY = 'x'.repeat(800); // about the size of a tutor log or a draft

async function run(label: string, dataDir: string | undefined, preload: number, concurrency: number): Promise<string> {
  const tables = await startEmbeddedTables(dataDir);
  try {
    const table = new DocumentTable<{ body: string; n: number }>(new TableProvisioner(endpointFromConnectionString(tables.connectionString, label)), 'bench');
    for (let i = 0; i < preload; i += 50) await Promise.all(Array.from({ length: 50 }, (_, j) => table.upsert('pre', String(i + j), { body: BODY, n: i + j })));
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < WRITES) {
        const n = next++;
        const t = performance.now();
        await table.upsert('run', String(n), { body: BODY, n });
        latencies.push(performance.now() - t);
      }
    }));
    const seconds = (performance.now() - started) / 1000;
    const size = dataDir ? `${((await stat(path.join(dataDir, '__azurite_db_table__.json'))).size / 1e6).toFixed(1)} + ${((await journalBytes(dataDir)) / 1e6).toFixed(1)} MB` : '-';
    return [label, String(preload), String(concurrency), (WRITES / seconds).toFixed(0), percentile(latencies, 50).toFixed(1), percentile(latencies, 95).toFixed(1), size].join('\t');
  } finally {
    await tables.stop();
  }
}

async function journalBytes(dir: string): Promise<number> {
  let bytes = 0;
  for (const segment of await segmentsIn(dir, '__lantern_table_journal__')) bytes += (await stat(segment.file)).size;
  return bytes;
}

/** Writes `rows` new rows with snapshots held off, kills the store, and times the start that replays them. */
async function startAfterKill(rows: number): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lantern-bench-'));
  try {
    const store = await startTablesProcess(dir, { snapshot: { minJournalBytes: Number.MAX_SAFE_INTEGER } });
    const table = new DocumentTable<{ body: string; n: number }>(new TableProvisioner(endpointFromConnectionString(store.connectionString, 'bench')), 'bench');
    let next = 0;
    await Promise.all(Array.from({ length: 32 }, async () => {
      while (next < rows) {
        const n = next++;
        await table.upsert(`p${n % 100}`, String(n), { body: BODY, n });
      }
    }));
    await store.kill();
    const journal = await journalBytes(dir);
    const timed = async () => {
      const started = performance.now();
      const tables = await startEmbeddedTables(dir);
      const ms = performance.now() - started;
      await tables.stop();
      return ms;
    };
    const replaying = await timed();
    const fromSnapshot = await timed();
    const snapshot = (await stat(path.join(dir, '__azurite_db_table__.json'))).size;
    return [String(rows), `${(journal / 1e6).toFixed(1)} MB`, replaying.toFixed(0), fromSnapshot.toFixed(0), `${(snapshot / 1e6).toFixed(1)} MB`].join('\t');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--journal');
  const journalRows = i >= 0 ? Number(process.argv[i + 1]) : 20_000;
  console.log(['store', 'records', 'conc', 'writes/s', 'p50 ms', 'p95 ms', 'snapshot + journal'].join('\t'));
  for (const preload of [0, 5000]) {
    for (const concurrency of [1, 16]) {
      console.log(await run('memory', undefined, preload, concurrency));
      const dir = await mkdtemp(path.join(os.tmpdir(), 'lantern-bench-'));
      console.log(await run('disk, journalled', dir, preload, concurrency));
      await rm(dir, { recursive: true, force: true });
    }
  }
  console.log(`\n${['rows journalled', 'journal', 'start, replaying ms', 'next start ms', 'snapshot'].join('\t')}`);
  console.log(await startAfterKill(journalRows));
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
