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

interface SchoolScope {
  school: string;
  prefix: string;
  trustWide: ReadonlySet<string>;
}

/** School ids are checked at configuration ([a-z0-9-]), so the prefix needs no key escaping. */
export const SCHOOL_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;

/**
 * `s.<school>|`: every key starting so sorts in [prefix, `s.<school>}`), and no other school's does
 * ('-' sorts before '|', so "north" never spans "north-east").
 */
export function schoolPartitionPrefix(school: string): string {
  if (!SCHOOL_ID.test(school)) throw new RangeError(`invalid school id "${school}": lower-case letters, digits and dashes`);
  return `s.${school}|`;
}

/** The exclusive upper bound of the partition keys that start with `prefix`. */
export function partitionRangeEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/** Keyed by a store's table cache, which every school's view of that store shares. */
const PROCESS_WIDE = new WeakMap<object, Map<string, unknown>>();

/**
 * Creates each table once per process. Creation races between instances are harmless: a
 * TableAlreadyExists answer counts as success.
 */
export class TableProvisioner {
  private readonly ready: Map<string, Promise<TableClient>>;

  /**
   * `scope`: a school's view of the trust's tables (see forSchool). Absent for a single school,
   * whose rows keep the partition keys they always had.
   */
  constructor(private readonly endpoint: TableEndpoint, private readonly scope?: SchoolScope, ready?: Map<string, Promise<TableClient>>) {
    this.ready = ready ?? new Map();
  }

  /** The school this view belongs to, if it is one school's view of a trust's tables. */
  get school(): string | undefined {
    return this.scope?.school;
  }

  /**
   * The same tables seen by one school of a trust: every partition key of a school table carries
   * the school (DocumentTable prefixes it and bounds its scans to the school's range); the tables
   * named in `trustWide` are shared by all schools and keep their keys.
   */
  forSchool(school: string, trustWide: Iterable<string>): TableProvisioner {
    return new TableProvisioner(this.endpoint, { school, prefix: schoolPartitionPrefix(school), trustWide: new Set(trustWide) }, this.ready);
  }

  /** The same tables without any school's scope (trust-wide stores, migration). */
  unscoped(): TableProvisioner {
    return this.scope ? new TableProvisioner(this.endpoint, undefined, this.ready) : this;
  }

  /**
   * One object per store in this process, shared by every school's view of it: what must be one
   * per app rather than one per school (the broadcast sender's pace and lease).
   */
  processWide<T>(key: string, make: (unscoped: TableProvisioner) => T): T {
    let objects = PROCESS_WIDE.get(this.ready);
    if (!objects) PROCESS_WIDE.set(this.ready, (objects = new Map()));
    if (!objects.has(key)) objects.set(key, make(this.unscoped()));
    return objects.get(key) as T;
  }

  /** What DocumentTable puts before each partition key of `table` ('' when not scoped). */
  partitionPrefix(table: string): string {
    return this.scope && !this.scope.trustWide.has(table) ? this.scope.prefix : '';
  }

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
