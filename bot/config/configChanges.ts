import { isOwnKey, own } from '../core/ownLookup';
import { isPlainObject } from './loadSchoolConfig';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * What changed between two configuration files, at the level an audit reader needs: which
 * top-level blocks, with counts for the lists ("people 14 → 15"), never the values themselves.
 */
export function summariseChanges(before: unknown, after: unknown): string[] {
  const a = isPlainObject(before) ? before : {};
  const b = isPlainObject(after) ? after : {};
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  const changes: string[] = [];
  for (const key of keys) {
    const from = own(a, key);
    const to = own(b, key);
    if (same(from, to)) continue;
    if (!isOwnKey(a, key)) changes.push(`${key} added`);
    else if (!isOwnKey(b, key)) changes.push(`${key} removed`);
    else if (Array.isArray(from) && Array.isArray(to)) changes.push(from.length === to.length ? `${key} edited` : `${key} ${from.length} → ${to.length}`);
    else if (isPlainObject(from) && isPlainObject(to)) {
      const inner = [...new Set([...Object.keys(from), ...Object.keys(to)])].filter((k) => !same(own(from, k), own(to, k)));
      changes.push(`${key} (${inner.join(', ')})`);
    } else changes.push(`${key} edited`);
  }
  return changes;
}
