import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import path from 'node:path';
import { startThread } from '../startThread';
import { answerWritesWhenDurable } from './durableResponses';
import { DEFAULT_SNAPSHOT_POLICY, LokiJournal, type BatchingStore, type LokiDb, type SnapshotPolicy } from './lokiJournal';

/** Azurite's well-known development account: public by design, never a real secret. */
export const DEV_ACCOUNT = 'devstoreaccount1';
export const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface EmbeddedTables {
  readonly url: string;
  readonly connectionString: string;
  stop(): Promise<void>;
  /** Bytes of JS heap the table server's own thread uses (startTablesWorker only; for the soak). */
  heapUsed?(): Promise<number>;
}

interface AzuriteTableServer {
  start(): Promise<void>;
  close(): Promise<void>;
  getHttpServerAddress(): string;
  // Not in Azurite's public typings, but stable fields of TableServer/ServerBase since 3.x.
  readonly httpServer: Server;
  readonly metadataStore: BatchingStore & { init(): Promise<void>; readonly db: LokiDb & { autosaveDisable(): void } };
}

/** How the embedded store keeps its data on disk (tests make snapshots frequent). */
export interface EmbeddedTablesOptions {
  snapshot?: SnapshotPolicy;
}

/**
 * Runs Azurite's table server in the calling thread on a free loopback port: the tests' shared
 * server, and the body of startTablesWorker's thread. Not the CLI in a child process, because the
 * CLI does not report the port it picked and only stops cleanly on SIGINT. `dataDir` keeps data on disk across restarts; omit it for an in-memory server (tests).
 *
 * On disk, Azurite would save its whole LokiJS database on a five-second timer, so a killed
 * process would lose what it had already acknowledged. Instead its timer is off, every change is
 * appended to a journal, and a write is answered once its change is in the journal (see
 * lokiJournal.ts); snapshots of the whole database are taken now and then to keep the journal
 * short, and on a clean stop.
 */
export async function startEmbeddedTables(dataDir?: string, options: EmbeddedTablesOptions = {}): Promise<EmbeddedTables> {
  // Loaded lazily: production never pays for Azurite's module graph.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const TableServer = require('azurite/dist/src/table/TableServer').default;
  const TableConfiguration = require('azurite/dist/src/table/TableConfiguration').default;
  /* eslint-enable @typescript-eslint/no-require-imports */
  let dbPath = path.join(process.cwd(), '.azurite-memory-db.json');
  if (dataDir) {
    await mkdir(dataDir, { recursive: true });
    dbPath = path.join(dataDir, '__azurite_db_table__.json');
  }
  const inMemory = !dataDir;
  const config = new TableConfiguration(
    '127.0.0.1', 0, undefined, dbPath,
    false, false, undefined, undefined, // debug log, access log
    true, true, // loose, skipApiVersionCheck
    '', '', '', undefined, false, inMemory,
  );
  const server: AzuriteTableServer = new TableServer(config);
  let journal: LokiJournal | undefined;
  if (dataDir) {
    const store = server.metadataStore;
    store.db.autosaveDisable();
    // The server listens only after init, so the journal is replayed before any request is taken.
    const init = store.init.bind(store);
    store.init = async () => {
      await init();
      journal = await LokiJournal.attach(store.db, store, dbPath, dataDir, options.snapshot ?? DEFAULT_SNAPSHOT_POLICY);
    };
    answerWritesWhenDurable(server.httpServer, () => journal!.durable());
  }
  await server.start();
  const url = `${server.getHttpServerAddress()}/${DEV_ACCOUNT}`;
  return {
    url,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};TableEndpoint=${url};`,
    async stop() {
      await server.close();
      await journal?.close();
    },
  };
}

export type DiedHandler = (reason: string) => void;

const reportDeath: DiedHandler = (reason) =>
  console.error(`[lantern] the embedded table server stopped unexpectedly (${reason}): storage is unavailable, so turns answer that nothing was saved. Restart Lantern; its data in LANTERN_DATA_DIR is kept.`);

type FromWorker = { ready?: { url: string; connectionString: string }; failed?: string; stopped?: boolean; error?: string; heapUsed?: number };

/**
 * The same table server in a worker thread of this process (what `npm start` with no settings
 * runs): off the bot's event loop, yet it cannot outlive the bot, whatever ends the process
 * (a signal, a crash, kill -9), as a child process could. `onDied` hears of it stopping by itself.
 */
export async function startTablesWorker(dataDir?: string, onDied: DiedHandler = reportDeath, options: EmbeddedTablesOptions = {}): Promise<EmbeddedTables> {
  const worker = startThread(__filename, 'tablesWorker', { dataDir, options });
  let stopping = false;
  const starting: Record<'message' | 'error' | 'exit', (...args: any[]) => void> = { message: () => undefined, error: () => undefined, exit: () => undefined };
  const ready = await new Promise<{ url: string; connectionString: string }>((resolve, reject) => {
    const failed = (reason: string) => {
      reject(new Error(`the embedded table server did not start: ${reason}`));
      void worker.terminate();
    };
    starting.message = (m: FromWorker) => (m.ready ? resolve(m.ready) : failed(m.failed ?? 'no answer'));
    starting.error = (err: Error) => failed(err.message);
    starting.exit = (code: number) => failed(`its thread exited with code ${code}`);
    for (const [event, listener] of Object.entries(starting)) worker.once(event, listener);
  });
  // Only these: Worker keeps listeners of its own (removeAllListeners would stop its messages).
  for (const [event, listener] of Object.entries(starting)) worker.off(event, listener);
  worker.on('error', (err) => stopping || onDied(err.message));
  worker.on('exit', (code) => stopping || onDied(`its thread exited with code ${code}`));
  // The bot's HTTP server keeps the process alive; a script must not be kept alive by this thread.
  worker.unref();
  return {
    ...ready,
    heapUsed: () =>
      new Promise<number>((resolve) => {
        const answer = (m: FromWorker) => m.heapUsed !== undefined && (worker.off('message', answer), resolve(m.heapUsed));
        worker.on('message', answer);
        worker.postMessage('heap');
      }),
    async stop() {
      if (stopping) return;
      stopping = true;
      worker.ref(); // a script awaiting this stop must not exit before the database is saved
      const stopped = new Promise<FromWorker>((resolve) => {
        worker.on('message', (m: FromWorker) => m.stopped && resolve(m));
        worker.once('exit', () => resolve({ stopped: true }));
      });
      worker.postMessage('stop');
      const answer = await stopped;
      await worker.terminate();
      if (answer.error) throw new Error(`the embedded table server did not stop cleanly: ${answer.error}`);
    },
  };
}
