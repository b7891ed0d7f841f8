'use strict';
/*
 * Bench-only preload for the bot process of `npm run bench:trust` (node --expose-gc --require, set
 * through NODE_OPTIONS; the bot knows nothing of it). On SIGUSR2 it runs a full GC and prints one
 * line, `MEMORY {"rssMb":..,"heapMb":..}`, so the bench reads the bot's settled memory, not its own.
 */
process.on('SIGUSR2', () => {
  if (typeof globalThis.gc !== 'function') return void process.stdout.write('MEMORY {"error":"no --expose-gc"}\n');
  globalThis.gc();
  globalThis.gc();
  const m = process.memoryUsage();
  const mb = (n) => Math.round((n / 1024 / 1024) * 10) / 10;
  process.stdout.write(`MEMORY ${JSON.stringify({ rssMb: mb(m.rss), heapMb: mb(m.heapUsed), externalMb: mb(m.external) })}\n`);
});
