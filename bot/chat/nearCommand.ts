/** Edit distance where swapping two neighbouring letters counts once (the commonest typo). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * A mistyped command ("hlep", "reprot an incident") would otherwise be read as a policy question.
 * Short messages within a couple of typos of a known command get "did you mean" instead.
 */
export function nearCommand(text: string, commands: string[]): string | undefined {
  const typed = text.toLowerCase();
  if (typed.length > 40) return undefined;
  let best: { command: string; d: number } | undefined;
  for (const command of commands) {
    const c = command.toLowerCase();
    if (c === typed) continue;
    if (Math.abs(c.length - typed.length) > 3) continue;
    const allowed = c.length <= 5 ? 1 : c.length <= 12 ? 2 : 3;
    const d = distance(typed, c);
    if (d <= allowed && (!best || d < best.d)) best = { command, d };
  }
  return best?.command;
}
