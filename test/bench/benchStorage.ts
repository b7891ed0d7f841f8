/**
 * What saving every write costs the embedded store: upserts per second and latency, in memory
 * (no disk at all, the ceiling) against on disk with every write saved before it is answered,
 * at two database sizes (each save writes the whole LokiJS file, so its size matters).
 * Run with `npm run bench:storage`; prints a table, asserts nothing.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DocumentTable } from '../../bot/storage/documentTable';
import { startEmbeddedTables } from '../../bot/storage/embeddedAzurite';
import { endpointFromConnectionString, TableProvisioner } from '../../bot/storage/tableService';
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
    const size = dataDir ? `${((await stat(path.join(dataDir, '__azurite_db_table__.json'))).size / 1e6).toFixed(1)} MB` : '-';
    return [label, String(preload), String(concurrency), (WRITES / seconds).toFixed(0), percentile(latencies, 50).toFixed(1), percentile(latencies, 95).toFixed(1), size].join('\t');
  } finally {
    await tables.stop();
  }
}

async function main(): Promise<void> {
  console.log(['store', 'records', 'conc', 'writes/s', 'p50 ms', 'p95 ms', 'file'].join('\t'));
  for (const preload of [0, 5000]) {
    for (const concurrency of [1, 16]) {
      console.log(await run('memory', undefined, preload, concurrency));
      const dir = await mkdtemp(path.join(os.tmpdir(), 'lantern-bench-'));
      console.log(await run('disk, saved per write', dir, preload, concurrency));
      await rm(dir, { recursive: true, force: true });
    }
  }
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
