import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import path from 'node:path';
import { answerWritesAfterSave } from './durableResponses';

/** Azurite's well-known development account: public by design, never a real secret. */
export const DEV_ACCOUNT = 'devstoreaccount1';
export const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface EmbeddedTables {
  readonly url: string;
  readonly connectionString: string;
  stop(): Promise<void>;
}

interface AzuriteTableServer {
  start(): Promise<void>;
  close(): Promise<void>;
  getHttpServerAddress(): string;
  // Not in Azurite's public typings, but stable fields of TableServer/ServerBase since 3.x.
  readonly httpServer: Server;
  readonly metadataStore: { saveDBState(): Promise<void> };
}

/**
 * Runs Azurite's table server inside this process on a free loopback port. In-process (rather
 * than a child process) because the CLI does not report the port it picked and only stops cleanly
 * on SIGINT. `dataDir` keeps data on disk across restarts; omit it for an in-memory server (tests).
 *
 * On disk, Azurite saves its LokiJS database on a five-second timer, so a killed process would
 * lose what it had already acknowledged. Every write is therefore saved before it is answered
 * (Loki coalesces saves that overlap, so concurrent writes share one).
 */
export async function startEmbeddedTables(dataDir?: string): Promise<EmbeddedTables> {
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
  if (!inMemory) answerWritesAfterSave(server.httpServer, () => server.metadataStore.saveDBState());
  await server.start();
  const url = `${server.getHttpServerAddress()}/${DEV_ACCOUNT}`;
  return {
    url,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};TableEndpoint=${url};`,
    stop: () => server.close(),
  };
}
