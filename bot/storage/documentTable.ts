import type { TableClient, TableEntity, TransactionAction } from '@azure/data-tables';
import { ConflictError, NotFoundError, statusOf } from './errors';
import { encodeKey, decodeKey } from './keys';
import { withRetry } from './retry';
import { partitionRangeEnd, type TableProvisioner } from './tableService';

/** A value as read, with the ETag needed to write it back safely. */
export interface Stored<T> {
  readonly partitionKey: string;
  readonly rowKey: string;
  readonly value: T;
  readonly etag: string;
}

/** One row of a transaction: a create (no ETag) or a replace of the version read (its ETag). */
export interface TableWrite<T> {
  rk: string;
  value: T;
  etag?: string;
  index?: IndexColumns;
}

/** Scalar columns stored beside the JSON so the service can filter on them. */
export type IndexColumns = Record<string, string | number | boolean | Date | undefined>;

// A string property holds at most 64 KiB (32K UTF-16 chars); larger documents span several.
const CHUNK = 30_000;
const MAX_CHUNKS = 15;

function toEntity(prefix: string, pk: string, rk: string, value: unknown, index: IndexColumns = {}): TableEntity {
  const json = JSON.stringify(value);
  const chunks = Math.ceil(json.length / CHUNK) || 1;
  if (chunks > MAX_CHUNKS) throw new RangeError(`record ${pk}/${rk} is too large to store (${json.length} characters)`);
  const entity: TableEntity<Record<string, unknown>> = { partitionKey: prefix + encodeKey(pk), rowKey: encodeKey(rk), chunks };
  for (let i = 0; i < chunks; i++) entity[`json${i}`] = json.slice(i * CHUNK, (i + 1) * CHUNK);
  for (const [name, v] of Object.entries(index)) if (v !== undefined) entity[`x_${name}`] = v;
  return entity;
}

function fromEntity<T>(prefix: string, entity: Record<string, unknown>): Stored<T> {
  const chunks = Number(entity.chunks ?? 1);
  let json = '';
  for (let i = 0; i < chunks; i++) json += String(entity[`json${i}`] ?? '');
  return {
    partitionKey: decodeKey(String(entity.partitionKey).slice(prefix.length)),
    rowKey: decodeKey(String(entity.rowKey)),
    value: JSON.parse(json) as T,
    etag: String(entity.etag),
  };
}

/**
 * A table of JSON documents addressed by (partition, row). Every write that follows a read takes
 * the ETag of that read; a stale ETag becomes a ConflictError, which is how two people clicking
 * the same card at once are told apart.
 */
export class DocumentTable<T> {
  /**
   * A school's partitions in a trust ('' for a single school): put before every partition key, and
   * every scan is bounded to keys that start with it, so no school's query reads another's rows.
   */
  private readonly prefix: string;

  constructor(private readonly tables: TableProvisioner, readonly name: string) {
    this.prefix = tables.partitionPrefix?.(name) ?? '';
  }

  private pk(pk: string): string {
    return this.prefix + encodeKey(pk);
  }

  private client(): Promise<TableClient> {
    return this.tables.table(this.name);
  }

  async get(pk: string, rk: string): Promise<Stored<T> | undefined> {
    const client = await this.client();
    try {
      const entity = await withRetry(() => client.getEntity(this.pk(pk), encodeKey(rk)), `read ${this.name}`);
      return fromEntity<T>(this.prefix, entity);
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }

  async require(pk: string, rk: string): Promise<Stored<T>> {
    const found = await this.get(pk, rk);
    if (!found) throw new NotFoundError(this.name, `${pk}/${rk}`);
    return found;
  }

  /** Inserts a new record; ConflictError when the key is taken (used for idempotency too). */
  async create(pk: string, rk: string, value: T, index?: IndexColumns): Promise<Stored<T>> {
    const client = await this.client();
    try {
      const res = await withRetry(() => client.createEntity(toEntity(this.prefix, pk, rk, value, index)), `create in ${this.name}`);
      return { partitionKey: pk, rowKey: rk, value, etag: String(res.etag) };
    } catch (err) {
      if (statusOf(err) === 409) throw new ConflictError(this.name, `${pk}/${rk}`, err);
      throw err;
    }
  }

  /** Replaces a record only if it is unchanged since `etag` was read. */
  async replace(pk: string, rk: string, value: T, etag: string, index?: IndexColumns): Promise<Stored<T>> {
    const client = await this.client();
    try {
      const res = await withRetry(() => client.updateEntity(toEntity(this.prefix, pk, rk, value, index), 'Replace', { etag }), `update ${this.name}`);
      return { partitionKey: pk, rowKey: rk, value, etag: String(res.etag) };
    } catch (err) {
      const status = statusOf(err);
      if (status === 412 || status === 409) throw new ConflictError(this.name, `${pk}/${rk}`, err);
      if (status === 404) throw new NotFoundError(this.name, `${pk}/${rk}`, err);
      throw err;
    }
  }

  /**
   * Writes several rows of one partition in one request (a Table transaction: at most 100 rows,
   * each once), all or nothing: a taken key or a stale ETag on any row fails them all with a
   * ConflictError, and the caller writes them one by one to find out which.
   */
  async transact(pk: string, ops: Array<TableWrite<T>>): Promise<Array<Stored<T>>> {
    if (ops.length > 100) throw new RangeError(`a transaction holds at most 100 rows (${ops.length} given)`);
    if (!ops.length) return [];
    const client = await this.client();
    const actions: TransactionAction[] = ops.map((op) => {
      const entity = toEntity(this.prefix, pk, op.rk, op.value, op.index);
      return op.etag === undefined ? ['create', entity] : ['update', entity, 'Replace', { etag: op.etag }];
    });
    try {
      const res = await withRetry(() => client.submitTransaction(actions), `transaction in ${this.name}`);
      // The answers come in the order of the rows (an update's answer names no row key).
      return ops.map((op, i) => ({ partitionKey: pk, rowKey: op.rk, value: op.value, etag: String(res.subResponses[i]?.etag ?? '') }));
    } catch (err) {
      const status = statusOf(err);
      if (status === 409 || status === 412 || status === 404) throw new ConflictError(this.name, `${pk} (a transaction of ${ops.length})`, err);
      throw err;
    }
  }

  /** Last writer wins: only for data with a single writer (settings, caches). */
  async upsert(pk: string, rk: string, value: T, index?: IndexColumns): Promise<Stored<T>> {
    const client = await this.client();
    const res = await withRetry(() => client.upsertEntity(toEntity(this.prefix, pk, rk, value, index), 'Replace'), `write ${this.name}`);
    return { partitionKey: pk, rowKey: rk, value, etag: String(res.etag) };
  }

  async delete(pk: string, rk: string, etag?: string): Promise<void> {
    const client = await this.client();
    try {
      await withRetry(() => client.deleteEntity(this.pk(pk), encodeKey(rk), etag ? { etag } : undefined), `delete from ${this.name}`);
    } catch (err) {
      const status = statusOf(err);
      if (status === 404) return;
      if (status === 412) throw new ConflictError(this.name, `${pk}/${rk}`, err);
      throw err;
    }
  }

  /** Rows of one partition in key order, optionally from/to a row key (inclusive from, exclusive to). */
  async list(pk: string, range: { from?: string; to?: string; limit?: number } = {}): Promise<Array<Stored<T>>> {
    const parts = [`PartitionKey eq '${escapeOData(this.pk(pk))}'`];
    if (range.from !== undefined) parts.push(`RowKey ge '${escapeOData(encodeKey(range.from))}'`);
    if (range.to !== undefined) parts.push(`RowKey lt '${escapeOData(encodeKey(range.to))}'`);
    return this.query(parts.join(' and '), range.limit);
  }

  /** Every row (small tables only: configuration, destinations). */
  async all(limit?: number): Promise<Array<Stored<T>>> {
    return this.query(undefined, limit);
  }

  /** The row named `rk` in every partition (of this school's range): one row per task, say. */
  async named(rk: string, limit?: number): Promise<Array<Stored<T>>> {
    return this.query(`RowKey eq '${escapeOData(encodeKey(rk))}'`, limit);
  }

  /** Rows where an index column equals a value (see IndexColumns). */
  async where(column: string, value: string | number | boolean, limit?: number): Promise<Array<Stored<T>>> {
    const literal = typeof value === 'string' ? `'${escapeOData(value)}'` : String(value);
    return this.query(`x_${column} eq ${literal}`, limit);
  }

  /**
   * Rows whose string index column sorts before `value`: ISO timestamps compare as times, and a
   * string comparison means the same in Azurite and Azure, unlike mixed numeric types.
   */
  async before(column: string, value: string, limit?: number): Promise<Array<Stored<T>>> {
    return this.query(`x_${column} lt '${escapeOData(value)}'`, limit);
  }

  private async query(where: string | undefined, limit?: number): Promise<Array<Stored<T>>> {
    const client = await this.client();
    const prefix = this.prefix;
    const bound = prefix ? `PartitionKey ge '${escapeOData(prefix)}' and PartitionKey lt '${escapeOData(partitionRangeEnd(prefix))}'` : undefined;
    const filter = bound && where ? `${bound} and (${where})` : bound ?? where;
    return withRetry(async () => {
      const out: Array<Stored<T>> = [];
      const pages = client.listEntities<Record<string, unknown>>({ queryOptions: filter ? { filter } : undefined }).byPage({ maxPageSize: Math.min(limit ?? 1000, 1000) });
      for await (const page of pages) {
        for (const entity of page) {
          out.push(fromEntity<T>(prefix, entity));
          if (limit !== undefined && out.length >= limit) return out;
        }
      }
      return out;
    }, `query ${this.name}`);
  }
}

export function escapeOData(value: string): string {
  return value.replace(/'/g, "''");
}
