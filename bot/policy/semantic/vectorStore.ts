import { createHash } from 'node:crypto';
import { DocumentTable } from '../../storage/documentTable';
import type { TableProvisioner } from '../../storage/tableService';

/** One policy section's embedding, and the hash of the exact text it was computed from. */
export interface StoredVector {
  textHash: string;
  document: string;
  section: string;
  /** Float32 little-endian, base64: a 1,536-dimension vector is 8 KB, one table property. */
  vector: string;
}

export function textHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function encodeVector(v: Float32Array): string {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
}

export function decodeVector(s: string): Float32Array {
  const bytes = Buffer.from(s, 'base64');
  // Copied so the floats are aligned whatever offset Node's buffer pool gave the bytes.
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/**
 * Section vectors in Azure Tables: one partition per embedding source (vectors of different models cannot be
 * compared), one row per section key. Several instances may write the same row: last writer wins, and both
 * wrote the embedding of the same text.
 */
export class VectorStore {
  private readonly table: DocumentTable<StoredVector>;

  constructor(tables: TableProvisioner, private readonly source: string) {
    this.table = new DocumentTable(tables, 'policyvectors');
  }

  async all(): Promise<Map<string, StoredVector>> {
    return new Map((await this.table.list(this.source)).map((r) => [r.rowKey, r.value]));
  }

  async save(key: string, value: StoredVector): Promise<void> {
    await this.table.upsert(this.source, key, value);
  }

  async remove(key: string): Promise<void> {
    await this.table.delete(this.source, key);
  }
}
