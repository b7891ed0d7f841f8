import { isDeepStrictEqual } from 'node:util';
import { own, setOwn } from '../core/ownLookup';

type Row = Record<string, unknown>;

/**
 * Three-way merge of one person's turn state, key by key: `mine` is what a turn wants to write,
 * `base` what it read, `theirs` what is stored now after another turn wrote. Keys the turn did not
 * change take the stored value; keys it changed win where the other turn left them alone or made
 * the same change (the same activity handled on two instances). Undefined when both changed one
 * key differently: that is a real conflict and must not be settled by guessing.
 * `skip` names bookkeeping keys the caller merges itself.
 */
export function mergeState(base: Row, mine: Row, theirs: Row, skip: readonly string[] = []): Row | undefined {
  const merged: Row = {};
  const keys = new Set([...Object.keys(base), ...Object.keys(mine), ...Object.keys(theirs)]);
  for (const key of keys) {
    if (skip.includes(key)) continue;
    const [b, m, t] = [own(base, key), own(mine, key), own(theirs, key)];
    let value: unknown;
    if (isDeepStrictEqual(m, b)) value = t;
    else if (isDeepStrictEqual(t, b) || isDeepStrictEqual(t, m)) value = m;
    else return undefined;
    if (value !== undefined) setOwn(merged, key, value);
  }
  return merged;
}
