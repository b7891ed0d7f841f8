/**
 * Lookups that a user's string cannot steer into Object.prototype. `table[key]` on a plain object
 * answers `toString`, `constructor` and `__proto__` with inherited functions, and writing
 * `__proto__` replaces the prototype; these helpers only see the table's own entries.
 * test/security/prototypeLookups.spec.ts keeps raw string lookups out of bot/.
 */
export function own<V>(table: Readonly<Partial<Record<string, V>>>, key: string): V | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** True only for the table's own keys, so it also narrows `key` to them. */
export function isOwnKey<T extends object>(table: T, key: string): key is Extract<keyof T, string> {
  return Object.hasOwn(table, key);
}

/** Sets an own entry, even for a key such as `__proto__` that assignment would treat specially. */
export function setOwn<V>(table: Partial<Record<string, V>>, key: string, value: V): void {
  Object.defineProperty(table, key, { value, writable: true, enumerable: true, configurable: true });
}
