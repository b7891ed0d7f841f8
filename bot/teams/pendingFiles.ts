import { randomUUID } from 'node:crypto';
import { DocumentTable, type Stored } from '../storage/documentTable';
import type { TableProvisioner } from '../storage/tableService';

/**
 * Teams uploads a file only after the person clicks Allow on a consent card, which may be much
 * later or after a restart, so the bytes wait here rather than in memory.
 */
export interface PendingFile {
  /** Entra object id of the only person who may accept it. */
  owner: string;
  name: string;
  contentType: string;
  sizeInBytes: number;
  createdAt: string;
  state: 'offered' | 'uploading' | 'sent' | 'declined' | 'expired';
  /** When an upload was claimed: a claim older than a minute is from a crashed instance. */
  claimedAt?: string;
  /** Base64; dropped once the file is sent, declined or expired, so only the outcome is kept. */
  data?: string;
}

/**
 * A DocumentTable record holds about 450,000 characters; 300 KB of base64 is about 410,000, which
 * leaves room for the rest of the record.
 */
export const MAX_FILE_BYTES = 300 * 1024;

const ROW = 'file';

export class PendingFiles {
  private readonly table: DocumentTable<PendingFile>;

  constructor(tables: TableProvisioner, private readonly now: () => Date = () => new Date()) {
    this.table = new DocumentTable(tables, 'pendingFiles');
  }

  /** Stores a file for `owner`; returns the unguessable id the consent card carries. */
  async add(owner: string, file: { name: string; contentType: string; bytes: Buffer }): Promise<{ id: string; createdAt: Date }> {
    const id = randomUUID();
    const createdAt = this.now();
    await this.table.create(id, ROW, {
      owner,
      name: file.name,
      contentType: file.contentType,
      sizeInBytes: file.bytes.length,
      createdAt: createdAt.toISOString(),
      state: 'offered',
      data: file.bytes.toString('base64'),
    });
    return { id, createdAt };
  }

  get(id: string): Promise<Stored<PendingFile> | undefined> {
    return this.table.get(id, ROW);
  }

  /** ConflictError when someone else changed it since `etag` was read. */
  replace(id: string, value: PendingFile, etag: string): Promise<Stored<PendingFile>> {
    return this.table.replace(id, ROW, value, etag);
  }
}
