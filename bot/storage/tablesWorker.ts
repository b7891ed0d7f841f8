import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { startEmbeddedTables, type EmbeddedTablesOptions } from './embeddedAzurite';

/**
 * The embedded table server's own thread (see startTablesWorker): Azurite's request handling and
 * its journal and snapshots run here, so they never hold up a turn on the bot's event loop.
 */
const port = parentPort!;
const { dataDir, options } = workerData as { dataDir?: string; options?: EmbeddedTablesOptions };
startEmbeddedTables(dataDir, options).then(
  (tables) => {
    port.postMessage({ ready: { url: tables.url, connectionString: tables.connectionString } });
    port.on('message', (message) => {
      if (message === 'heap') return void port.postMessage({ heapUsed: heapAfterGc() });
      if (message !== 'stop') return;
      tables.stop().then(
        () => port.postMessage({ stopped: true }),
        (err: Error) => port.postMessage({ stopped: true, error: err.message }),
      );
    });
  },
  (err: Error) => port.postMessage({ failed: err.message }),
);

/** This thread's JS heap (where Azurite keeps every row), after a full GC when node runs with --expose-gc. */
function heapAfterGc(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return getHeapStatistics().used_heap_size;
}
