import type { GroundingPassage, PhrasedAnswer } from './phraser';

// ~120 words of English with citation markers; anything much longer ignored the instructions.
const MAX_CHARS = 1200;
const MARKER = /\[(\d+(?:\s*,\s*\d+)*)\]/g;

/**
 * Accepts the model's text only if it cites at least one passage and every [n] is a passage we
 * gave it: an uncited or mis-cited answer cannot be checked by the reader, so the caller falls
 * back to the quoted card.
 */
export function checkAnswer(raw: string, passages: GroundingPassage[]): PhrasedAnswer | undefined {
  const text = raw.trim();
  if (!text || text.length > MAX_CHARS) return undefined;
  const cited = new Set<number>();
  for (const m of text.matchAll(MARKER)) for (const n of m[1].split(',')) cited.add(Number(n.trim()));
  if (cited.size === 0) return undefined;
  const byPosition = new Map(passages.map((p) => [p.position, p]));
  if ([...cited].some((n) => !byPosition.has(n))) return undefined;
  // Teams turns only single markers like [1] into citation pills.
  const teamsText = text.replace(MARKER, (_m, list: string) => list.split(',').map((n) => `[${n.trim()}]`).join(''));
  return { text: teamsText, citations: [...cited].sort((a, b) => a - b).map((n) => byPosition.get(n)!) };
}
