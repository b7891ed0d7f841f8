import { TableClient, TableServiceClient, type TableServiceClientOptions } from '@azure/data-tables';
import type { TokenCredential } from '@azure/core-auth';
import { errorCodeOf, statusOf } from './errors';
import { withRetry } from './retry';

/** Where the tables live, as chosen at start-up; one per process. */
export interface TableEndpoint {
  /** Said once in the start-up log, without secrets. */
  readonly description: string;
  client(tableName: string): TableClient;
  /** Lists tables: a cheap call that proves the service answers (for /healthz). */
  ping(): Promise<void>;
}

const TABLE_NAME = /^[A-Za-z][A-Za-z0-9]{2,62}$/;

function assertTableName(name: string): void {
  if (!TABLE_NAME.test(name)) throw new RangeError(`invalid table name "${name}": 3-63 letters or digits, starting with a letter`);
}

/**
 * The SDK's own retry policy waits up to a minute; withRetry (bounded, transient-only) replaces it
 * so a person in Teams hears back within seconds when storage is down.
 */
const CLIENT_OPTIONS: TableServiceClientOptions = { retryOptions: { maxRetries: 0 } };

export function endpointFromConnectionString(connectionString: string, description: string, prefix = ''): TableEndpoint {
  const options: TableServiceClientOptions = { ...CLIENT_OPTIONS, allowInsecureConnection: /DefaultEndpointsProtocol=http;|TableEndpoint=http:/i.test(connectionString) };
  const service = TableServiceClient.fromConnectionString(connectionString, options);
  return {
    description,
    client: (name) => {
      assertTableName(prefix + name);
      return TableClient.fromConnectionString(connectionString, prefix + name, options);
    },
    ping: async () => {
      await service.listTables().byPage({ maxPageSize: 1 }).next();
    },
  };
}

export function endpointFromCredential(url: string, credential: TokenCredential, prefix = ''): TableEndpoint {
  const service = new TableServiceClient(url, credential, CLIENT_OPTIONS);
  return {
    description: `Azure Table Storage at ${url} (managed identity)`,
    client: (name) => {
      assertTableName(prefix + name);
      return new TableClient(url, prefix + name, credential, CLIENT_OPTIONS);
    },
    ping: async () => {
      await service.listTables().byPage({ maxPageSize: 1 }).next();
    },
  };
}

/**
 * Creates each table once per process. Creation races between instances are harmless: a
 * TableAlreadyExists answer counts as success.
 */
export class TableProvisioner {
  private readonly ready = new Map<string, Promise<TableClient>>();

  constructor(private readonly endpoint: TableEndpoint) {}

  table(name: string): Promise<TableClient> {
    let pending = this.ready.get(name);
    if (!pending) {
      const client = this.endpoint.client(name);
      pending = withRetry(async () => {
        try {
          await client.createTable();
        } catch (err) {
          if (!(statusOf(err) === 409 || errorCodeOf(err) === 'TableAlreadyExists')) throw err;
        }
        return client;
      }, `create table ${name}`);
      // A failed creation must not be cached, or the table would stay unusable until restart.
      pending.catch(() => this.ready.delete(name));
      this.ready.set(name, pending);
    }
    return pending;
  }
}
