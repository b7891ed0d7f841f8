/** Percentile by nearest rank over a sorted copy; enough for latency figures. */
export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export interface Figures {
  scenario: string;
  concurrency: number;
  turns: number;
  errors: number;
  seconds: number;
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  rssMb: number;
  /**
   * CPU time of this whole process (all its threads) per turn: bot, load generator and fake Teams
   * alike, so only differences between rows mean something; steadier than p95 on a busy machine.
   */
  cpuMsPerTurn?: number;
}

/** A figure each row's p95 is divided by, e.g. the help turn or an echo bot at the same concurrency. */
export interface Baseline {
  label: string;
  of(row: Figures): Figures | undefined;
}

export function formatTable(rows: Figures[], baselines: Baseline[] | ((row: Figures) => Figures | undefined)): string {
  const bases = typeof baselines === 'function' ? [{ label: 'p95 vs help', of: baselines }] : baselines;
  const header = ['scenario', 'conc', 'turns', 'errors', 'turns/s', 'p50 ms', 'p95 ms', 'p99 ms', ...bases.map((b) => b.label), 'CPU ms/turn', 'RSS MB'];
  const lines = rows.map((r) => [
    r.scenario,
    String(r.concurrency),
    String(r.turns),
    String(r.errors),
    r.throughput.toFixed(0),
    r.p50.toFixed(1),
    r.p95.toFixed(1),
    r.p99.toFixed(1),
    ...bases.map((b) => {
      const base = b.of(r);
      return base ? `${(r.p95 / base.p95).toFixed(2)}×` : '-';
    }),
    r.cpuMsPerTurn === undefined ? '-' : r.cpuMsPerTurn.toFixed(1),
    r.rssMb.toFixed(0),
  ]);
  return formatColumns(header, lines);
}

/** A plain-text table: the first column left-aligned, the others right-aligned, a rule under the header. */
export function formatColumns(header: string[], lines: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...lines.map(fmt)].join('\n');
}
