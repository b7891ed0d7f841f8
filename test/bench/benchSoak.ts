import os from 'node:os';
import { capabilityModules } from '../../bot/capabilities';
import { startHarness } from '../support/harness';
import { startAzuriteProcess } from './azuriteProcess';
import { helpScenario } from './helpScenario';
import { benchUsers, measure } from './runBench';
import type { BenchScenario } from './scenario';
import { scenario as policyScenario } from './scenarios/policy';

/**
 * `npm run bench:soak [-- --turns 10000 --concurrency 20]`: help and policy turns alternating over
 * HTTP against Azurite in its own process, with memory measured after a full GC (hence
 * --expose-gc) once warmed up and again at the end. A leak per turn shows as growth here.
 */
const arg = (flag: string, fallback: number) => {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};

const mixed: BenchScenario = {
  name: 'help + policy',
  turn: (h, user, i) => (i % 2 ? policyScenario.turn(h, user, i) : helpScenario.turn(h, user, i)),
};

function settled(): { rssMb: number; heapMb: number; externalMb: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc (npm run bench:soak does)');
  gc();
  gc();
  const m = process.memoryUsage();
  return { rssMb: m.rss / 1024 / 1024, heapMb: m.heapUsed / 1024 / 1024, externalMb: m.external / 1024 / 1024 };
}

async function main(): Promise<void> {
  const turns = arg('--turns', 10_000);
  const concurrency = arg('--concurrency', 20);
  const azurite = await startAzuriteProcess();
  const h = await startHarness({ modules: capabilityModules, env: { TABLES_CONNECTION_STRING: azurite.connectionString } });
  const users = benchUsers(concurrency, h);
  try {
    await measure(h, mixed, users, concurrency, 500);
    // The fake connector keeps every reply for the tests' sake: cleared so only the bot's memory counts.
    h.connector.sent.length = 0;
    const start = settled();
    const run = await measure(h, mixed, users, concurrency, turns);
    h.connector.sent.length = 0;
    const end = settled();
    const growth = ((end.rssMb - start.rssMb) / start.rssMb) * 100;
    console.log(`\nLantern soak: ${turns} turns (help and policy alternating) at ${concurrency} conversations, Azurite in its own process; Node ${process.version}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    console.log(`  errors ${run.errors}, ${run.throughput.toFixed(0)} turns/s, p95 ${run.p95.toFixed(1)} ms`);
    console.log(`  after GC: RSS ${start.rssMb.toFixed(0)} MB at start, ${end.rssMb.toFixed(0)} MB at end (${growth >= 0 ? '+' : ''}${growth.toFixed(1)}%); JS heap ${start.heapMb.toFixed(0)} → ${end.heapMb.toFixed(0)} MB; external (buffers) ${start.externalMb.toFixed(0)} → ${end.externalMb.toFixed(0)} MB`);
    process.exitCode = run.errors > 0 ? 1 : 0;
  } finally {
    await h.stop();
    await azurite.stop();
  }
}

main().then(() => process.exit(), (err) => {
  console.error(err);
  process.exit(1);
});
