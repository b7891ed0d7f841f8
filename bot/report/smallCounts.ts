/**
 * Small-number suppression for figures that could point at a pupil. A count of 1 to 4 is shown as
 * "fewer than 5"; zero is shown (it identifies nobody). When a breakdown has exactly one such
 * count, the total minus the others would give it away, so the smallest other non-zero count is
 * shown as "5 or more" instead of its value.
 */
export const SMALL_BELOW = 5;
export const FEWER_THAN = `fewer than ${SMALL_BELOW}`;
export const AT_LEAST = `${SMALL_BELOW} or more`;

export interface ShownCount {
  /** The true count: for drawing decisions and tests, never shown when `suppressed`. */
  value: number;
  /** What people read. */
  shown: string;
  /** True when `shown` is not the exact value (primary or secondary suppression). */
  suppressed: boolean;
}

export interface BreakdownRow {
  key: string;
  label: string;
  count: ShownCount;
}

export interface Breakdown {
  rows: BreakdownRow[];
  total: ShownCount;
}

export const isSmall = (n: number) => n > 0 && n < SMALL_BELOW;

export function exact(value: number): ShownCount {
  return { value, shown: String(value), suppressed: false };
}

/** One count on its own (a total): small ones hidden. */
export function guarded(value: number): ShownCount {
  return isSmall(value) ? { value, shown: FEWER_THAN, suppressed: true } : exact(value);
}

/** Rows in the order given; rows of zero are kept only when `keepZero` (a fixed list such as agencies). */
export function guardedBreakdown(rows: Array<{ key: string; label: string; value: number }>, keepZero = false): Breakdown {
  const kept = rows.filter((r) => keepZero || r.value > 0);
  const out: BreakdownRow[] = kept.map((r) => ({ key: r.key, label: r.label, count: guarded(r.value) }));
  const small = out.filter((r) => r.count.suppressed);
  if (small.length === 1) {
    const others = out.filter((r) => !r.count.suppressed && r.count.value > 0).sort((a, b) => a.count.value - b.count.value);
    if (others[0]) others[0].count = { value: others[0].count.value, shown: AT_LEAST, suppressed: true };
  }
  return { rows: out, total: guarded(kept.reduce((sum, r) => sum + r.value, 0)) };
}

/** Rows shown exactly: figures about staff and systems, not pupils. */
export function exactBreakdown(rows: Array<{ key: string; label: string; value: number }>): Breakdown {
  return { rows: rows.map((r) => ({ key: r.key, label: r.label, count: exact(r.value) })), total: exact(rows.reduce((sum, r) => sum + r.value, 0)) };
}
