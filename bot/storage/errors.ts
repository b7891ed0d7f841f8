/**
 * Typed storage errors. Callers branch on these classes, never on HTTP status codes, so the
 * Azure SDK stays an implementation detail of this folder.
 */
export class StorageError extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = new.target.name;
  }
}

/** The record changed since it was read (stale ETag) or already exists on create. */
export class ConflictError extends StorageError {
  constructor(readonly table: string, readonly key: string, cause?: unknown) {
    super(`${table}/${key} was changed by someone else`, cause);
  }
}

export class NotFoundError extends StorageError {
  constructor(readonly table: string, readonly key: string, cause?: unknown) {
    super(`${table}/${key} does not exist`, cause);
  }
}

/** Storage could not be reached after retries; the caller should keep the user's input and say so. */
export class StorageUnavailableError extends StorageError {}

interface RestLike {
  statusCode?: number;
  code?: string;
  details?: { errorCode?: string };
}

export function statusOf(err: unknown): number | undefined {
  return (err as RestLike | undefined)?.statusCode;
}

export function errorCodeOf(err: unknown): string | undefined {
  const e = err as RestLike | undefined;
  return e?.details?.errorCode ?? e?.code;
}

/** Transient = worth retrying: throttling, server faults, timeouts and dropped connections. */
export function isTransient(err: unknown): boolean {
  const status = statusOf(err);
  if (status === 408 || status === 429 || (status !== undefined && status >= 500)) return true;
  if (status !== undefined) return false;
  const code = errorCodeOf(err);
  return ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'REQUEST_SEND_ERROR'].includes(code ?? '');
}
