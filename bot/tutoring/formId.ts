import { createHash } from 'node:crypto';

/**
 * A new-record form carries its own id, so saving it again (a retry, or Teams redelivering the
 * press) is the same record. The id from a card is only ever used mixed with the presser's own
 * key: a forged one can at most make the presser's own second save look like their first.
 */
export function formIdOf(data: Record<string, unknown>): string | undefined {
  return typeof data.formId === 'string' && /^[0-9a-f-]{36}$/.test(data.formId) ? data.formId : undefined;
}

/** `hexChars` of a digest of what makes a record unique: a stable key part for its id. */
export function uniqueTail(uniqueBy: string, hexChars: number): string {
  return createHash('sha256').update(uniqueBy).digest('hex').slice(0, hexChars);
}
