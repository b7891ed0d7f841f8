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
    if (same(a[key], b[key])) continue;
    if (!(key in a)) changes.push(`${key} added`);
    else if (!(key in b)) changes.push(`${key} removed`);
    else if (Array.isArray(a[key]) && Array.isArray(b[key])) {
      const from = (a[key] as unknown[]).length;
      const to = (b[key] as unknown[]).length;
      changes.push(from === to ? `${key} edited` : `${key} ${from} → ${to}`);
    } else if (isPlainObject(a[key]) && isPlainObject(b[key])) {
      const inner = [...new Set([...Object.keys(a[key] as object), ...Object.keys(b[key] as object)])].filter((k) => !same((a[key] as any)[k], (b[key] as any)[k]));
      changes.push(`${key} (${inner.join(', ')})`);
    } else changes.push(`${key} edited`);
  }
  return changes;
}
