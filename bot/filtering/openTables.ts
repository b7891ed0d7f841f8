import type { Settings } from '../settings';
import { startEmbeddedTables, type EmbeddedTables } from '../storage/embeddedAzurite';
import { endpointFromConnectionString, endpointFromCredential, TableProvisioner } from '../storage/tableService';

/**
 * The bot's tables, opened the way the bot opens them (connection string, managed identity or
 * the embedded store in LANTERN_DATA_DIR), for scripts that run beside it.
 */
export async function openTables(settings: Settings): Promise<{ tables: TableProvisioner; description: string; close(): Promise<void> }> {
  const s = settings.storage;
  let embedded: EmbeddedTables | undefined;
  let endpoint;
  if (s.kind === 'connection-string') {
    endpoint = endpointFromConnectionString(s.connectionString, 'TABLES_CONNECTION_STRING', settings.tablePrefix);
  } else if (s.kind === 'managed-identity') {
    const { DefaultAzureCredential, ManagedIdentityCredential } = await import('@azure/identity');
    const credential = s.clientId ? new ManagedIdentityCredential({ clientId: s.clientId }) : new DefaultAzureCredential();
    endpoint = endpointFromCredential(s.endpoint, credential, settings.tablePrefix);
  } else {
    embedded = await startEmbeddedTables(s.dataDir);
    endpoint = endpointFromConnectionString(embedded.connectionString, `the embedded store in ${s.dataDir}`, settings.tablePrefix);
  }
  return { tables: new TableProvisioner(endpoint), description: endpoint.description, close: async () => embedded?.stop() };
}
