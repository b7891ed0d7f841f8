import type { Settings } from '../settings';
import { startTablesWorker, type EmbeddedTables } from './embeddedAzurite';
import { endpointFromConnectionString, endpointFromCredential, TableProvisioner, type TableEndpoint } from './tableService';

export interface OpenedStorage {
  endpoint: TableEndpoint;
  tables: TableProvisioner;
  /** Stops the embedded table server, if this process started one. */
  close(): Promise<void>;
}

/**
 * Opens the table store the settings name: a connection string, a managed identity, or (with
 * neither) an embedded Azurite, in a thread of its own, keeping its data in LANTERN_DATA_DIR. Used by the bot and by the
 * export/report scripts, which therefore read exactly what the bot wrote.
 */
export async function openStorage(settings: Settings): Promise<OpenedStorage> {
  const s = settings.storage;
  let endpoint: TableEndpoint;
  let embedded: EmbeddedTables | undefined;
  if (s.kind === 'connection-string') {
    const where = /TableEndpoint=([^;]+)/i.exec(s.connectionString)?.[1] ?? /AccountName=([^;]+)/i.exec(s.connectionString)?.[1] ?? 'unknown account';
    endpoint = endpointFromConnectionString(s.connectionString, `Azure Table Storage from TABLES_CONNECTION_STRING (${where})`, settings.tablePrefix);
  } else if (s.kind === 'managed-identity') {
    const { DefaultAzureCredential, ManagedIdentityCredential } = await import('@azure/identity');
    const credential = s.clientId ? new ManagedIdentityCredential({ clientId: s.clientId }) : new DefaultAzureCredential();
    endpoint = endpointFromCredential(s.endpoint, credential, settings.tablePrefix);
  } else {
    embedded = await startTablesWorker(s.dataDir);
    endpoint = endpointFromConnectionString(embedded.connectionString, `embedded Azurite table server at ${embedded.url} (data in ${s.dataDir})`, settings.tablePrefix);
  }
  return { endpoint, tables: new TableProvisioner(endpoint), close: async () => embedded?.stop() };
}
